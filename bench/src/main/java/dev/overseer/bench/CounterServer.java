package dev.overseer.bench;

import dev.overseer.server.From;
import dev.overseer.server.Persistence;
import dev.overseer.server.Result;
import dev.overseer.server.Server;
import dev.overseer.server.StateCodec;
import dev.overseer.server.ServerOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * The counter as an Overseer {@link Server}: the same request and reply as
 * {@link CounterVerticle}, with the count as the server's state, kept in the shared
 * {@link dev.overseer.stash.LocalStash} as the persistence says. A cast or call of {@code "crash"} throws.
 */
public class CounterServer extends Server<Long> {

  private long incarnation;

  /**
   * @param name the server's name and event-bus address
   * @param persistence how the count is kept
   */
  public CounterServer(String name, Persistence persistence) {
    super(new ServerOptions(name).setPersistence(persistence));
  }

  @Override
  protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
    long now = System.nanoTime();
    incarnation = CounterVerticle.INCARNATIONS.incrementAndGet();
    Announce.started(name(), incarnation, now);
    CounterVerticle.THREADS.put(name(), Thread.currentThread());
    return Future.succeededFuture(stashed.orElse(0L));
  }

  @Override
  protected Result<Long> handleCall(Object request, From from, Long state) {
    if ("crash".equals(request)) {
      throw new IllegalStateException("crash requested");
    }
    long next = state + ((JsonObject) request).getLong("by");
    return Result.reply(new JsonObject().put("n", next).put("inc", incarnation), next);
  }

  @Override
  protected Result<Long> handleCast(Object request, Long state) {
    if ("crash".equals(request)) {
      throw new IllegalStateException("crash requested");
    }
    return Result.noReply(state);
  }

  @Override
  protected StateCodec<Long> stateCodec() {
    return StateCodec.longs();
  }
}
