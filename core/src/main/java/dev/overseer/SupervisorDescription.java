package dev.overseer;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What {@link SupervisorRef#describe()} answers: a supervisor's identity, flags and restart
 * intensity in use. Immutable; travels as {@link #toJson()}.
 *
 * @param name the registered name
 * @param nodeId the node it runs on ({@link Overseer#nodeId})
 * @param kind {@link Kind#STATIC} for a {@link Supervisor}, {@link Kind#DYNAMIC} for a {@link DynamicSupervisor}
 * @param intensityUsed restarts that count against the intensity when asked
 * @param options the options in force (a {@link DynamicSupervisorOptions} for a dynamic one);
 *     strategy, intensity and period are read from them
 */
public record SupervisorDescription(String name, String nodeId, Kind kind, int intensityUsed, SupervisorOptions options) {

  /** Which kind of supervisor. */
  public enum Kind {
    /** A {@link Supervisor}: a fixed, ordered set of children (OTP's supervisor with a strategy). */
    STATIC,
    /** A {@link DynamicSupervisor}: children added at run time (OTP's {@code simple_one_for_one}). */
    DYNAMIC
  }

  /**
   * Checks that no field is {@code null} and copies the options, so later changes to the
   * caller's options object do not show here.
   *
   * @param name the registered name
   * @param nodeId the node it runs on ({@link Overseer#nodeId})
   * @param kind {@link Kind#STATIC} or {@link Kind#DYNAMIC}
   * @param intensityUsed restarts that count against the intensity when asked
   * @param options the options in force (a {@link DynamicSupervisorOptions} for a dynamic one)
   * @throws NullPointerException when {@code name}, {@code nodeId}, {@code kind} or
   *     {@code options} is {@code null}
   */
  public SupervisorDescription {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(options, "options");
    options = options instanceof DynamicSupervisorOptions d ? new DynamicSupervisorOptions(d) : new SupervisorOptions(options);
  }

  /** @return the options in force (a copy) */
  @Override
  public SupervisorOptions options() {
    return options instanceof DynamicSupervisorOptions d ? new DynamicSupervisorOptions(d) : new SupervisorOptions(options);
  }

  /** @return the restart strategy (ignored by a dynamic supervisor) */
  public RestartStrategy strategy() {
    return options.getStrategy();
  }

  /** @return the restart intensity: restarts allowed within {@link #options()}' period */
  public int intensity() {
    return options.getIntensity();
  }

  /** @return the period of the intensity, in milliseconds */
  public long periodMillis() {
    return options.getPeriod().toMillis();
  }

  /**
   * @return {@code {name, nodeId, kind, strategy, intensity, periodMillis, intensityUsed, options}};
   *     strategy, intensity and periodMillis repeat what options says, for readers that want no
   *     options parsing
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("nodeId", nodeId)
        .put("kind", kind.name())
        .put("strategy", strategy().name())
        .put("intensity", intensity())
        .put("periodMillis", periodMillis())
        .put("intensityUsed", intensityUsed)
        .put("options", options.toJson(false));
  }

  /**
   * @param json what {@link #toJson()} wrote
   * @return the description
   * @throws IllegalArgumentException naming the first missing or mistyped field
   */
  public static SupervisorDescription fromJson(JsonObject json) {
    Objects.requireNonNull(json, "json");
    String name = string(json, "name");
    String nodeId = string(json, "nodeId");
    Kind kind;
    try {
      kind = Kind.valueOf(string(json, "kind"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("kind: expected STATIC or DYNAMIC, got " + json.getValue("kind"));
    }
    Object used = json.getValue("intensityUsed");
    if (!(used instanceof Number n)) {
      throw new IllegalArgumentException("intensityUsed: expected a number, got " + used);
    }
    Object options = json.getValue("options");
    if (!(options instanceof JsonObject o)) {
      throw new IllegalArgumentException("options: expected an object, got " + options);
    }
    SupervisorOptions parsed = kind == Kind.DYNAMIC ? new DynamicSupervisorOptions(o) : new SupervisorOptions(o);
    return new SupervisorDescription(name, nodeId, kind, n.intValue(), parsed);
  }

  private static String string(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(field + ": expected a string, got " + v);
    }
    return s;
  }
}
