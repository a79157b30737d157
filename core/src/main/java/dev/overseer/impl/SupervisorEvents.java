package dev.overseer.impl;

import dev.overseer.CrashReport;
import dev.overseer.ExitReason;
import dev.overseer.Overseer;
import dev.overseer.SupervisorEvent;
import dev.overseer.SupervisorOptions;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where a supervisor's lifecycle changes go: each becomes one {@link SupervisorEvent}, handed to
 * the local listeners and, when the options say so, published on the events address; a crash is
 * logged once, with its crash report when the child left one. Nothing here decides anything:
 * the engine says what happened.
 */
final class SupervisorEvents {

  private static final System.Logger LOG = System.getLogger("dev.overseer.Supervisor");

  private final SupervisorOptions options;
  private final List<Handler<SupervisorEvent>> listeners = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private String supervisor;
  private boolean busClosed;

  /** @param options the supervisor's options (whether and where to publish) */
  SupervisorEvents(SupervisorOptions options) {
    this.options = options;
  }

  /** Binds to the deployed supervisor: its Vert.x and its (possibly generated) name. */
  void bind(Vertx vertx, String supervisor) {
    this.vertx = vertx;
    this.supervisor = supervisor;
  }

  /** Vert.x is closing: events still reach local listeners but no longer the event bus. */
  void busClosing() {
    busClosed = true;
  }

  void addListener(Handler<SupervisorEvent> listener) {
    listeners.add(listener);
  }

  void removeListener(Handler<SupervisorEvent> listener) {
    listeners.remove(listener);
  }

  /** Logs the supervisor giving up: its restart intensity was exceeded. */
  void logMaxIntensity(String message) {
    LOG.log(System.Logger.Level.ERROR, message);
  }

  /**
   * @param type what happened
   * @param childId the child concerned, or {@code null} for the supervisor itself
   * @param restartType the child's restart type, for the crash log ({@code null} when none)
   * @param reason the exit reason, if any
   * @param restartCount the child's restarts so far
   * @param deploymentId the incarnation's deployment, if known
   */
  void publish(SupervisorEvent.Type type, String childId, String restartType, ExitReason reason, int restartCount,
               String deploymentId) {
    SupervisorEvent event = new SupervisorEvent(type, supervisor, childId, reason, restartCount, Instant.now(),
        Overseer.nodeId(vertx), deploymentId);
    if (type == SupervisorEvent.Type.CHILD_EXITED && reason != null && reason.isAbnormal()) {
      logCrash(childId, restartType, reason.cause());
    }
    for (Handler<SupervisorEvent> listener : listeners) {
      try {
        listener.handle(event);
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "an event listener of supervisor '" + supervisor + "' failed", t);
      }
    }
    EventTaps.deliver(vertx, event);
    if (options.isPublishEvents() && !busClosed) {
      try {
        vertx.eventBus().publish(options.getEventsAddress(), event.toJson());
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "event not published", e);
      }
    }
  }

  /** One log record per crash; a server's crash report (last message, last state) when it left one. */
  private void logCrash(String childId, String restartType, Throwable cause) {
    String report = cause instanceof CrashReport.Carrier carrier ? "\n" + carrier.crashReport().format() : "";
    LOG.log(System.Logger.Level.WARNING, "supervisor '" + supervisor + "': child '" + childId + "' crashed ("
        + (restartType == null ? "-" : restartType) + "): " + cause + report, cause);
  }
}
