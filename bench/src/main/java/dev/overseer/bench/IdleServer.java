package dev.overseer.bench;

import dev.overseer.server.From;
import dev.overseer.server.Result;
import dev.overseer.server.Server;
import dev.overseer.server.ServerOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * The idle child of the one-for-all figure as a {@link Server} (persistence NONE): restarted in
 * place, as an Erlang {@code gen_server} is restarted as a fresh process. A cast or call of
 * {@code "crash"} throws; a call replies with its count.
 */
public class IdleServer extends Server<Long> {

  /** @param name its name and event-bus address */
  public IdleServer(String name) {
    super(new ServerOptions(name));
  }

  @Override
  protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
    return Future.succeededFuture(0L);
  }

  @Override
  protected Result<Long> handleCall(Object request, From from, Long state) {
    if ("crash".equals(request)) {
      throw new IllegalStateException("crash requested");
    }
    return Result.reply(state + 1, state + 1);
  }

  @Override
  protected Result<Long> handleCast(Object request, Long state) {
    if ("crash".equals(request)) {
      throw new IllegalStateException("crash requested");
    }
    return Result.noReply(state);
  }
}
