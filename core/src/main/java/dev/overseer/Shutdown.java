package dev.overseer;

import java.time.Duration;
import java.util.Objects;

/**
 * How a supervisor stops a child. Works like the {@code shutdown} key of an OTP child spec.
 *
 * <ul>
 *   <li>{@link #brutalKill()}: the child's {@code stop} is not run; its deployment is undeployed at
 *       once, which releases its event-bus consumers and timers.
 *   <li>{@link #timeout(Duration)}: the child's {@code stop} runs; if it has not completed after
 *       the timeout, the child is killed as above. The default for workers is 5 s. A timeout of
 *       zero asks the child to stop and kills it at once if its stop has not completed (OTP's 0).
 *   <li>{@link #infinity()}: the supervisor waits for {@code stop} however long it takes. The
 *       default for supervisors.
 * </ul>
 *
 * <p>Divergence from OTP: Vert.x cannot pre-empt a handler that is running; "killed" means the
 * deployment is closed without waiting for {@code stop}, so no new message or timer reaches the
 * child, but code already running on its context runs to its end.
 */
public final class Shutdown {

  /** The kind of shutdown. */
  public enum Kind {
    /** Kill at once. */
    BRUTAL_KILL,
    /** Stop, then kill after a timeout. */
    TIMEOUT,
    /** Stop and wait. */
    INFINITY
  }

  /** Default shutdown timeout of a worker, as in OTP: 5 s. */
  public static final Duration DEFAULT_WORKER_TIMEOUT = Duration.ofSeconds(5);

  private static final Shutdown BRUTAL_KILL = new Shutdown(Kind.BRUTAL_KILL, Duration.ZERO);
  private static final Shutdown INFINITY = new Shutdown(Kind.INFINITY, null);

  private final Kind kind;
  private final Duration timeout;

  private Shutdown(Kind kind, Duration timeout) {
    this.kind = kind;
    this.timeout = timeout;
  }

  /** @return OTP's {@code brutal_kill} */
  public static Shutdown brutalKill() {
    return BRUTAL_KILL;
  }

  /** @return OTP's {@code infinity} */
  public static Shutdown infinity() {
    return INFINITY;
  }

  /**
   * @param timeout how long {@code stop} may take; zero or positive. Zero has OTP's meaning: the
   *     child is asked to stop ({@code stop} starts) and is killed at once if it has not stopped
   * @return a shutdown that kills the child after {@code timeout}
   */
  public static Shutdown timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("shutdown timeout must be zero or positive, got " + timeout);
    }
    return new Shutdown(Kind.TIMEOUT, timeout);
  }

  /**
   * @param type the child type
   * @return the default for a child type: 5 s for a worker, infinity for a supervisor
   */
  public static Shutdown defaultFor(ChildType type) {
    return type == ChildType.SUPERVISOR ? INFINITY : timeout(DEFAULT_WORKER_TIMEOUT);
  }

  /**
   * Parses the JSON form: {@code "brutal_kill"}, {@code "infinity"} or a number of milliseconds.
   *
   * @param value a String or a Number
   * @return the shutdown
   * @throws IllegalArgumentException when the value is none of these
   */
  public static Shutdown fromJson(Object value) {
    if ("brutal_kill".equals(value)) {
      return BRUTAL_KILL;
    }
    if ("infinity".equals(value)) {
      return INFINITY;
    }
    if (value instanceof Number) {
      return timeout(Duration.ofMillis(((Number) value).longValue()));
    }
    throw new IllegalArgumentException(
        "shutdown must be \"brutal_kill\", \"infinity\" or a number of milliseconds >= 0, got " + value);
  }

  /** @return {@code "brutal_kill"}, {@code "infinity"} or the timeout in milliseconds */
  public Object toJson() {
    switch (kind) {
      case BRUTAL_KILL:
        return "brutal_kill";
      case INFINITY:
        return "infinity";
      default:
        return timeout.toMillis();
    }
  }

  /** @return the kind */
  public Kind kind() {
    return kind;
  }

  /** @return the timeout for {@link Kind#TIMEOUT}, zero for brutal kill, {@code null} for infinity */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shutdown && ((Shutdown) o).kind == kind && Objects.equals(((Shutdown) o).timeout, timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, timeout);
  }

  @Override
  public String toString() {
    return String.valueOf(toJson());
  }
}
