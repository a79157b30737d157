package dev.overseer.server;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/** A counter whose options all come from its deployment config: started by class name. */
public class ConfiguredCounter extends Server<Long> {

  /** Everything from the config. */
  public ConfiguredCounter() {
  }

  @Override
  protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
    return Future.succeededFuture(stashed.orElse(0L));
  }

  @Override
  protected Result<Long> handleCall(Object request, From from, Long n) {
    if ("crash".equals(request)) {
      throw new IllegalStateException("crash at " + n);
    }
    return "next".equals(request) ? Result.reply(n, n + 1) : Result.reply(n, n);
  }
}
