package dev.overseer.server;

import dev.overseer.stash.Stash;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Server} keeps its state in its {@link Stash}. Immutable.
 *
 * <ul>
 *   <li>{@link #none()}: not kept; a restart starts from the initial state (plain OTP).</li>
 *   <li>{@link #onTerminate()}: saved when the server stops, crash included (the seeds'
 *       pattern). Lost on a brutal kill or a JVM death.</li>
 *   <li>{@link #writeThrough()}: saved after every message that changes the state; a call's
 *       reply goes out only once the save is acknowledged (and every save before it), so an
 *       acknowledged update is never lost. Saves are pipelined: the server goes on handling
 *       messages while earlier saves are in flight, issued in order; a failed or timed-out
 *       save is a crash, and nothing written since the last acknowledged save is acknowledged
 *       to anyone.</li>
 *   <li>{@link #writeBehind(Duration)}: saved every interval when changed, and on stop; an update
 *       may be lost if the server is killed within the interval.</li>
 * </ul>
 */
public final class Persistence {

  /** The mode. */
  public enum Mode {
    /** Not kept. */
    NONE,
    /** Saved on stop. */
    ON_TERMINATE,
    /** Saved after every change, before the reply. */
    WRITE_THROUGH,
    /** Saved periodically and on stop. */
    WRITE_BEHIND
  }

  private static final Persistence NONE = new Persistence(Mode.NONE, null);
  private static final Persistence ON_TERMINATE = new Persistence(Mode.ON_TERMINATE, null);
  private static final Persistence WRITE_THROUGH = new Persistence(Mode.WRITE_THROUGH, null);

  private final Mode mode;
  private final Duration interval;

  private Persistence(Mode mode, Duration interval) {
    this.mode = mode;
    this.interval = interval;
  }

  /** @return state is not kept */
  public static Persistence none() {
    return NONE;
  }

  /** @return state is saved when the server stops */
  public static Persistence onTerminate() {
    return ON_TERMINATE;
  }

  /** @return state is saved after every change, before the reply */
  public static Persistence writeThrough() {
    return WRITE_THROUGH;
  }

  /**
   * @param interval how often a changed state is saved, positive @return write-behind
   * @return write-behind persistence with that interval
   */
  public static Persistence writeBehind(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("write-behind interval must be positive, got " + interval);
    }
    return new Persistence(Mode.WRITE_BEHIND, interval);
  }

  /** @return the mode */
  public Mode mode() {
    return mode;
  }

  /** @return the write-behind interval, or {@code null} */
  public Duration interval() {
    return interval;
  }

  /** @return {@code {"mode": M}} plus {@code "interval"} in ms for write-behind */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("mode", mode.name());
    if (interval != null) {
      json.put("interval", interval.toMillis());
    }
    return json;
  }

  /**
   * Reads {@link #toJson()}'s form; {@code null} means none.
   *
   * @param json the JSON form
   * @return the persistence the JSON describes
   */
  public static Persistence fromJson(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    String name = json.getString("mode", "NONE");
    Mode mode;
    try {
      mode = Mode.valueOf(name.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("persistence.mode: unknown mode '" + name + "'; known: NONE, ON_TERMINATE, WRITE_THROUGH, WRITE_BEHIND");
    }
    switch (mode) {
      case ON_TERMINATE:
        return ON_TERMINATE;
      case WRITE_THROUGH:
        return WRITE_THROUGH;
      case WRITE_BEHIND:
        return writeBehind(Duration.ofMillis(json.getLong("interval", 1000L)));
      default:
        return NONE;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Persistence && ((Persistence) o).mode == mode && Objects.equals(((Persistence) o).interval, interval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, interval);
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
