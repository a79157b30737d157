package dev.overseer;

import dev.overseer.impl.Bounds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Why a child exited. Works like an OTP exit reason reduced to what decides a restart:
 * {@code normal}, {@code shutdown} and anything else (a failure, which carries its cause).
 *
 * <p>A child exits {@linkplain #normal() normally} when it undeploys itself or calls
 * {@link ChildHandle#exit(ExitReason)} with {@code normal()}; it is {@linkplain #shutdown() shut
 * down} when its supervisor stops it; it {@linkplain #failure(Throwable) fails} when its start
 * fails, when a throwable escapes a handler on its context, or when it calls {@code exit} with a
 * failure. Immutable.
 */
public final class ExitReason {

  /** The kind of an exit reason. */
  public enum Kind {
    /** OTP's {@code normal}: the child finished its work. */
    NORMAL,
    /** OTP's {@code shutdown}: the child was stopped on request. */
    SHUTDOWN,
    /** Any other reason: the child crashed. */
    FAILURE
  }

  /** The longest {@code message} (and {@code error} class name) written by {@link #toJson()}, in characters. */
  public static final int MAX_MESSAGE_LENGTH = 1024;
  /** The most {@code stack} lines written by {@link #toJson()}, all causes together. */
  public static final int MAX_STACK_LINES = 64;
  /** The longest {@code stack} line written by {@link #toJson()}, in characters. */
  public static final int MAX_STACK_LINE_LENGTH = 256;
  /**
   * The longest encoded {@code lastMessage} or {@code state} of a crash report written by
   * {@link #toJson()}, in characters; a longer one is written as its encoded JSON, truncated.
   */
  public static final int MAX_REPORT_VALUE_LENGTH = 4096;

  private static final ExitReason NORMAL = new ExitReason(Kind.NORMAL, null);
  private static final ExitReason SHUTDOWN = new ExitReason(Kind.SHUTDOWN, null);

  private final Kind kind;
  private final Throwable cause;

  private ExitReason(Kind kind, Throwable cause) {
    this.kind = kind;
    this.cause = cause;
  }

  /** @return the reason {@code normal} */
  public static ExitReason normal() {
    return NORMAL;
  }

  /** @return the reason {@code shutdown} */
  public static ExitReason shutdown() {
    return SHUTDOWN;
  }

  /**
   * @param cause what went wrong, not null
   * @return an abnormal exit reason carrying {@code cause}
   */
  public static ExitReason failure(Throwable cause) {
    return new ExitReason(Kind.FAILURE, Objects.requireNonNull(cause, "cause"));
  }

  /** @return the kind of this reason */
  public Kind kind() {
    return kind;
  }

  /** @return the cause of a failure, or {@code null} for normal and shutdown */
  public Throwable cause() {
    return cause;
  }

  /**
   * @return {@code true} for a failure: the only reason after which a {@code TRANSIENT} child is
   *     restarted. As in OTP, {@code normal} and {@code shutdown} are not abnormal.
   */
  public boolean isAbnormal() {
    return kind == Kind.FAILURE;
  }

  /**
   * @return the reason as JSON: {@code kind}, and for a failure {@code error} (class),
   *     {@code message}, {@code stack} (frames as strings, at most 30 per cause) and, when the
   *     cause carries one, the {@code crashReport}. Every field is bounded, as events and replies
   *     travel on the event bus and are kept by consoles: text is cut at
   *     {@link #MAX_MESSAGE_LENGTH} or {@link #MAX_STACK_LINE_LENGTH} characters with a
   *     {@code …[+N chars]} marker, the stack at {@link #MAX_STACK_LINES} lines, a crash report's
   *     message and state at {@link #MAX_REPORT_VALUE_LENGTH} characters of JSON.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("kind", kind.name());
    if (cause instanceof RemoteFailure remote) {
      // read from another node: write what it wrote, so a reason relayed again stays the same
      // bounded as a local cause is: these fields came off the wire
      JsonArray stack = new JsonArray();
      for (Object line : remote.remoteStack()) {
        if (stack.size() >= MAX_STACK_LINES) {
          break;
        }
        stack.add(Bounds.truncate(String.valueOf(line), MAX_STACK_LINE_LENGTH));
      }
      return json.put("error", Bounds.truncate(remote.errorClass(), MAX_MESSAGE_LENGTH))
          .put("message", Bounds.truncate(remote.remoteMessage(), MAX_MESSAGE_LENGTH))
          .put("stack", stack);
    }
    if (cause != null) {
      json.put("error", Bounds.truncate(cause.getClass().getName(), MAX_MESSAGE_LENGTH));
      json.put("message", Bounds.truncate(String.valueOf(cause.getMessage()), MAX_MESSAGE_LENGTH));
      JsonArray stack = new JsonArray();
      int causes = 0;
      for (Throwable t = cause; t != null && stack.size() < MAX_STACK_LINES && causes++ < MAX_STACK_LINES;
           t = t.getCause() == t ? null : t.getCause()) {
        if (t != cause) {
          stack.add(Bounds.truncate("Caused by: " + t, MAX_STACK_LINE_LENGTH));
        }
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 30) && stack.size() < MAX_STACK_LINES; i++) {
          stack.add(Bounds.truncate(frames[i].toString(), MAX_STACK_LINE_LENGTH));
        }
      }
      json.put("stack", stack);
      if (cause instanceof CrashReport.Carrier) {
        JsonObject report = ((CrashReport.Carrier) cause).crashReport().toJson();
        report.put("name", Bounds.truncate(report.getString("name"), MAX_MESSAGE_LENGTH));
        report.put("lastMessage", Bounds.json(report.getValue("lastMessage"), MAX_REPORT_VALUE_LENGTH));
        report.put("state", Bounds.json(report.getValue("state"), MAX_REPORT_VALUE_LENGTH));
        json.put("crashReport", report);
      }
    }
    return json;
  }

  /**
   * Reads the JSON form of {@link #toJson()}, e.g. from another node. A failure's cause is a
   * {@link RemoteFailure} carrying the original exception's class name, message and stack
   * (never an instance of the original class: nothing received starts or loads a class).
   *
   * @param json {@code {kind, error?, message?, stack?}}
   * @return the reason
   * @throws IllegalArgumentException naming the field that is missing or wrong
   */
  public static ExitReason fromJson(JsonObject json) {
    Object kind = json == null ? null : json.getValue("kind");
    if ("NORMAL".equals(kind)) {
      return NORMAL;
    }
    if ("SHUTDOWN".equals(kind)) {
      return SHUTDOWN;
    }
    if (!"FAILURE".equals(kind)) {
      throw new IllegalArgumentException("kind: expected NORMAL, SHUTDOWN or FAILURE, got " + kind);
    }
    Object stack = json.getValue("stack");
    return failure(new RemoteFailure(String.valueOf(json.getValue("error", "unknown")),
        String.valueOf(json.getValue("message", "")), stack instanceof JsonArray a ? a : new JsonArray()));
  }

  @Override
  public String toString() {
    return cause == null ? kind.name().toLowerCase() : "failure(" + cause + ")";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ExitReason)) {
      return false;
    }
    ExitReason other = (ExitReason) o;
    return kind == other.kind && Objects.equals(cause, other.cause);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, cause);
  }
}
