package dev.overseer.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Collects what probe children and supervisors report, in order, and lets a test wait for a
 * report by predicate with a deadline (never by sleeping). Thread-safe.
 */
public final class Probe {

  /** Default time a test waits for something to happen. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

  private final List<String> log = new ArrayList<>();

  /** Records one line, e.g. {@code "started a#1"}. */
  public synchronized void record(String line) {
    log.add(line);
    notifyAll();
  }

  /** @return a copy of everything recorded so far */
  public synchronized List<String> lines() {
    return new ArrayList<>(log);
  }

  /** @return how many recorded lines match */
  public synchronized long count(Predicate<String> p) {
    return log.stream().filter(p).count();
  }

  /** Waits until {@code count} lines match, or fails after the default wait. @return the matching lines */
  public List<String> await(Predicate<String> p, int count) {
    return await(p, count, DEFAULT_WAIT);
  }

  /** Waits until a line equal to {@code line} was recorded. */
  public void await(String line) {
    await(line::equals, 1);
  }

  /** Waits until {@code count} lines match, or fails after {@code wait}. */
  public synchronized List<String> await(Predicate<String> p, int count, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<String> matching = log.stream().filter(p).toList();
      if (matching.size() >= count) {
        return matching;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out after " + wait + " waiting for " + count + " matching lines; log: " + log);
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
