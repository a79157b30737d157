package dev.overseer.impl;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * OTP's restart intensity check ({@code supervisor:add_restart/1}): every restart is recorded
 * with its time; restarts older than the period are forgotten; the supervisor must give up when
 * more than {@code intensity} remain. Pure: the caller passes the time (a monotonic clock in
 * milliseconds), so tests drive it without waiting. Synchronized: the supervisor records restarts
 * on its context while {@code SupervisorBase.intensityUsed()} may read from any thread, and a read
 * also forgets old restarts.
 */
public final class IntensityWindow {

  private final int intensity;
  private final long periodMillis;
  private final Deque<Long> restarts = new ArrayDeque<>();

  /**
   * @param intensity restarts allowed within the period, 0 or more
   * @param periodMillis the period, positive
   */
  public IntensityWindow(int intensity, long periodMillis) {
    if (intensity < 0 || periodMillis <= 0) {
      throw new IllegalArgumentException("intensity >= 0 and period > 0 required");
    }
    this.intensity = intensity;
    this.periodMillis = periodMillis;
  }

  /**
   * Records a restart at {@code now}.
   *
   * @return {@code true} if the restart is allowed, {@code false} if it exceeds the intensity
   *     (the supervisor must then stop its children and exit)
   */
  public synchronized boolean recordRestart(long now) {
    forgetOlderThan(now);
    restarts.addFirst(now);
    return restarts.size() <= intensity;
  }

  /** @return how many restarts count against the intensity at {@code now} */
  public synchronized int used(long now) {
    forgetOlderThan(now);
    return restarts.size();
  }

  /** @return the configured intensity */
  public int intensity() {
    return intensity;
  }

  private void forgetOlderThan(long now) {
    long threshold = now - periodMillis;
    // OTP keeps restarts with time >= Now - Period.
    while (!restarts.isEmpty() && restarts.peekLast() < threshold) {
      restarts.removeLast();
    }
  }
}
