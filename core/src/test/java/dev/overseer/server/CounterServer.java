package dev.overseer.server;

import dev.overseer.ExitReason;
import dev.overseer.server.From;
import dev.overseer.server.Result;
import dev.overseer.server.Server;
import dev.overseer.server.ServerOptions;
import dev.overseer.stash.Stash;
import dev.overseer.testing.Probe;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * A test server holding a number. Calls: "get", "next" (reply n, then n+1), "crash", "stop",
 * "later" (reply through From after a timer), {"add": d} (crashes unless d is a number);
 * casts: {"add": d}, "crash"; info: {"add": d}. Init may be held back by a promise so tests can
 * queue messages before the state is ready. Records "init <stashed>" and "terminate <reason> <state>".
 */
public class CounterServer extends Server<Long> {

  private final Probe probe;
  private final Promise<Void> gate;
  private final long initial;
  private StateCodec<Long> codec = StateCodec.longs();

  public CounterServer(ServerOptions options, Stash stash, Probe probe) {
    this(options, stash, probe, null, 0);
  }

  public CounterServer(ServerOptions options, Stash stash, Probe probe, Promise<Void> gate, long initial) {
    super(options, stash);
    this.probe = probe;
    this.gate = gate;
    this.initial = initial;
  }

  @Override
  protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
    probe.record("init " + stashed.map(String::valueOf).orElse("none"));
    long start = stashed.orElse(config.getLong("initial", initial));
    return gate == null ? Future.succeededFuture(start) : gate.future().map(v -> start);
  }

  @Override
  protected Result<Long> handleCall(Object request, From from, Long n) {
    probe.record("call " + request + " at " + n);
    if (request instanceof JsonObject) {
      return Result.reply(n + ((JsonObject) request).getLong("add"), n + ((JsonObject) request).getLong("add"));
    }
    switch (String.valueOf(request)) {
      case "get":
        return Result.reply(n, n);
      case "next":
        return Result.reply(n, n + 1);
      case "crash":
        throw new IllegalStateException("crash on call at " + n);
      case "stop":
        return Result.stop(ExitReason.normal(), "bye", n);
      case "later":
        vertx.setTimer(5, t -> from.reply("later " + n));
        return Result.noReply(n);
      default:
        return Result.reply("unknown " + request, n);
    }
  }

  @Override
  protected Result<Long> handleCast(Object request, Long n) {
    probe.record("cast " + request + " at " + n);
    if ("crash".equals(request)) {
      throw new IllegalStateException("crash on cast at " + n);
    }
    Object delta = ((JsonObject) request).getValue("add");
    return Result.noReply(n + ((Number) delta).longValue());
  }

  @Override
  protected Result<Long> handleInfo(Object message, Long n) {
    probe.record("info " + message);
    return Result.noReply(n + ((JsonObject) message).getLong("add"));
  }

  @Override
  protected void terminate(ExitReason reason, Long n) {
    probe.record("terminate " + reason.kind() + " " + n);
  }

  @Override
  protected Object formatStatus(Long n) {
    return "Current state: " + n;
  }

  @Override
  protected StateCodec<Long> stateCodec() {
    return codec;
  }

  /** Uses {@code codec} instead of {@link StateCodec#longs()}. */
  public CounterServer withCodec(StateCodec<Long> codec) {
    this.codec = codec;
    return this;
  }

  /** Lets tests trigger an info message from inside. */
  public void selfInfo(Object msg) {
    context.runOnContext(v -> info(msg));
  }
}
