package dev.overseer;

import dev.overseer.server.Server;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * What OTP prints when a {@code gen_server} terminates abnormally: the server's name, the reason
 * (with its stack trace), the last message it was handling and its last good state, as the
 * server's {@code formatStatus} renders it. Immutable.
 */
public final class CrashReport {

  /** Implemented by throwables that carry a crash report, so exit reasons can show it. */
  public interface Carrier {
    /** @return the report */
    CrashReport crashReport();
  }

  private final String name;
  private final Throwable reason;
  private final Object lastMessage;
  private final Object state;
  private final Instant timestamp;

  /**
   * @param name the server's name
   * @param reason why it crashed
   * @param lastMessage the message being handled, JSON-compatible, or {@code null}
   * @param state the last good state as formatted for reports, JSON-compatible, or {@code null}
   * @param timestamp when it crashed
   */
  public CrashReport(String name, Throwable reason, Object lastMessage, Object state, Instant timestamp) {
    this.name = Objects.requireNonNull(name, "name");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.lastMessage = lastMessage;
    this.state = state;
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
  }

  /** @return the server's name */
  public String name() {
    return name;
  }

  /** @return why it crashed */
  public Throwable reason() {
    return reason;
  }

  /** @return the message it was handling, or {@code null} (a crash in {@code init} or a timer) */
  public Object lastMessage() {
    return lastMessage;
  }

  /** @return the last good state as {@code formatStatus} rendered it */
  public Object state() {
    return state;
  }

  /** @return when it crashed */
  public Instant timestamp() {
    return timestamp;
  }

  /** @return the report as JSON: name, reason (as an {@link ExitReason}), lastMessage, state, timestamp */
  public JsonObject toJson() {
    JsonObject reasonJson = ExitReason.failure(reason).toJson();
    reasonJson.remove("crashReport");
    return new JsonObject()
        .put("name", name)
        .put("reason", reasonJson)
        .put("lastMessage", lastMessage)
        .put("state", state)
        .put("timestamp", timestamp.toString());
  }

  /** @return the report formatted like OTP's error log entry, for humans */
  public String format() {
    return "Server " + name + " terminating\n** (" + reason.getClass().getName() + ") " + reason.getMessage()
        + "\nLast message: " + lastMessage + "\nState: " + state;
  }

  @Override
  public String toString() {
    return format();
  }
}
