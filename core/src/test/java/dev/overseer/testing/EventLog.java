package dev.overseer.testing;

import dev.overseer.SupervisorEvent;
import io.vertx.core.Handler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A local listener of supervisor events that keeps them in order and lets a test wait for them
 * with a deadline. Thread-safe: the supervisor calls it on its context, the test reads it on its own thread.
 */
public final class EventLog implements Handler<SupervisorEvent> {

  private final List<SupervisorEvent> events = new ArrayList<>();

  @Override
  public synchronized void handle(SupervisorEvent event) {
    events.add(event);
    notifyAll();
  }

  /** @return a copy of every event so far */
  public synchronized List<SupervisorEvent> events() {
    return new ArrayList<>(events);
  }

  /** @return the events so far as {@code "TYPE child"} (or {@code "TYPE"} for supervisor-wide ones) */
  public synchronized List<String> lines() {
    return events.stream().map(EventLog::line).toList();
  }

  /** @return how many events of that type concern {@code childId} ({@code null}: any child) */
  public synchronized long count(SupervisorEvent.Type type, String childId) {
    return events.stream().filter(matches(type, childId)).count();
  }

  /** Waits for {@code count} events of that type about {@code childId} ({@code null}: any). @return the last */
  public SupervisorEvent await(SupervisorEvent.Type type, String childId, int count) {
    List<SupervisorEvent> found = await(matches(type, childId), count, Probe.DEFAULT_WAIT);
    return found.get(count - 1);
  }

  /** Waits for one event of that type about {@code childId}. @return it */
  public SupervisorEvent await(SupervisorEvent.Type type, String childId) {
    return await(type, childId, 1);
  }

  /** Waits until {@code count} events match, or fails after {@code wait}. */
  public synchronized List<SupervisorEvent> await(Predicate<SupervisorEvent> p, int count, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      List<SupervisorEvent> matching = events.stream().filter(p).toList();
      if (matching.size() >= count) {
        return matching;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("timed out after " + wait + " waiting for " + count + " events; got " + lines());
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  private static Predicate<SupervisorEvent> matches(SupervisorEvent.Type type, String childId) {
    return e -> e.type() == type && (childId == null || childId.equals(e.childId()));
  }

  private static String line(SupervisorEvent e) {
    return e.childId() == null ? e.type().name() : e.type() + " " + e.childId();
  }
}
