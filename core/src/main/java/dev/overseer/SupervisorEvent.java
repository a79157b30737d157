package dev.overseer;

import dev.overseer.impl.Bounds;
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

  /** The longest supervisor name or child id written by {@link #toJson()}, in characters. */
  public static final int MAX_ID_LENGTH = ChildSpec.MAX_ID_LENGTH;

  private final Type type;
  private final String supervisor;
  private final String childId;
  private final ExitReason reason;
  private final int restartCount;
  private final Instant timestamp;
  private final JsonObject details;
  private final String nodeId;
  private final String deploymentId;

  /**
   * @param type what happened
   * @param supervisor the supervisor's name
   * @param childId the child concerned, or {@code null} for supervisor-wide events
   * @param reason the exit or failure reason, or {@code null}
   * @param restartCount how many times the child has been restarted so far
   * @param timestamp when it happened
   */
  public SupervisorEvent(Type type, String supervisor, String childId, ExitReason reason, int restartCount, Instant timestamp) {
    this(type, supervisor, childId, reason, restartCount, timestamp, null, null);
  }

  /**
   * @param type what happened
   * @param supervisor the supervisor's name
   * @param childId the child concerned, or {@code null} for supervisor-wide events
   * @param reason the exit or failure reason, or {@code null}
   * @param restartCount how many times the child has been restarted so far
   * @param timestamp when it happened
   * @param nodeId the node the supervisor runs on ({@link Overseer#nodeId}), or {@code null} when unknown
   * @param deploymentId the Vert.x deployment of the child's incarnation concerned (the one that
   *     started, exited or was stopped), or {@code null} (supervisor-wide events, failed starts)
   */
  public SupervisorEvent(Type type, String supervisor, String childId, ExitReason reason, int restartCount, Instant timestamp,
                         String nodeId, String deploymentId) {
    this(type, supervisor, childId, reason, restartCount, timestamp, nodeId, deploymentId, null);
  }

  /**
   * @param type what happened
   * @param supervisor the supervisor's name
   * @param childId the child concerned, or {@code null} for supervisor-wide events
   * @param reason the exit or failure reason, or {@code null}
   * @param restartCount how many times the child has been restarted so far
   * @param timestamp when it happened
   * @param nodeId the node the supervisor runs on ({@link Overseer#nodeId}), or {@code null} when unknown
   * @param deploymentId the Vert.x deployment of the child's incarnation concerned, or {@code null}
   * @param details what else the event type carries (see {@link Type}), or {@code null}; copied
   */
  public SupervisorEvent(Type type, String supervisor, String childId, ExitReason reason, int restartCount, Instant timestamp,
                         String nodeId, String deploymentId, JsonObject details) {
    this.nodeId = nodeId;
    this.deploymentId = deploymentId;
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

  /** @return the node the supervisor runs on, or {@code null} when unknown */
  public String nodeId() {
    return nodeId;
  }

  /** @return the deployment of the child's incarnation concerned, or {@code null} */
  public String deploymentId() {
    return deploymentId;
  }

  /**
   * @return {@code {type, supervisor, childId?, reason?, restartCount, timestamp, nodeId?, deploymentId?, details?}}, bounded: the
   *     supervisor name and child id are cut at {@link #MAX_ID_LENGTH} characters and the reason
   *     as {@link ExitReason#toJson()} bounds it, so one event's JSON stays under 64 KiB
   *     whatever a child throws or a caller sends
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("type", type.name())
        .put("supervisor", Bounds.truncate(supervisor, MAX_ID_LENGTH))
        .put("restartCount", restartCount)
        .put("timestamp", timestamp.toString());
    if (childId != null) {
      json.put("childId", Bounds.truncate(childId, MAX_ID_LENGTH));
    }
    if (reason != null) {
      json.put("reason", reason.toJson());
    }
    if (nodeId != null) {
      json.put("nodeId", nodeId);
    }
    if (deploymentId != null) {
      json.put("deploymentId", deploymentId);
    }
    if (details != null) {
      json.put("details", details.copy());
    }
    return json;
  }

  /**
   * Reads what {@link #toJson()} wrote, e.g. an event received on the events address. A failed
   * reason's cause is a {@link RemoteFailure}.
   *
   * @param json the event
   * @return the event
   * @throws IllegalArgumentException naming the first missing or mistyped field
   */
  public static SupervisorEvent fromJson(JsonObject json) {
    Objects.requireNonNull(json, "json");
    Type type;
    try {
      type = Type.valueOf(String.valueOf(json.getValue("type")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("type: expected one of " + java.util.Arrays.toString(Type.values()) + ", got " + json.getValue("type"));
    }
    Object supervisor = json.getValue("supervisor");
    if (!(supervisor instanceof String)) {
      throw new IllegalArgumentException("supervisor: expected a string, got " + supervisor);
    }
    Object count = json.getValue("restartCount", 0);
    if (!(count instanceof Number)) {
      throw new IllegalArgumentException("restartCount: expected a number, got " + count);
    }
    Instant timestamp;
    try {
      timestamp = Instant.parse(String.valueOf(json.getValue("timestamp")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("timestamp: expected an ISO-8601 instant, got " + json.getValue("timestamp"));
    }
    Object reason = json.getValue("reason");
    if (reason != null && !(reason instanceof JsonObject)) {
      throw new IllegalArgumentException("reason: expected an object, got " + reason);
    }
    return new SupervisorEvent(type, (String) supervisor, json.getString("childId"),
        reason == null ? null : ExitReason.fromJson((JsonObject) reason), ((Number) count).intValue(), timestamp,
        json.getString("nodeId"), json.getString("deploymentId"));
  }

  @Override
  public String toString() {
    return type + " " + supervisor + (childId == null ? "" : "/" + childId) + (reason == null ? "" : " " + reason);
  }
}
