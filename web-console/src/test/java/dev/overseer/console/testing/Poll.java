package dev.overseer.console.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition by polling with a deadline; never a fixed sleep. */
public final class Poll {

  private Poll() {
  }

  /** Polls {@code condition} every few milliseconds until it holds, or fails after {@code wait}. */
  public static void until(String what, Duration wait, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + wait.toNanos();
    Object lock = new Object();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + wait + " waiting for " + what);
      }
      synchronized (lock) {
        try {
          // a bounded pause between checks of a condition, not a wait for the condition itself
          lock.wait(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }
}
