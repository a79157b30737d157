package dev.overseer.impl;

import dev.overseer.SupervisorEvent;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listeners of every supervisor's lifecycle events in one Vert.x instance, as typed values
 * straight from the engines. What the console and the metrics read: unlike the event-bus
 * address, nobody can publish into it, and it sees supervisors started after the listener was
 * added without any discovery.
 */
public final class EventTaps {

  private static final String MAP = "dev.overseer.EventTaps";

  private static final class Taps implements Shareable {
    final List<Handler<SupervisorEvent>> listeners = new CopyOnWriteArrayList<>();
  }

  private static final System.Logger LOG = System.getLogger("dev.overseer.Supervisor");

  private EventTaps() {
  }

  private static Taps taps(Vertx vertx) {
    LocalMap<String, Taps> map = vertx.sharedData().getLocalMap(MAP);
    Taps fresh = new Taps();
    Taps held = map.putIfAbsent(MAP, fresh);
    return held != null ? held : fresh;
  }

  /** Adds a listener of every supervisor's events in {@code vertx}. */
  public static void add(Vertx vertx, Handler<SupervisorEvent> listener) {
    taps(vertx).listeners.add(listener);
  }

  /** Removes a listener added with {@link #add}. */
  public static void remove(Vertx vertx, Handler<SupervisorEvent> listener) {
    taps(vertx).listeners.remove(listener);
  }

  /** Delivers one event, on the supervisor's context; a listener that throws is logged and skipped. */
  public static void deliver(Vertx vertx, SupervisorEvent event) {
    for (Handler<SupervisorEvent> listener : taps(vertx).listeners) {
      try {
        listener.handle(event);
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "an Overseer event listener failed on " + event, t);
      }
    }
  }
}
