package dev.overseer.impl;

import dev.overseer.CrashReport;
import dev.overseer.ExitReason;
import dev.overseer.Overseer;
import dev.overseer.SupervisorEvent;
import dev.overseer.SupervisorOptions;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where a supervisor's lifecycle changes go: each becomes one {@link SupervisorEvent}, handed to
 * the local listeners and, when the options say so, published on the events address; a crash is
 * logged once, with its crash report when the child left one. Nothing here decides anything:
 * the engine says what happened.
 *
 * <p>Pay for what is used: an event keeps its {@link ExitReason} (the throwable) and renders JSON
 * only when asked. On a local (non-clustered) event bus an event is published as the object,
 * with a local codec that builds its JSON for each consumer that receives it: with nobody
 * consuming the events address, no JSON and no stack-trace strings are built. Consumers on other
 * members of a clustered bus cannot be seen from here, so there every published event is
 * rendered once; {@link SupervisorOptions#setPublishEvents} turns publishing off. Crash log text
 * is built only when the logger takes it.
 */
final class SupervisorEvents {

  private static final System.Logger LOG = System.getLogger("dev.overseer.Supervisor");
  private static final String CODEC = "dev.overseer.SupervisorEvent";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setCodecName(CODEC).setLocalOnly(true);

  /**
   * Delivers an event object on a local bus: each consumer receives {@link SupervisorEvent#toJson()},
   * built when it is delivered. The wire methods exist for completeness; the delivery is local only.
   */
  private static final class LocalEventCodec implements MessageCodec<SupervisorEvent, JsonObject> {
    @Override
    public void encodeToWire(Buffer buffer, SupervisorEvent event) {
      Buffer json = event.toJson().toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public JsonObject decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
    }

    @Override
    public JsonObject transform(SupervisorEvent event) {
      return event.toJson();
    }

    @Override
    public String name() {
      return CODEC;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  private final SupervisorOptions options;
  private final List<Handler<SupervisorEvent>> listeners = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private String supervisor;
  private boolean busClosed;
  private boolean localBus;

  /** @param options the supervisor's options (whether and where to publish) */
  SupervisorEvents(SupervisorOptions options) {
    this.options = options;
  }

  /** Binds to the deployed supervisor: its Vert.x and its (possibly generated) name. */
  void bind(Vertx vertx, String supervisor) {
    this.vertx = vertx;
    this.supervisor = supervisor;
    if (!vertx.isClustered() && options.isPublishEvents()) {
      try {
        vertx.eventBus().registerCodec(new LocalEventCodec());
      } catch (IllegalStateException alreadyRegistered) {
        // another supervisor of this Vert.x registered it: one codec serves them all
      }
      localBus = true;
    }
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
        if (localBus) {
          vertx.eventBus().publish(options.getEventsAddress(), event, LOCAL);
        } else {
          vertx.eventBus().publish(options.getEventsAddress(), event.toJson());
        }
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "event not published", e);
      }
    }
  }

  /** One log record per crash; a server's crash report (last message, last state) when it left one. */
  private void logCrash(String childId, String restartType, Throwable cause) {
    if (!LOG.isLoggable(System.Logger.Level.WARNING)) {
      return;
    }
    String report = cause instanceof CrashReport.Carrier carrier ? "\n" + carrier.crashReport().format() : "";
    LOG.log(System.Logger.Level.WARNING, "supervisor '" + supervisor + "': child '" + childId + "' crashed ("
        + (restartType == null ? "-" : restartType) + "): " + cause + report, cause);
  }
}
