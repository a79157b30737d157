package dev.overseer;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Delay before a child is restarted. Beyond OTP, which restarts at once: an exponential backoff
 * with jitter spreads restarts of a crash-looping child over time, and resets once the child has
 * run long enough. Restarts still count against the supervisor's intensity when they happen.
 * Immutable; refine with the {@code withX} methods.
 */
public final class Backoff {

  private static final Backoff NONE = new Backoff(Duration.ZERO, Duration.ZERO, 0, Duration.ZERO);

  private final Duration min;
  private final Duration max;
  private final double jitter;
  private final Duration resetAfter;

  private Backoff(Duration min, Duration max, double jitter, Duration resetAfter) {
    this.min = min;
    this.max = max;
    this.jitter = jitter;
    this.resetAfter = resetAfter;
  }

  /** @return no delay: OTP's behaviour, the default */
  public static Backoff none() {
    return NONE;
  }

  /**
   * An exponential backoff: the n-th consecutive restart of a child waits
   * {@code min * 2^(n-1)}, capped at {@code max}, then spread by up to {@code jitter} of itself.
   * A child that ran for {@code resetAfter} (default: {@code max}) starts again from {@code min}.
   *
   * @param min the first delay, positive
   * @param max the largest delay, at least {@code min}
   * @return the backoff, with jitter 0.2
   */
  public static Backoff exponential(Duration min, Duration max) {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < min <= max, got min=" + min + " max=" + max);
    }
    return new Backoff(min, max, 0.2, max);
  }

  /**
   * @param jitter the fraction of each delay added at random, in [0, 1]
   * @return a copy with that jitter
   */
  public Backoff withJitter(double jitter) {
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be in [0, 1], got " + jitter);
    }
    return isNone() ? this : new Backoff(min, max, jitter, resetAfter);
  }

  /**
   * @param resetAfter how long a child must run before its next restart waits {@code min} again
   * @return a copy with that reset
   */
  public Backoff withResetAfter(Duration resetAfter) {
    Objects.requireNonNull(resetAfter, "resetAfter");
    if (resetAfter.isNegative()) {
      throw new IllegalArgumentException("resetAfter must not be negative, got " + resetAfter);
    }
    return isNone() ? this : new Backoff(min, max, jitter, resetAfter);
  }

  /** @return {@code true} when restarts are not delayed */
  public boolean isNone() {
    return min.isZero();
  }

  /** @return the first delay */
  public Duration min() {
    return min;
  }

  /** @return the largest delay */
  public Duration max() {
    return max;
  }

  /** @return the jitter fraction */
  public double jitter() {
    return jitter;
  }

  /** @return how long a child must run for its backoff to reset */
  public Duration resetAfter() {
    return resetAfter;
  }

  /**
   * @param consecutiveRestarts how many restarts of this child in a row, this one included (1 for the first)
   * @param random a source of numbers in [0, 1)
   * @return the delay in milliseconds before this restart
   */
  public long delayMillis(int consecutiveRestarts, DoubleSupplier random) {
    if (isNone() || consecutiveRestarts <= 0) {
      return 0;
    }
    int shift = Math.min(consecutiveRestarts - 1, 30);
    long base = Math.min(max.toMillis(), min.toMillis() << shift);
    if (base < 0) {
      base = max.toMillis();
    }
    long spread = (long) (base * jitter * random.getAsDouble());
    return Math.min(max.toMillis(), base + spread);
  }

  /** @return {@code {"min":ms,"max":ms,"jitter":x,"resetAfter":ms}}, or {@code {}} for none */
  public JsonObject toJson() {
    if (isNone()) {
      return new JsonObject();
    }
    return new JsonObject()
        .put("min", min.toMillis())
        .put("max", max.toMillis())
        .put("jitter", jitter)
        .put("resetAfter", resetAfter.toMillis());
  }

  /**
   * @param json the form {@link #toJson()} writes; {@code null} or empty for none
   * @return the backoff
   * @throws IllegalArgumentException naming the fields, when a value has the wrong type or range
   */
  public static Backoff fromJson(JsonObject json) {
    if (json == null || !json.containsKey("min")) {
      return NONE;
    }
    try {
      Backoff b = exponential(Duration.ofMillis(json.getLong("min")), Duration.ofMillis(json.getLong("max", json.getLong("min"))));
      if (json.containsKey("jitter")) {
        b = b.withJitter(json.getDouble("jitter"));
      }
      if (json.containsKey("resetAfter")) {
        b = b.withResetAfter(Duration.ofMillis(json.getLong("resetAfter")));
      }
      return b;
    } catch (ClassCastException | NullPointerException e) {
      // A getter met a value of another JSON type (or null): say which form is expected.
      throw new IllegalArgumentException("backoff: min, max and resetAfter must be numbers of milliseconds and jitter a number in [0, 1]");
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Backoff)) {
      return false;
    }
    Backoff b = (Backoff) o;
    return min.equals(b.min) && max.equals(b.max) && jitter == b.jitter && resetAfter.equals(b.resetAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(min, max, jitter, resetAfter);
  }

  @Override
  public String toString() {
    return isNone() ? "none" : toJson().encode();
  }
}
