package dev.overseer.console.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * The console's one view of servers ({@code Server}, the GenServer of Overseer): which child runs
 * which server, and a server's status as {@code ServerRef.status()} reports it (its state as
 * {@code formatStatus} renders it, its stash entry's metadata, its last crash).
 *
 * <p>Everything the console knows of servers goes through this class, so it is the only one to
 * change when servers change.
 */
public final class Servers {

  private final Vertx vertx;

  /** @param vertx the Vert.x instance whose servers are shown */
  public Servers(Vertx vertx) {
    this.vertx = vertx;
  }

  /** @return the name of the server each child runs, keyed by {@link EventLog#key(String, String)} */
  public Future<Map<String, String>> names() {
    return Future.succeededFuture(Map.of());
  }

  /** @return the status of the server the child runs, or {@code null} when it runs none */
  public Future<JsonObject> status(String supervisor, String childId) {
    return Future.succeededFuture(null);
  }

  Vertx vertx() {
    return vertx;
  }
}
