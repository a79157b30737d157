package dev.overseer.chaos;

import io.vertx.core.json.JsonObject;

/**
 * One fault the nemesis injected, with when it started and when the nemesis considered it over
 * (for a kill: the replacement member had joined).
 *
 * @param kind what was done
 * @param target the member slot or child it was done to
 * @param startNanos nanoseconds since the start of the run
 * @param endNanos nanoseconds since the start of the run
 * @param detail a human-readable note (pids, durations), or {@code null}
 */
public record Fault(Kind kind, String target, long startNanos, long endNanos, String detail) {

  /** The faults the nemesis knows. */
  public enum Kind {
    /** A server crashed by a message it throws on. */
    POISON,
    /** A member killed with SIGKILL, then a new member started in its slot. */
    KILL,
    /** A member stopped gracefully (SIGTERM: the JVM's shutdown hook closes Vert.x), then replaced. */
    STOP,
    /** A member paused with SIGSTOP long enough to be removed from the cluster, then resumed. */
    PAUSE,
    /** Every member stopped gracefully and replaced, one after the other. */
    ROLLING_RESTART
  }

  /** @return the fault as one line of the history file */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("fault", kind.name().toLowerCase()).put("target", target)
        .put("start", startNanos).put("end", endNanos);
    if (detail != null) {
      json.put("detail", detail);
    }
    return json;
  }

  /**
   * Reads a line written by {@link #toJson()}.
   *
   * @param json the line
   * @return the fault
   */
  public static Fault fromJson(JsonObject json) {
    return new Fault(Kind.valueOf(json.getString("fault").toUpperCase()), json.getString("target"),
        json.getLong("start"), json.getLong("end"), json.getString("detail"));
  }
}
