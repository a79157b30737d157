package dev.overseer.console.testing;

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
 * A server the console tests look at, named {@value #NAME}: call {@code "inc"} adds one and
 * replies with the count; cast {@code "crash"} throws. Its state is written through to the
 * stash, so a restart continues the count and the stash entry has metadata to show.
 */
public class CounterServer extends Server<JsonObject> {

  public static final String NAME = "counter";

  public CounterServer() {
    super(new ServerOptions(NAME).setPersistence(Persistence.writeThrough()));
  }

  @Override
  protected Future<JsonObject> init(JsonObject config, Optional<JsonObject> stashed) {
    return Future.succeededFuture(stashed.orElse(new JsonObject().put("count", 0)));
  }

  @Override
  protected Result<JsonObject> handleCall(Object request, From from, JsonObject state) {
    JsonObject next = state.copy().put("count", state.getInteger("count") + 1);
    return Result.reply(next.getInteger("count"), next);
  }

  @Override
  protected Result<JsonObject> handleCast(Object request, JsonObject state) {
    if ("crash".equals(request)) {
      throw new IllegalStateException("counter asked to crash at " + state.getInteger("count"));
    }
    return Result.noReply(state);
  }

  @Override
  protected StateCodec<JsonObject> stateCodec() {
    // version 2, so the console shows a schema version other than the default
    return StateCodec.jsonObjects().withVersion(2, (from, json) -> json);
  }

  @Override
  protected Object formatStatus(JsonObject state) {
    return new JsonObject().put("count", state.getInteger("count")).put("owner", "console-test");
  }
}
