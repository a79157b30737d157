package dev.overseer.console.impl;

import dev.overseer.server.Server;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * The console's one view of servers ({@link Server}, Overseer's GenServer): which child runs
 * which server, and a server's status as {@link Server#status()} reports it (its state as
 * {@code formatStatus} renders it, messages handled, its stash entry's metadata).
 *
 * <p>A supervised server runs in its child's deployment, so a child's deployment id names its
 * server. Matching by deployment id is free; asking every server for its status on every tree
 * update would run every {@code formatStatus} several times a second, so status is asked only
 * for the child whose details are open. Everything the console knows of servers goes through
 * this class, so it is the only one to change when servers change.
 */
public final class Servers {

  private final Vertx vertx;

  /** @param vertx the Vert.x instance whose servers are shown */
  public Servers(Vertx vertx) {
    this.vertx = vertx;
  }

  /** @return the name of the server running in each deployment, by deployment id */
  public Map<String, String> byDeployment() {
    Map<String, String> names = new HashMap<>();
    for (Server<?> server : Server.all(vertx)) {
      String deployment = server.deploymentID();
      if (deployment != null) {
        names.put(deployment, server.name());
      }
    }
    return names;
  }

  /**
   * Call on the console's context: the answer completes there.
   *
   * @param deploymentId a child's current deployment, or {@code null}
   * @return the status of the server running there, or {@code null} when none does (or it
   *     stopped while being asked)
   */
  public Future<JsonObject> status(String deploymentId) {
    if (deploymentId == null) {
      return Future.succeededFuture(null);
    }
    for (Server<?> server : Server.all(vertx)) {
      if (deploymentId.equals(server.deploymentID())) {
        // status() completes on the server's context; the console's state is touched on its own
        Context caller = vertx.getOrCreateContext();
        Promise<JsonObject> answer = Promise.promise();
        server.status().onComplete(ar -> caller.runOnContext(v -> answer.complete(ar.succeeded() ? ar.result() : null)));
        return answer.future();
      }
    }
    return Future.succeededFuture(null);
  }
}
