package dev.overseer.testing;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Listens to supervisor events on the event bus, as any other verticle would, and records each
 * as {@code "TYPE supervisor/child"} (or {@code "TYPE supervisor"}) in a {@link Probe}; keeps the
 * JSON bodies too.
 */
public final class BusEvents {

  private final Probe probe = new Probe();
  private final List<JsonObject> bodies = new ArrayList<>();

  private BusEvents() {
  }

  /** Subscribes to {@code address} and waits until the subscription is in place. */
  public static BusEvents listen(Vertx vertx, String address) {
    BusEvents events = new BusEvents();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address, msg -> events.add(msg.body()));
    Await.result(consumer.completion());
    return events;
  }

  private void add(JsonObject body) {
    synchronized (bodies) {
      bodies.add(body);
    }
    String child = body.getString("childId");
    probe.record(body.getString("type") + " " + body.getString("supervisor") + (child == null ? "" : "/" + child));
  }

  /** @return the recorded lines */
  public Probe probe() {
    return probe;
  }

  /** @return the JSON bodies received so far */
  public List<JsonObject> bodies() {
    synchronized (bodies) {
      return new ArrayList<>(bodies);
    }
  }

  /** Waits for a line equal to {@code line}, e.g. {@code "CHILD_RESTARTED app/a"}. */
  public void await(String line) {
    probe.await(line);
  }

  /** @return the first body whose line is {@code line} */
  public JsonObject body(String type, String childId) {
    return bodies().stream()
        .filter(b -> type.equals(b.getString("type")) && java.util.Objects.equals(childId, b.getString("childId")))
        .findFirst().orElseThrow(() -> new AssertionError("no " + type + " event for " + childId + " in " + probe.lines()));
  }
}
