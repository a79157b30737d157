package dev.overseer;

import io.vertx.core.json.JsonObject;

/**
 * The result of {@link SupervisorBase#countChildren()}, as OTP's {@code count_children/1}.
 *
 * @param specs all child specs, running or not
 * @param active children running (deployed)
 * @param supervisors children of type supervisor, running or not
 * @param workers children of type worker, running or not
 */
public record ChildCount(int specs, int active, int supervisors, int workers) {

  /** @return {@code {specs, active, supervisors, workers}} */
  public JsonObject toJson() {
    return new JsonObject().put("specs", specs).put("active", active).put("supervisors", supervisors).put("workers", workers);
  }

  /**
   * @param json what {@link #toJson()} wrote
   * @return the counts
   * @throws IllegalArgumentException naming the first missing or mistyped field
   */
  public static ChildCount fromJson(JsonObject json) {
    return new ChildCount(count(json, "specs"), count(json, "active"), count(json, "supervisors"), count(json, "workers"));
  }

  private static int count(JsonObject json, String field) {
    Object v = json == null ? null : json.getValue(field);
    if (!(v instanceof Number)) {
      throw new IllegalArgumentException(field + ": expected a number, got " + v);
    }
    return ((Number) v).intValue();
  }
}
