package dev.overseer;

import io.vertx.core.Deployable;
import dev.overseer.impl.Bounds;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
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

  /** The longest id accepted: ids travel in events, replies and the console. */
  public static final int MAX_ID_LENGTH = 256;

  /** Marks the JSON of a spec whose config was left out ({@link #toJson(boolean)}). */
  public static final String REDACTED = "configRedacted";

  private final String id;
  private final Supplier<? extends Deployable> supplier;
  private final String verticleName;
  private final DeploymentOptions deploymentOptions;
  private final RestartType restart;
  private final Shutdown shutdown;
  private final ChildType type;
  private final boolean significant;

  /**
   * The deployment options of every spec made by a factory: shared, since a spec never hands out
   * or changes its own (the accessor returns a copy, {@link #withDeploymentOptions} stores one).
   */
  private static final DeploymentOptions DEFAULT_DEPLOYMENT_OPTIONS = new DeploymentOptions();

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
    return new ChildSpec(id, start, null, DEFAULT_DEPLOYMENT_OPTIONS, RestartType.PERMANENT, null, ChildType.WORKER, false);
  }

  /**
   * @param id unique among the supervisor's children
   * @param start returns a fresh {@link Supervisor} or {@link DynamicSupervisor} for every start
   * @return a permanent supervisor spec (shutdown infinity)
   */
  public static ChildSpec supervisor(String id, Supplier<? extends Deployable> start) {
    return new ChildSpec(id, start, null, DEFAULT_DEPLOYMENT_OPTIONS, RestartType.PERMANENT, null, ChildType.SUPERVISOR, false);
  }

  /**
   * @param id unique among the supervisor's children
   * @param verticleName a class implementing {@link Deployable} with a public no-argument
   *     constructor, optionally prefixed {@code java:}
   * @return a permanent worker spec that starts that class
   */
  public static ChildSpec verticle(String id, String verticleName) {
    return new ChildSpec(id, null, verticleName, DEFAULT_DEPLOYMENT_OPTIONS, RestartType.PERMANENT, null, ChildType.WORKER, false);
  }

  /**
   * Reads the JSON form written by {@link #toJson()}; only verticle-name specs can be read. Every
   * field is checked for its type, {@code deploymentOptions} included (Vert.x's own reader skips
   * a field of the wrong type without a word), and an unknown field is an error rather than a
   * typo silently ignored.
   *
   * @param json {@code {"id", "verticle", "deploymentOptions"?, "restart"?, "shutdown"?, "type"?, "significant"?}}
   * @return the spec
   * @throws SupervisorException {@link SupervisorError#INVALID_SPEC} naming the field that is wrong
   */
  public static ChildSpec fromJson(JsonObject json) {
    if (json == null) {
      throw invalid("spec", "must be a JSON object");
    }
    for (String field : json.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw invalid(Bounds.truncate(field, 64), unknownField(field));
      }
    }
    Object id = json.getValue("id");
    if (!(id instanceof String)) {
      throw invalid("id", "must be a string, got " + describe(id));
    }
    Object verticle = json.getValue("verticle");
    if (!(verticle instanceof String)) {
      throw invalid("verticle", "must be a verticle class name, got " + describe(verticle));
    }
    ChildSpec spec = verticle((String) id, (String) verticle);
    Object options = json.getValue("deploymentOptions");
    if (options != null) {
      if (!(options instanceof JsonObject)) {
        throw invalid("deploymentOptions", "must be a JSON object, got " + describe(options));
      }
      spec = spec.withDeploymentOptions(deploymentOptions((JsonObject) options));
    }
    spec = spec.withRestart(enumField(json, "restart", RestartType.class, RestartType.PERMANENT));
    spec = spec.withType(enumField(json, "type", ChildType.class, ChildType.WORKER));
    if (json.containsKey("shutdown")) {
      try {
        spec = spec.withShutdown(Shutdown.fromJson(json.getValue("shutdown")));
      } catch (IllegalArgumentException e) {
        throw invalid("shutdown", Bounds.truncate(e.getMessage(), 200));
      }
    }
    Object significant = json.getValue("significant", false);
    if (!(significant instanceof Boolean)) {
      throw invalid("significant", "must be true or false, got " + describe(significant));
    }
    return spec.withSignificant((Boolean) significant);
  }

  private static final java.util.Set<String> FIELDS = java.util.Set.of(
      "id", "verticle", "deploymentOptions", "restart", "shutdown", "type", "significant");

  private static String unknownField(String field) {
    if ("start".equals(field)) {
      return "a spec started from a Supplier has no JSON form (only \"verticle\" specs can be read)";
    }
    if (REDACTED.equals(field)) {
      return "this spec was read with its config redacted and cannot be started again from JSON";
    }
    return "unknown field; expected one of " + new java.util.TreeSet<>(FIELDS);
  }

  /**
   * Vert.x's {@code DeploymentOptions} fields, each checked for its type, as Vert.x's generated
   * converter does not: it skips {@code "instances": "one"} and {@code "config": "x"}.
   */
  private static DeploymentOptions deploymentOptions(JsonObject json) {
    DeploymentOptions options = new DeploymentOptions();
    for (Map.Entry<String, Object> e : json) {
      String field = "deploymentOptions." + Bounds.truncate(e.getKey(), 64);
      Object v = e.getValue();
      try {
        switch (e.getKey()) {
          case "config":
            if (v != null && !(v instanceof JsonObject)) {
              throw invalid(field, "must be a JSON object, got " + describe(v));
            }
            options.setConfig(v == null ? null : ((JsonObject) v).copy());
            break;
          case "threadingModel":
            options.setThreadingModel(enumValue(field, v, ThreadingModel.class));
            break;
          case "ha":
            if (!(v instanceof Boolean)) {
              throw invalid(field, "must be true or false, got " + describe(v));
            }
            options.setHa((Boolean) v);
            break;
          case "instances":
            options.setInstances((int) integer(field, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            break;
          case "workerPoolName":
            if (v != null && !(v instanceof String)) {
              throw invalid(field, "must be a string, got " + describe(v));
            }
            options.setWorkerPoolName((String) v);
            break;
          case "workerPoolSize":
            options.setWorkerPoolSize((int) integer(field, v, 1, Integer.MAX_VALUE));
            break;
          case "maxWorkerExecuteTime":
            options.setMaxWorkerExecuteTime(integer(field, v, 1, Long.MAX_VALUE));
            break;
          case "maxWorkerExecuteTimeUnit":
            options.setMaxWorkerExecuteTimeUnit(enumValue(field, v, TimeUnit.class));
            break;
          default:
            throw invalid(field, "unknown field; expected one of [config, ha, instances, maxWorkerExecuteTime, "
                + "maxWorkerExecuteTimeUnit, threadingModel, workerPoolName, workerPoolSize]");
        }
      } catch (IllegalArgumentException ex) {
        throw invalid(field, Bounds.truncate(ex.getMessage(), 200));
      }
    }
    return options;
  }

  private static long integer(String field, Object v, long min, long max) {
    if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
      throw invalid(field, "must be an integer, got " + describe(v));
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      throw invalid(field, "must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  private static <E extends Enum<E>> E enumValue(String field, Object v, Class<E> type) {
    if (v instanceof String) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase((String) v)) {
          return e;
        }
      }
    }
    throw invalid(field, "unknown value " + describe(v) + "; expected one of " + java.util.Arrays.toString(type.getEnumConstants()));
  }

  private static <E extends Enum<E>> E enumField(JsonObject json, String field, Class<E> type, E def) {
    Object value = json.getValue(field);
    return value == null ? def : enumValue(field, value, type);
  }

  /** What a rejected value was, bounded: an error message must not echo a megabyte back. */
  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "\"" + Bounds.truncate((String) v, 100) + "\"";
    }
    if (v instanceof JsonObject || v instanceof Map) {
      return "an object";
    }
    if (v instanceof io.vertx.core.json.JsonArray || v instanceof java.util.List) {
      return "an array";
    }
    return Bounds.truncate(String.valueOf(v), 100);
  }

  private static SupervisorException invalid(String field, String why) {
    return new SupervisorException(SupervisorError.INVALID_SPEC, field + ": " + why);
  }

  /**
   * @return the spec as JSON, config included (what {@link #fromJson} reads back); a
   *     supplier-started spec is written with {@code "start": "supplier"} and cannot be read back
   */
  public JsonObject toJson() {
    return toJson(true);
  }

  /**
   * @param withConfig whether to write {@code deploymentOptions.config}: without it (what the
   *     event bus and {@link #toString()} show unless the application opts in), the config is
   *     left out and {@value #REDACTED} is {@code true}, so the JSON cannot be started again
   *     by mistake with an empty config
   * @return the spec as JSON
   */
  public JsonObject toJson(boolean withConfig) {
    JsonObject json = new JsonObject().put("id", id);
    if (verticleName != null) {
      JsonObject options = deploymentOptions.toJson();
      if (!withConfig && options.remove("config") != null) {
        json.put(REDACTED, true);
      }
      json.put("verticle", verticleName).put("deploymentOptions", options);
    } else {
      json.put("start", "supplier");
    }
    return json.put("restart", restart.name())
        .put("shutdown", shutdown().toJson())
        .put("type", type.name())
        .put("significant", significant);
  }

  /**
   * @param id the new id
   * @return a copy with another id
   */
  public ChildSpec withId(String id) {
    return new ChildSpec(id, supplier, verticleName, deploymentOptions, restart, shutdown, type, significant);
  }

  /**
   * @param restart the new restart type
   * @return a copy with another restart type
   */
  public ChildSpec withRestart(RestartType restart) {
    return new ChildSpec(id, supplier, verticleName, deploymentOptions, Objects.requireNonNull(restart, "restart"), shutdown, type, significant);
  }

  /**
   * @param shutdown the new shutdown
   * @return a copy with another shutdown
   */
  public ChildSpec withShutdown(Shutdown shutdown) {
    return new ChildSpec(id, supplier, verticleName, deploymentOptions, restart, Objects.requireNonNull(shutdown, "shutdown"), type, significant);
  }

  /**
   * @param type the new child type
   * @return a copy with another child type (which changes the default shutdown)
   */
  public ChildSpec withType(ChildType type) {
    return new ChildSpec(id, supplier, verticleName, deploymentOptions, restart, shutdown, Objects.requireNonNull(type, "type"), significant);
  }

  /**
   * @param significant whether the child is significant
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

  /** @return the JSON form without the config, which may hold secrets and must not reach logs */
  @Override
  public String toString() {
    return toJson(false).encode();
  }
}
