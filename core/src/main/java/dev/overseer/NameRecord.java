package dev.overseer;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Who holds a registered name: what {@link NameRegistry#whereis} answers (OTP's
 * {@code whereis/1}, with the member it runs on).
 *
 * @param name the registered name
 * @param kind what holds it, e.g. {@code "server"} or {@code "supervisor"}
 * @param nodeId the member the holder runs on ({@link Overseer#nodeId})
 * @param deploymentId the holder's Vert.x deployment id on that member
 */
public record NameRecord(String name, String kind, String nodeId, String deploymentId) {

  /**
   * Checks that no field is {@code null}.
   *
   * @param deploymentId the holder's deployment id
   * @param kind whether a supervisor or a server holds the name
   * @param name the name
   * @param nodeId the member's node id
   */
  public NameRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(deploymentId, "deploymentId");
  }

  /** @return the record as JSON: {@code name}, {@code kind}, {@code nodeId}, {@code deploymentId} */
  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("kind", kind).put("nodeId", nodeId).put("deploymentId", deploymentId);
  }

  /**
   * @param json what {@link #toJson()} wrote
   * @return the record
   * @throws IllegalArgumentException naming the first missing or mistyped field
   */
  public static NameRecord fromJson(JsonObject json) {
    return new NameRecord(field(json, "name"), field(json, "kind"), field(json, "nodeId"), field(json, "deploymentId"));
  }

  private static String field(JsonObject json, String name) {
    Object v = json == null ? null : json.getValue(name);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(name + ": expected a string, got " + (v == null ? "nothing" : v.getClass().getSimpleName()));
    }
    return s;
  }
}
