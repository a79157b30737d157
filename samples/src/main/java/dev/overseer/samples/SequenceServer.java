package dev.overseer.samples;

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
 * The seed article's {@code Sequence.Server}, on Overseer. Event-bus address {@code "sequence"}:
 * <ul>
 *   <li>call {@code "next_number"}: replies with the current number, then increments it;</li>
 *   <li>cast {@code {"increment_number": delta}}: adds {@code delta}; anything but a number
 *       crashes the server, as {@code :erlang.+(8, nil)} does in the article.</li>
 * </ul>
 * The number is kept in the stash when the server terminates (the article's pattern, crash
 * included), so a restarted server continues where the crashed one stopped.
 */
// README:begin
public class SequenceServer extends Server<Long> {
  public static final String NAME = "sequence";            // the event-bus address

  public SequenceServer() {
    super(new ServerOptions(NAME).setPersistence(Persistence.onTerminate()));
  }

  @Override protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
    return Future.succeededFuture(stashed.orElse(config.getLong("initial", 0L)));
  }

  @Override protected Result<Long> handleCall(Object request, From from, Long n) {
    if ("next_number".equals(request)) {
      return Result.reply(n, n + 1);                        // reply n, continue with n + 1
    }
    return Result.reply(new JsonObject().put("error", "unknown call " + request), n);
  }

  @Override protected Result<Long> handleCast(Object request, Long n) {
    Object delta = ((JsonObject) request).getValue("increment_number");
    return Result.noReply(n + ((Number) delta).longValue()); // "cat" throws: a crash
  }

  @Override protected Object formatStatus(Long n) {
    return "Current state: '" + n + "'";                    // what crash reports show
  }

  @Override protected Object describeMessage(Object message) {
    return message;                        // no secrets in these messages: reports show them
  }

  @Override protected StateCodec<Long> stateCodec() {
    return StateCodec.longs();                              // the stash holds JSON numbers
  }
}
// README:end
