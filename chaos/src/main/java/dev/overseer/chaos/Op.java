package dev.overseer.chaos;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One client operation of the chaos run, as the client saw it: Jepsen's invoke/complete pair in
 * one record.
 *
 * <p>Times are nanoseconds since the start of the run, taken by the controller (one clock for
 * every operation). {@code value}, {@code member} and {@code epoch} are only known for
 * {@link Type#OK} operations: the value the server returned, the member it ran on and the
 * ownership epoch of the incarnation that answered.
 *
 * @param process the client that issued it (a client issues one operation at a time)
 * @param child the server called
 * @param f the function: {@code next} (sequence), {@code incr} (counter) or {@code read}
 * @param invokeNanos when the client sent it
 * @param completeNanos when the client learned the outcome (or gave up)
 * @param type the outcome
 * @param value the value returned, or {@code null}
 * @param member the member whose server answered, or {@code null}
 * @param epoch the answering incarnation's ownership epoch, or {@code null}
 * @param via the member the client sent the request to
 * @param error why it failed or is unknown, or {@code null}
 * @param fin whether it belongs to the final phase (after the nemesis stopped and the cluster healed)
 */
public record Op(String process, String child, String f, long invokeNanos, long completeNanos, Type type,
                 Long value, String member, Long epoch, String via, String error, boolean fin) {

  /** Function of a sequence server: hand out the next number. */
  public static final String NEXT = "next";
  /** Function of a counter: add one and return the new value. */
  public static final String INCR = "incr";
  /** Function of both: the current value (a sequence's next number; a counter's count), no change. */
  public static final String READ = "read";

  /** What the client knows about the outcome. */
  public enum Type {
    /** Acknowledged: it happened, exactly once. */
    OK,
    /** Definitely did not happen (never delivered, or refused before any change). */
    FAIL,
    /** Unknown (timeout, or a crash after the change may have been saved): it may have happened. */
    INFO
  }

  /**
   * Validates the record.
   *
   * @param process the client that issued it (a client issues one operation at a time)
   * @param child the server called
   * @param f the function: {@link #NEXT}, {@link #INCR} or {@link #READ}
   * @param invokeNanos when the client sent it
   * @param completeNanos when the client learned the outcome (or gave up); not before
   *     {@code invokeNanos}
   * @param type the outcome
   * @param value the value returned; required when {@code type} is {@link Type#OK}
   * @param member the member whose server answered, or {@code null}
   * @param epoch the answering incarnation's ownership epoch, or {@code null}
   * @param via the member the client sent the request to
   * @param error why it failed or is unknown, or {@code null}
   * @param fin whether it belongs to the final phase (after the nemesis stopped and the cluster healed)
   * @throws NullPointerException when {@code child}, {@code f} or {@code type} is {@code null}
   * @throws IllegalArgumentException when it completes before it is invoked, or is
   *     {@link Type#OK} without a value
   */
  public Op {
    Objects.requireNonNull(child, "child");
    Objects.requireNonNull(f, "f");
    Objects.requireNonNull(type, "type");
    if (completeNanos < invokeNanos) {
      throw new IllegalArgumentException("an operation completes after it is invoked");
    }
    if (type == Type.OK && value == null) {
      throw new IllegalArgumentException("an acknowledged operation has a value");
    }
  }

  /** @return whether the operation changes the server's value when it happens */
  public boolean writes() {
    return !READ.equals(f);
  }

  /** @return the operation as one line of the history file */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("process", process).put("child", child).put("f", f)
        .put("invoke", invokeNanos).put("complete", completeNanos).put("type", type.name().toLowerCase());
    if (value != null) {
      json.put("value", value);
    }
    if (member != null) {
      json.put("member", member);
    }
    if (epoch != null) {
      json.put("epoch", epoch);
    }
    if (via != null) {
      json.put("via", via);
    }
    if (error != null) {
      json.put("error", error);
    }
    if (fin) {
      json.put("final", true);
    }
    return json;
  }

  /**
   * Reads a line written by {@link #toJson()}.
   *
   * @param json the line
   * @return the operation
   */
  public static Op fromJson(JsonObject json) {
    return new Op(json.getString("process"), json.getString("child"), json.getString("f"),
        json.getLong("invoke"), json.getLong("complete"), Type.valueOf(json.getString("type").toUpperCase()),
        json.getLong("value"), json.getString("member"), json.getLong("epoch"), json.getString("via"),
        json.getString("error"), json.getBoolean("final", false));
  }
}
