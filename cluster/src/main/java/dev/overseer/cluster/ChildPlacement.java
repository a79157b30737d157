package dev.overseer.cluster;

import io.vertx.core.json.JsonObject;

/**
 * Where one distributed child stands in the cluster-wide table: its owner and ownership epoch.
 * Immutable.
 *
 * @param id the child's id
 * @param owner the owning member's node id, or {@code null} when no member may run it (failed)
 * @param epoch the ownership epoch; it grows with every move and never goes back
 * @param failed whether its per-child restart budget ran out (it is then kept but not run)
 */
public record ChildPlacement(String id, String owner, long epoch, boolean failed) {

  /** @return {@code {id, owner?, epoch, failed}} */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("epoch", epoch).put("failed", failed);
    if (owner != null) {
      json.put("owner", owner);
    }
    return json;
  }
}
