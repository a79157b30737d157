package dev.overseer.samples.handoff;

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
 * The handoff sample's counter: a {@link Server} whose name and WRITE_THROUGH persistence come
 * from its deployment config, so the distributed supervisor can start it on any member by class
 * name. {@code "inc"} adds one; every reply names the member and the ownership epoch it answers
 * from, so the sample can check that no counter ever answered from two members at once.
 */
public final class HandoffCounter extends Server<Long> {

  /** Everything comes from the deployment config. */
  public HandoffCounter() {
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
