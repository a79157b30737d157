package dev.overseer;

import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a supervisor starts, restarts and stops one child. Works like an OTP child spec map
 * ({@code #{id, start, restart, shutdown, type, significant}}); immutable, refined with the
 * {@code withX} methods:
 *
 * <pre>{@code
 * ChildSpec.worker("cache", CacheVerticle::new)
 *     .withRestart(RestartType.TRANSIENT)
 *     .withShutdown(Shutdown.timeout(Duration.ofSeconds(1)));
 * }</pre>
 *
 * <p>A child starts either from a {@link Supplier} of a fresh {@link Deployable} (called once per
 * start: every restart gets a new instance) or from a verticle class name and
 * {@link DeploymentOptions}; only the latter can be written as JSON and so cross the event bus
 * or the cluster. Specs are checked when handed to a supervisor, never here: a rejection is a
 * {@link SupervisorException} with {@link SupervisorError#INVALID_SPEC} naming the field.
 *
 * <p>Defaults, as OTP: restart {@code PERMANENT}, type {@code WORKER}, shutdown 5 s for a worker
 * and infinity for a supervisor, not significant.
 */
public final class ChildSpec {

  private final String id;
  private final Supplier<? extends Deployable> supplier;
  private final String verticleName;
  private final DeploymentOptions deploymentOptions;
  private final RestartType restart;
  private final Shutdown shutdown;
  private final ChildType type;
  private final boolean significant;

  private ChildSpec(String id, Supplier<? extends Deployable> supplier, String verticleName,
                    DeploymentOptions deploymentOptions, RestartType restart, Shutdown shutdown,
                    ChildType type, boolean significant) {
    this.id = id;
    this.supplier = supplier;
    this.verticleName = verticleName;
    this.deploymentOptions = deploymentOptions;
    this.restart = restart;
    this.shutdown = shutdown;
    this.type = type;
    this.significant = significant;
  }

  /**
   * @param id unique among the supervisor's children
   * @param start called for every start and restart; must return a fresh instance each time
   * @return a permanent worker spec
   */
  public static ChildSpec worker(String id, Supplier<? extends Deployable> start) {
    return new ChildSpec(id, start, null, new DeploymentOptions(), RestartType.PERMANENT, null, ChildType.WORKER, false);
  }

  /**
   * @param id unique among the supervisor's children
   * @param start returns a fresh {@link Supervisor} or {@link DynamicSupervisor} for every start
   * @return a permanent supervisor spec (shutdown infinity)
   */
  public static ChildSpec supervisor(String id, Supplier<? extends Deployable> start) {
    return new ChildSpec(id, start, null, new DeploymentOptions(), RestartType.PERMANENT, null, ChildType.SUPERVISOR, false);
  }

  /**
   * @param id unique among the supervisor's children
   * @param verticleName a class implementing {@link Deployable} with a public no-argument
   *     constructor, optionally prefixed {@code java:}
   * @return a permanent worker spec that starts that class
   */
  public static ChildSpec verticle(String id, String verticleName) {
    return new ChildSpec(id, null, verticleName, new DeploymentOptions(), RestartType.PERMANENT, null, ChildType.WORKER, false);
  }

  /**
   * Reads the JSON form written by {@link #toJson()}; only verticle-name specs can be read.
   *
   * @param json {@code {"id", "verticle", "deploymentOptions"?, "restart"?, "shutdown"?, "type"?, "significant"?}}
   * @return the spec
   * @throws SupervisorException {@link SupervisorError#INVALID_SPEC} naming the field that is wrong
   */
  public static ChildSpec fromJson(JsonObject json) {
    if (json == null) {
      throw invalid("spec", "must be a JSON object");
    }
    Object id = json.getValue("id");
    if (!(id instanceof String)) {
      throw invalid("id", "must be a string, got " + id);
    }
    Object verticle = json.getValue("verticle");
    if (!(verticle instanceof String)) {
      throw invalid("verticle", "must be a verticle class name, got " + verticle);
    }
    ChildSpec spec = verticle((String) id, (String) verticle);
    Object options = json.getValue("deploymentOptions");
    if (options != null) {
      if (!(options instanceof JsonObject)) {
        throw invalid("deploymentOptions", "must be a JSON object");
      }
      try {
        spec = spec.withDeploymentOptions(new DeploymentOptions((JsonObject) options));
      } catch (RuntimeException e) {
        throw invalid("deploymentOptions", e.getMessage());
      }
    }
    spec = spec.withRestart(enumField(json, "restart", RestartType.class, RestartType.PERMANENT));
    spec = spec.withType(enumField(json, "type", ChildType.class, ChildType.WORKER));
    if (json.containsKey("shutdown")) {
      try {
        spec = spec.withShutdown(Shutdown.fromJson(json.getValue("shutdown")));
      } catch (IllegalArgumentException e) {
        throw invalid("shutdown", e.getMessage());
      }
    }
    Object significant = json.getValue("significant", false);
    if (!(significant instanceof Boolean)) {
      throw invalid("significant", "must be true or false, got " + significant);
    }
    return spec.withSignificant((Boolean) significant);
  }

  private static <E extends Enum<E>> E enumField(JsonObject json, String field, Class<E> type, E def) {
    Object value = json.getValue(field);
    if (value == null) {
      return def;
    }
    try {
      return Enum.valueOf(type, String.valueOf(value).toUpperCase());
    } catch (IllegalArgumentException e) {
      throw invalid(field, "unknown value " + value + "; expected one of " + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }

  private static SupervisorException invalid(String field, String why) {
    return new SupervisorException(SupervisorError.INVALID_SPEC, field + ": " + why);
  }

  /**
   * @return the spec as JSON; a supplier-started spec is written with {@code "start": "supplier"}
   *     and cannot be read back
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id);
    if (verticleName != null) {
      json.put("verticle", verticleName).put("deploymentOptions", deploymentOptions.toJson());
    } else {
      json.put("start", "supplier");
    }
    return json.put("restart", restart.name())
        .put("shutdown", shutdown().toJson())
        .put("type", type.name())
        .put("significant", significant);
  }

  /**
   * @param id the child's id
   * @return a copy with another id
   */
  public ChildSpec withId(String id) {
    return new ChildSpec(id, supplier, verticleName, deploymentOptions, restart, shutdown, type, significant);
  }

  /**
   * @param restart when the child is restarted
   * @return a copy with another restart type
   */
  public ChildSpec withRestart(RestartType restart) {
    return new ChildSpec(id, supplier, verticleName, deploymentOptions, Objects.requireNonNull(restart, "restart"), shutdown, type, significant);
  }

  /**
   * @param shutdown how the child is stopped
   * @return a copy with another shutdown
   */
  public ChildSpec withShutdown(Shutdown shutdown) {
    return new ChildSpec(id, supplier, verticleName, deploymentOptions, restart, Objects.requireNonNull(shutdown, "shutdown"), type, significant);
  }

  /**
   * @param type what happened
   * @return a copy with another child type (which changes the default shutdown)
   */
  public ChildSpec withType(ChildType type) {
    return new ChildSpec(id, supplier, verticleName, deploymentOptions, restart, shutdown, Objects.requireNonNull(type, "type"), significant);
  }

  /**
   * @param significant whether its exit may shut the supervisor down (auto_shutdown)
   * @return a copy marked significant or not (see {@link AutoShutdown})
   */
  public ChildSpec withSignificant(boolean significant) {
    return new ChildSpec(id, supplier, verticleName, deploymentOptions, restart, shutdown, type, significant);
  }

  /**
   * @param options how to deploy the child (config, threading model, worker pool…); copied.
   *     {@code instances} must be 1: a child is one deployment instance.
   * @return a copy with these options
   */
  public ChildSpec withDeploymentOptions(DeploymentOptions options) {
    return new ChildSpec(id, supplier, verticleName, new DeploymentOptions(Objects.requireNonNull(options, "deploymentOptions")), restart, shutdown, type, significant);
  }

  /** @return the id */
  public String id() {
    return id;
  }

  /** @return the supplier of fresh instances, or {@code null} for a verticle-name spec */
  public Supplier<? extends Deployable> supplier() {
    return supplier;
  }

  /** @return the verticle class name, or {@code null} for a supplier spec */
  public String verticleName() {
    return verticleName;
  }

  /** @return a copy of the deployment options */
  public DeploymentOptions deploymentOptions() {
    return new DeploymentOptions(deploymentOptions);
  }

  /** @return the restart type */
  public RestartType restart() {
    return restart;
  }

  /** @return the shutdown, or the default for the child type when none was set */
  public Shutdown shutdown() {
    return shutdown != null ? shutdown : Shutdown.defaultFor(type);
  }

  /** @return the child type */
  public ChildType type() {
    return type;
  }

  /** @return whether the child is significant for auto-shutdown */
  public boolean significant() {
    return significant;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
