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
}
