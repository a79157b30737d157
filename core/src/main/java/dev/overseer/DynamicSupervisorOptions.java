package dev.overseer;

import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * Options of a {@link DynamicSupervisor}: the {@link SupervisorOptions} flags plus
 * {@code maxChildren} and {@code extraArguments}, as Elixir's {@code DynamicSupervisor}. The
 * strategy must stay {@code ONE_FOR_ONE} and auto-shutdown {@code NEVER} (OTP 27 rejects
 * auto-shutdown for {@code simple_one_for_one}).
 */
public class DynamicSupervisorOptions extends SupervisorOptions {

  /** Default maximum number of children: unlimited ({@link Integer#MAX_VALUE}), as OTP's {@code infinity}. */
  public static final int DEFAULT_MAX_CHILDREN = Integer.MAX_VALUE;

  private int maxChildren = DEFAULT_MAX_CHILDREN;
  private JsonObject extraArguments = new JsonObject();

  /** Options with the defaults. */
  public DynamicSupervisorOptions() {
  }

  /** @param other options to copy */
  public DynamicSupervisorOptions(DynamicSupervisorOptions other) {
    super(other);
    this.maxChildren = other.maxChildren;
    this.extraArguments = other.extraArguments.copy();
  }

  /**
   * @param json the form {@link #toJson()} writes; missing keys keep their defaults
   * @throws SupervisorException {@link SupervisorError#INVALID_SPEC} naming a field of the wrong type
   */
  public DynamicSupervisorOptions(JsonObject json) {
    super(json);
    maxChildren = present("maxChildren", () -> json.getInteger("maxChildren", DEFAULT_MAX_CHILDREN));
    JsonObject extra = field("extraArguments", () -> json.getJsonObject("extraArguments"));
    extraArguments = extra == null ? new JsonObject() : extra.copy();
  }

  @Override
  public JsonObject toJson(boolean withSecrets) {
    JsonObject json = super.toJson(withSecrets).put("maxChildren", maxChildren);
    return withSecrets ? json.put("extraArguments", extraArguments.copy()) : json;
  }

  /** @return the most children this supervisor runs at once */
  public int getMaxChildren() {
    return maxChildren;
  }

  /**
   * @param maxChildren the most children at once, positive
   * @return this
   */
  public DynamicSupervisorOptions setMaxChildren(int maxChildren) {
    this.maxChildren = maxChildren;
    return this;
  }

  /**
   * @return arguments merged into every child's {@code config()} (the child's own config wins on
   *     a clash), as Elixir's {@code extra_arguments}
   */
  public JsonObject getExtraArguments() {
    return extraArguments;
  }

  /**
   * @param extraArguments arguments merged into every child's config
   * @return this
   */
  public DynamicSupervisorOptions setExtraArguments(JsonObject extraArguments) {
    this.extraArguments = extraArguments == null ? new JsonObject() : extraArguments.copy();
    return this;
  }

  @Override
  public DynamicSupervisorOptions setName(String name) {
    super.setName(name);
    return this;
  }

  @Override
  public DynamicSupervisorOptions setStrategy(RestartStrategy strategy) {
    super.setStrategy(strategy);
    return this;
  }

  @Override
  public DynamicSupervisorOptions setIntensity(int intensity) {
    super.setIntensity(intensity);
    return this;
  }

  @Override
  public DynamicSupervisorOptions setPeriod(Duration period) {
    super.setPeriod(period);
    return this;
  }

  @Override
  public DynamicSupervisorOptions setAutoShutdown(AutoShutdown autoShutdown) {
    super.setAutoShutdown(autoShutdown);
    return this;
  }

  @Override
  public DynamicSupervisorOptions setBackoff(Backoff backoff) {
    super.setBackoff(backoff);
    return this;
  }

  @Override
  public DynamicSupervisorOptions setPublishEvents(boolean publishEvents) {
    super.setPublishEvents(publishEvents);
    return this;
  }

  @Override
  public DynamicSupervisorOptions setEventsAddress(String eventsAddress) {
    super.setEventsAddress(eventsAddress);
    return this;
  }

  @Override
  public DynamicSupervisorOptions setControlAddress(String controlAddress) {
    super.setControlAddress(controlAddress);
    return this;
  }

  @Override
  public DynamicSupervisorOptions setAllowList(ChildAllowList allowList) {
    super.setAllowList(allowList);
    return this;
  }

  @Override
  public DynamicSupervisorOptions setRevealConfig(boolean revealConfig) {
    super.setRevealConfig(revealConfig);
    return this;
  }

  @Override
  public DynamicSupervisorOptions setChildLoop(ChildLoop childLoop) {
    super.setChildLoop(childLoop);
    return this;
  }
}
