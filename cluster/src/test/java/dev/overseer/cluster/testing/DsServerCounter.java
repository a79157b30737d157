package dev.overseer.cluster.testing;

import dev.overseer.Overseer;
import dev.overseer.cluster.DistributedSupervisor;
import dev.overseer.server.From;
import dev.overseer.server.Result;
import dev.overseer.server.Server;
import dev.overseer.server.StateCodec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * A distributed child for tests that callers reach through {@link dev.overseer.server.ServerRef}:
 * a {@link Server} counter whose name and persistence (WRITE_THROUGH) come from its deployment
 * config. {@code "inc"} adds one, {@code "get"} reads; every reply is {@code {value, node, epoch}}
 * (the member and the ownership epoch it answers from).
 */
public final class DsServerCounter extends Server<Long> {

  /** Everything comes from the deployment config. */
  public DsServerCounter() {
  }

  @Override
  protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
    return Future.succeededFuture(stashed.orElse(0L));
  }

  @Override
  protected Result<Long> handleCall(Object request, From from, Long n) {
    long next = "inc".equals(request) ? n + 1 : n;
    JsonObject ds = config().getJsonObject(DistributedSupervisor.CONFIG_KEY, new JsonObject());
    return Result.reply(new JsonObject().put("value", next).put("node", Overseer.nodeId(vertx))
        .put("epoch", ds.getLong("epoch", 0L)), next);
  }

  @Override
  protected StateCodec<Long> stateCodec() {
    return StateCodec.longs();
  }
}
