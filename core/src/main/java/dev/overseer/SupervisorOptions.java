package dev.overseer;

import dev.overseer.impl.JsonFields;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;

/**
 * Supervisor flags, with OTP's defaults: {@code ONE_FOR_ONE}, intensity 1 in a period of 5 s,
 * auto-shutdown {@code NEVER}. The Vert.x options shape: defaults as constants, no-argument,
 * copy and JSON constructors, {@link #toJson()}, fluent setters.
 *
 * <p>Values are checked when the supervisor starts; a bad one fails the start with
 * {@link SupervisorError#INVALID_SPEC} naming the field.
 */
public class SupervisorOptions {

  /** Default strategy: {@code ONE_FOR_ONE}. */
  public static final RestartStrategy DEFAULT_STRATEGY = RestartStrategy.ONE_FOR_ONE;
  /** Default restart intensity, as OTP: 1. */
  public static final int DEFAULT_INTENSITY = 1;
  /** Default intensity period, as OTP: 5 s. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(5);
  /** Default auto-shutdown: {@code NEVER}. */
  public static final AutoShutdown DEFAULT_AUTO_SHUTDOWN = AutoShutdown.NEVER;
  /** Default event-bus address of lifecycle events: {@value}. */
  public static final String DEFAULT_EVENTS_ADDRESS = "overseer.events";
  /** Prefix of the default control address: {@value} followed by the supervisor's name. */
  public static final String CONTROL_ADDRESS_PREFIX = "overseer.supervisor.";
  /** Events are published on the event bus by default. */
  public static final boolean DEFAULT_PUBLISH_EVENTS = true;
  /** Children's configs are not shown to event-bus callers by default. */
  public static final boolean DEFAULT_REVEAL_CONFIG = false;
  /** Default event loop of the children: {@code ANY}, the one Vert.x picks for each. */
  public static final ChildLoop DEFAULT_CHILD_LOOP = ChildLoop.ANY;

  private String name;
  private RestartStrategy strategy = DEFAULT_STRATEGY;
  private int intensity = DEFAULT_INTENSITY;
  private Duration period = DEFAULT_PERIOD;
  private AutoShutdown autoShutdown = DEFAULT_AUTO_SHUTDOWN;
  private Backoff backoff = Backoff.none();
  private boolean publishEvents = DEFAULT_PUBLISH_EVENTS;
  private String eventsAddress = DEFAULT_EVENTS_ADDRESS;
  private String controlAddress;
  private ChildAllowList allowList = ChildAllowList.none();
  private boolean revealConfig = DEFAULT_REVEAL_CONFIG;
  private ChildLoop childLoop = DEFAULT_CHILD_LOOP;

  /** Options with the defaults. */
  public SupervisorOptions() {
  }

  /** @param other options to copy */
  public SupervisorOptions(SupervisorOptions other) {
    this.name = other.name;
    this.strategy = other.strategy;
    this.intensity = other.intensity;
    this.period = other.period;
    this.autoShutdown = other.autoShutdown;
    this.backoff = other.backoff;
    this.publishEvents = other.publishEvents;
    this.eventsAddress = other.eventsAddress;
    this.controlAddress = other.controlAddress;
    this.allowList = other.allowList;
    this.revealConfig = other.revealConfig;
    this.childLoop = other.childLoop;
  }

