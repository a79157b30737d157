package dev.overseer;

import io.vertx.core.json.JsonObject;

/**
 * One row of {@link SupervisorBase#whichChildren()}: OTP's {@code {Id, Child, Type, Modules}},
 * plus what a console needs. Immutable.
 *
 * @param id the child's id
 * @param status where it stands
 * @param type worker or supervisor
 * @param restart its restart type
 * @param deploymentId its current Vert.x deployment, or {@code null} when not running
 * @param restartCount how many times its supervisor restarted it
 * @param lastExit its last exit reason, or {@code null}
 * @param supervisorName the name of the nested supervisor when the child is one, else {@code null}
 */
public record ChildInfo(String id, ChildStatus status, ChildType type, RestartType restart, String deploymentId,
                        int restartCount, ExitReason lastExit, String supervisorName) {

  /** @return the row as JSON */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("status", status.name())
        .put("type", type.name())
        .put("restart", restart.name())
        .put("restartCount", restartCount);
    if (deploymentId != null) {
      json.put("deploymentId", deploymentId);
    }
    if (lastExit != null) {
      json.put("lastExit", lastExit.toJson());
    }
    if (supervisorName != null) {
      json.put("supervisorName", supervisorName);
    }
    return json;
  }

  /**
   * @param json what {@link #toJson()} wrote
   * @return the row; a failed {@code lastExit} carries a {@link RemoteFailure} with the original
   *     exception's class name and message
   * @throws IllegalArgumentException naming the first missing or mistyped field
   */
  public static ChildInfo fromJson(JsonObject json) {
    java.util.Objects.requireNonNull(json, "json");
    Object id = json.getValue("id");
    if (!(id instanceof String)) {
      throw new IllegalArgumentException("id: expected a string, got " + id);
    }
    Object count = json.getValue("restartCount", 0);
    if (!(count instanceof Number)) {
      throw new IllegalArgumentException("restartCount: expected a number, got " + count);
    }
    Object exit = json.getValue("lastExit");
    if (exit != null && !(exit instanceof JsonObject)) {
      throw new IllegalArgumentException("lastExit: expected an object, got " + exit);
    }
    return new ChildInfo((String) id, enumOf(json, "status", ChildStatus.class), enumOf(json, "type", ChildType.class),
        enumOf(json, "restart", RestartType.class), json.getString("deploymentId"), ((Number) count).intValue(),
        exit == null ? null : ExitReason.fromJson((JsonObject) exit), json.getString("supervisorName"));
  }

  static <E extends Enum<E>> E enumOf(JsonObject json, String field, Class<E> type) {
    Object v = json.getValue(field);
    try {
      return Enum.valueOf(type, String.valueOf(v));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": expected one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", got " + v);
    }
  }
}
