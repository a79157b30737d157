package dev.overseer;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * One lifecycle change in a supervision tree: what OTP's supervisor writes as progress and error
 * reports. Delivered to local listeners ({@link SupervisorBase#addListener}) as this value and
 * published on the event bus ({@link SupervisorOptions#getEventsAddress()}) as {@link #toJson()}.
 * Immutable.
 */
public final class SupervisorEvent {

  /** What happened. */
  public enum Type {
    /** The supervisor started all its initial children. */
    SUPERVISOR_STARTED,
    /** A child started (initial start, {@code startChild} or {@code restartChild}). */
    CHILD_STARTED,
    /** A child exited by itself or crashed; {@link #reason()} says why. */
    CHILD_EXITED,
    /** A running child was stopped by its supervisor (terminateChild, a group restart, shutdown). */
    CHILD_TERMINATED,
    /** A child was started again by its supervisor's restart strategy. */
    CHILD_RESTARTED,
    /** A child's start failed; {@link #reason()} carries the cause. */
    START_FAILED,
    /** A child did not stop cleanly: its {@code stop} failed or timed out and it was killed. */
    SHUTDOWN_ERROR,
    /** More restarts than the intensity allows within the period: the supervisor gives up. */
    MAX_INTENSITY_REACHED,
    /** The supervisor stopped; {@link #reason()} is shutdown, or a failure when it escalates. */
    SUPERVISOR_STOPPED,
    /**
     * A distributed child moved to another member because its owner left gracefully and handed it
     * over; {@link #details()} has {@code from}, {@code to}, {@code epoch} and
     * {@code unavailableMillis}.
     */
    CHILD_HANDED_OFF,
    /**
     * A distributed child was started on a survivor because its owner left the cluster without
     * handing it over (crash, kill, hang); {@link #details()} as for {@link #CHILD_HANDED_OFF}.
     */
    CHILD_FAILED_OVER
  }

  private final Type type;
  private final String supervisor;
  private final String childId;
  private final ExitReason reason;
  private final int restartCount;
  private final Instant timestamp;
  private final JsonObject details;

  /**
   * @param type what happened
   * @param supervisor the supervisor's name
   * @param childId the child concerned, or {@code null} for supervisor-wide events
   * @param reason the exit or failure reason, or {@code null}
   * @param restartCount how many times the child has been restarted so far
   * @param timestamp when it happened
   */
  public SupervisorEvent(Type type, String supervisor, String childId, ExitReason reason, int restartCount, Instant timestamp) {
    this(type, supervisor, childId, reason, restartCount, timestamp, null);
  }

  /**
   * @param type what happened
   * @param supervisor the supervisor's name
   * @param childId the child concerned, or {@code null} for supervisor-wide events
   * @param reason the exit or failure reason, or {@code null}
   * @param restartCount how many times the child has been restarted so far
   * @param timestamp when it happened
   * @param details what else the event type carries (see {@link Type}), or {@code null}; copied
   */
  public SupervisorEvent(Type type, String supervisor, String childId, ExitReason reason, int restartCount, Instant timestamp,
                         JsonObject details) {
    this.details = details == null ? null : details.copy();
    this.type = Objects.requireNonNull(type, "type");
    this.supervisor = Objects.requireNonNull(supervisor, "supervisor");
    this.childId = childId;
    this.reason = reason;
    this.restartCount = restartCount;
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
  }

  /** @return what happened */
  public Type type() {
    return type;
  }

  /** @return the supervisor's name */
  public String supervisor() {
    return supervisor;
  }

  /** @return the child concerned, or {@code null} */
  public String childId() {
    return childId;
  }

  /** @return the reason, or {@code null} */
  public ExitReason reason() {
    return reason;
  }

  /** @return the child's restart count when this happened */
  public int restartCount() {
    return restartCount;
  }

  /** @return when it happened */
  public Instant timestamp() {
    return timestamp;
  }

  /** @return what else the event carries (from/to members of a move…), or {@code null}; a copy */
  public JsonObject details() {
    return details == null ? null : details.copy();
  }

  /** @return {@code {type, supervisor, childId?, reason?, restartCount, timestamp, details?}} */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", type.name())
        .put("supervisor", supervisor)
        .put("restartCount", restartCount)
        .put("timestamp", timestamp.toString());
    if (childId != null) {
      json.put("childId", childId);
    }
    if (reason != null) {
      json.put("reason", reason.toJson());
    }
    if (details != null) {
      json.put("details", details.copy());
    }
    return json;
  }

  @Override
  public String toString() {
    return type + " " + supervisor + (childId == null ? "" : "/" + childId) + (reason == null ? "" : " " + reason);
  }
}