  /**
   * @param json the form {@link #toJson()} writes; missing keys keep their defaults
   * @throws SupervisorException {@link SupervisorError#INVALID_SPEC} naming a field of the wrong type
   */
  public SupervisorOptions(JsonObject json) {
    name = field("name", () -> json.getString("name"));
    if (json.containsKey("strategy")) {
      strategy = field("strategy", () -> RestartStrategy.valueOf(json.getString("strategy").toUpperCase()));
    }
    intensity = present("intensity", () -> json.getInteger("intensity", DEFAULT_INTENSITY));
    period = field("period", () -> Duration.ofMillis(json.getLong("period", DEFAULT_PERIOD.toMillis())));
    if (json.containsKey("autoShutdown")) {
      autoShutdown = field("autoShutdown", () -> AutoShutdown.valueOf(json.getString("autoShutdown").toUpperCase()));
    }
    backoff = field("backoff", () -> Backoff.fromJson(json.getJsonObject("backoff")));
    publishEvents = present("publishEvents", () -> json.getBoolean("publishEvents", DEFAULT_PUBLISH_EVENTS));
    eventsAddress = field("eventsAddress", () -> json.getString("eventsAddress", DEFAULT_EVENTS_ADDRESS));
    controlAddress = field("controlAddress", () -> json.getString("controlAddress"));
    Object allow = json.getValue("allowList");
    if (allow != null && !(allow instanceof JsonObject)) {
      throw new SupervisorException(SupervisorError.INVALID_SPEC, "allowList: must be an object");
    }
    allowList = ChildAllowList.fromJson((JsonObject) allow);
    revealConfig = present("revealConfig", () -> json.getBoolean("revealConfig", DEFAULT_REVEAL_CONFIG));
    if (json.containsKey("childLoop")) {
      childLoop = field("childLoop", () -> ChildLoop.valueOf(json.getString("childLoop").toUpperCase()));
    }
  }

  /** @see JsonFields#field */
  static <T> T field(String field, java.util.function.Supplier<T> read) {
    return JsonFields.field(field, read);
  }

  /** @see JsonFields#present */
  static <T> T present(String field, java.util.function.Supplier<T> read) {
    return JsonFields.present(field, read);
  }

  /** @return the options as JSON (period in milliseconds), in full: what the constructor reads back */
  public JsonObject toJson() {
    return toJson(true);
  }

  /**
   * @param withSecrets whether to write what may hold secrets: the allow-list's templates (their
   *     specs carry configs) and a dynamic supervisor's {@code extraArguments}. Without them (for
   *     what is shown to event-bus callers unless {@link #isRevealConfig()}), the allow-list keeps
   *     its verticle names only; the JSON still reads back, without those parts
   * @return the options as JSON
   */
  public JsonObject toJson(boolean withSecrets) {
    JsonObject allow = allowList.toJson();
    if (!withSecrets) {
      allow.remove("templates");
    }
    JsonObject json = new JsonObject()
        .put("strategy", strategy.name())
        .put("intensity", intensity)
        .put("period", period.toMillis())
        .put("autoShutdown", autoShutdown.name())
        .put("backoff", backoff.toJson())
        .put("publishEvents", publishEvents)
        .put("eventsAddress", eventsAddress)
        .put("allowList", allow)
        .put("revealConfig", revealConfig)
        .put("childLoop", childLoop.name());
    if (name != null) {
      json.put("name", name);
    }
    if (controlAddress != null) {
      json.put("controlAddress", controlAddress);
    }
    return json;
  }

  /** @return the name, unique per Vert.x instance; {@code null} means one is generated */
  public String getName() {
    return name;
  }

  /**
   * @param name the supervisor's name, unique per Vert.x instance
   * @return this
   */
  public SupervisorOptions setName(String name) {
    this.name = name;
    return this;
  }

  /** @return the restart strategy */
  public RestartStrategy getStrategy() {
    return strategy;
  }

  /**
   * @param strategy the restart strategy
   * @return this
   */
  public SupervisorOptions setStrategy(RestartStrategy strategy) {
    this.strategy = Objects.requireNonNull(strategy, "strategy");
    return this;
  }

  /** @return how many restarts are allowed within {@link #getPeriod()} */
  public int getIntensity() {
    return intensity;
  }

  /**
   * @param intensity restarts allowed within the period; 0 or more
   * @return this
   */
  public SupervisorOptions setIntensity(int intensity) {
    this.intensity = intensity;
    return this;
  }

  /** @return the intensity period */
  public Duration getPeriod() {
    return period;
  }

  /**
   * @param period the intensity period, positive
   * @return this
   */
  public SupervisorOptions setPeriod(Duration period) {
    this.period = Objects.requireNonNull(period, "period");
    return this;
  }

