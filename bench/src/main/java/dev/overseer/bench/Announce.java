package dev.overseer.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a restarted counter tells the benchmark it is back without being polled: its
 * {@code init} (Overseer) or {@code setup} (Pekko) reads the clock first thing and hands the time
 * to whoever listens on its name, as the OTP peer's {@code init} sends a message. Restart time is
 * then crash sent → the new incarnation's init began, on every side.
 */
final class Announce {

  /** Told when a counter's new incarnation starts its init. */
  interface Listener {
    void started(long incarnation, long nanoTime);
  }

  private static final Map<String, Listener> LISTENERS = new ConcurrentHashMap<>();

  private Announce() {
  }

  static void listen(String name, Listener listener) {
    LISTENERS.put(name, listener);
  }

  static void stop(String name) {
    LISTENERS.remove(name);
  }

  /** Called by a counter's init, with the clock read first. */
  static void started(String name, long incarnation, long nanoTime) {
    Listener l = LISTENERS.get(name);
    if (l != null) {
      l.started(incarnation, nanoTime);
    }
  }
}
