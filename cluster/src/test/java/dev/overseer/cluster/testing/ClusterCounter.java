package dev.overseer.cluster.testing;

import dev.overseer.server.From;
import dev.overseer.server.Persistence;
import dev.overseer.server.Result;
import dev.overseer.server.Server;
import dev.overseer.server.ServerOptions;
import dev.overseer.server.StateCodec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * A WRITE_THROUGH counter server for cluster tests: a call with a number adds it and replies
 * with {@code {"n": total, "node": nodeId}}; the total is in the default (Hazelcast) stash.
 */
public final class ClusterCounter extends Server<Long> {

  /** @param name the server's name */
  public ClusterCounter(String name) {
    super(new ServerOptions(name).setPersistence(Persistence.writeThrough()));
  }

  @Override
  protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
    return Future.succeededFuture(stashed.orElse(0L));
  }

  @Override
  protected Result<Long> handleCall(Object request, From from, Long state) {
    long next = state + ((Number) request).longValue();
    return Result.reply(new JsonObject().put("n", next).put("node", dev.overseer.Overseer.nodeId(vertx)), next);
  }

  @Override
  protected StateCodec<Long> stateCodec() {
    return StateCodec.longs();
  }
}
