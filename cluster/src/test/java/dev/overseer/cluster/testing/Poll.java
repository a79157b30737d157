package dev.overseer.cluster.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition by looking at it again every {@value #INTERVAL_MILLIS} ms until a deadline:
 * the one way the cluster tests wait for something they cannot be told about.
 *
 * <p>Not a spin: on the two cores CI has, a test thread spinning on a local look (the member
 * count, a list of events) takes a whole core from the members it waits for, whose heartbeats
 * then arrive late. The pause between looks leaves them the machine.
 */
public final class Poll {

  /** Time between two looks at the condition. */
  public static final long INTERVAL_MILLIS = 10;

  private Poll() {
  }

  /**
   * @param deadline how long it may take
   * @param condition looked at until it holds
   * @throws AssertionError if it does not hold within {@code deadline}
   */
  public static void until(Duration deadline, BooleanSupplier condition) {
    until("condition", deadline, condition);
  }

  /**
   * @param what the condition, for the failure message
   * @param deadline how long it may take
   * @param condition looked at until it holds
   * @throws AssertionError if it does not hold within {@code deadline}
   */
  public static void until(String what, Duration deadline, BooleanSupplier condition) {
    if (!holdsWithin(deadline, condition)) {
      throw new AssertionError(what + ": not met within " + deadline);
    }
  }

  /** @return whether {@code condition} held within {@code deadline} (for evidence gathering that must not fail) */
  public static boolean holdsWithin(Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS));
    }
    return true;
  }
}