  /** @return when the supervisor shuts itself down */
  public AutoShutdown getAutoShutdown() {
    return autoShutdown;
  }

  /**
   * @param autoShutdown when the supervisor shuts itself down
   * @return this
   */
  public SupervisorOptions setAutoShutdown(AutoShutdown autoShutdown) {
    this.autoShutdown = Objects.requireNonNull(autoShutdown, "autoShutdown");
    return this;
  }

  /** @return the restart backoff; {@link Backoff#none()} by default, as OTP */
  public Backoff getBackoff() {
    return backoff;
  }

  /**
   * @param backoff the restart backoff
   * @return this
   */
  public SupervisorOptions setBackoff(Backoff backoff) {
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    return this;
  }

  /** @return whether lifecycle events are published on {@link #getEventsAddress()} */
  public boolean isPublishEvents() {
    return publishEvents;
  }

  /**
   * @param publishEvents whether to publish lifecycle events on the event bus (default
   *     {@value #DEFAULT_PUBLISH_EVENTS}). On a local event bus an event's JSON is built only for
   *     a consumer that receives it, so publishing costs little when nobody listens; on a
   *     clustered bus, whose remote consumers cannot be seen, every event is rendered once: turn
   *     this off there when nobody consumes the events address. Local listeners
   *     ({@code addListener}) get the typed events either way.
   * @return this
   */
  public SupervisorOptions setPublishEvents(boolean publishEvents) {
    this.publishEvents = publishEvents;
    return this;
  }

  /** @return the event-bus address lifecycle events are published on */
  public String getEventsAddress() {
    return eventsAddress;
  }

  /**
   * @param eventsAddress the event-bus address for lifecycle events
   * @return this
   */
  public SupervisorOptions setEventsAddress(String eventsAddress) {
    this.eventsAddress = eventsAddress;
    return this;
  }

  /** @return the control address; {@code null} means {@value #CONTROL_ADDRESS_PREFIX} + name */
  public String getControlAddress() {
    return controlAddress;
  }

  /**
   * @param controlAddress the event-bus address of the control consumer
   * @return this
   */
  public SupervisorOptions setControlAddress(String controlAddress) {
    this.controlAddress = controlAddress;
    return this;
  }

  /**
   * @return which children a remote caller (the control address, a cluster member) may start;
   *     {@link ChildAllowList#none()} by default: remote {@code startChild} is refused with
   *     {@link SupervisorError#FORBIDDEN}
   */
  public ChildAllowList getAllowList() {
    return allowList;
  }

  /**
   * @param allowList which children remote callers may start
   * @return this
   */
  public SupervisorOptions setAllowList(ChildAllowList allowList) {
    this.allowList = Objects.requireNonNull(allowList, "allowList");
    return this;
  }

  /**
   * @return whether children's {@code config} is shown to event-bus callers ({@code getChildSpec}
   *     over the control address); {@value #DEFAULT_REVEAL_CONFIG} by default: configs often hold
   *     secrets, and the event bus may be bridged or clustered
   */
  public boolean isRevealConfig() {
    return revealConfig;
  }

  /**
   * @param revealConfig whether event-bus callers may read children's configs
   * @return this
   */
  public SupervisorOptions setRevealConfig(boolean revealConfig) {
    this.revealConfig = revealConfig;
    return this;
  }

  /** @return which event loop the children run on; {@link ChildLoop#ANY} by default */
  public ChildLoop getChildLoop() {
    return childLoop;
  }

  /**
   * @param childLoop which event loop the children run on: {@link ChildLoop#ANY} (the one Vert.x
   *     picks for each, the default) or {@link ChildLoop#SUPERVISOR} (the supervisor's own, so a
   *     group restart crosses no loops; see {@link ChildLoop}). Applies to the children started
   *     from then on: it is read when the supervisor starts
   * @return this
   */
  public SupervisorOptions setChildLoop(ChildLoop childLoop) {
    this.childLoop = Objects.requireNonNull(childLoop, "childLoop");
    return this;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
