package dev.overseer.cluster.impl;

import java.util.function.LongSupplier;

/**
 * The arithmetic of a member lease, with an injected monotonic clock (nanoseconds, as
 * {@link System#nanoTime}). A renewal sent at local time {@code s} and confirmed by a quorum makes
 * the lease valid until {@code s + length}: counted from the send, not the answer, so an answer
 * that was in flight while this member was paused grants nothing. The monotonic clock keeps
 * running while a process is stopped, so a member that wakes from a pause longer than the lease
 * finds it expired at once. Thread-safe: servers on every event loop read it.
 */
public final class LeaseClock {

  private final long lengthNanos;
  private final LongSupplier nanoTime;
  private long validUntil;
  private boolean ever;

  /**
   * @param lengthNanos the lease length
   * @param nanoTime the monotonic clock
   */
  public LeaseClock(long lengthNanos, LongSupplier nanoTime) {
    if (lengthNanos <= 0) {
      throw new IllegalArgumentException("lease length must be positive, got " + lengthNanos);
    }
    this.lengthNanos = lengthNanos;
    this.nanoTime = nanoTime;
  }

  /** @return the clock's current reading: what a renewal records as its send time */
  public long now() {
    return nanoTime.getAsLong();
  }

  /**
   * A renewal sent at {@code sentAt} was confirmed by a quorum.
   *
   * @param sentAt the clock reading when the renewal was sent
   */
  public synchronized void confirmed(long sentAt) {
    long until = sentAt + lengthNanos;
    if (!ever || until - validUntil > 0) {
      validUntil = until;
      ever = true;
    }
  }

  /** @return whether the lease is valid now */
  public synchronized boolean valid() {
    return ever && validUntil - nanoTime.getAsLong() > 0;
  }

  /** @return nanoseconds left (negative when expired; {@link Long#MIN_VALUE} if never granted) */
  public synchronized long remaining() {
    return ever ? validUntil - nanoTime.getAsLong() : Long.MIN_VALUE;
  }
}
