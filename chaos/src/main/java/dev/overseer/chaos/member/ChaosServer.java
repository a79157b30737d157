package dev.overseer.chaos.member;

import dev.overseer.server.From;
import dev.overseer.server.Persistence;
import dev.overseer.server.Result;
import dev.overseer.server.Server;
import dev.overseer.server.ServerOptions;
import dev.overseer.stash.Stash;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * The server under test: the seed's sequence server ({@code next} hands out a number) or a
 * counter ({@code incr} adds one and returns the new count), both with {@code read}, and a
 * {@code poison} message they crash on. State is kept {@code WRITE_THROUGH}: a reply is sent only
 * after the new number is saved.
 *
 * <p>Every reply carries the member this incarnation runs on and the ownership epoch it claimed
 * when it loaded its state, so the checker can tell incarnations apart without trusting the
 * system's own account.
 */
public final class ChaosServer extends Server<Long> {

  /** Whether a child hands out numbers or counts. */
  public enum Kind {
    /** {@code next} returns the number, then moves it on. */
    SEQUENCE,
    /** {@code incr} moves the number on, then returns it. */
    COUNTER
  }

  private final Kind kind;
  private final String member;
  private long epoch = -1;

  /**
   * @param name the server's name (its event-bus address and stash key)
   * @param kind what it does
   * @param member how this member names itself in replies
   * @param stash where its state is kept (shared by the cluster)
   */
  public ChaosServer(String name, Kind kind, String member, Stash stash) {
    super(new ServerOptions(name).setPersistence(Persistence.writeThrough()), stash);
    this.kind = kind;
    this.member = member;
  }

  @Override
  protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
    long start = stashed.orElse(0L);
    // The epoch was claimed before init: status() reports it (the server API has no accessor).
    return status().map(s -> {
      JsonObject stash = s.getJsonObject("stash");
      epoch = stash == null ? -1 : stash.getLong("epoch", -1L);
      return start;
    });
  }

  @Override
  protected Result<Long> handleCall(Object request, From from, Long n) {
    String f = request instanceof JsonObject ? ((JsonObject) request).getString("f") : null;
    if ("next".equals(f) && kind == Kind.SEQUENCE) {
      return Result.reply(answer(n), n + 1);
    }
    if ("incr".equals(f) && kind == Kind.COUNTER) {
      return Result.reply(answer(n + 1), n + 1);
    }
    if ("read".equals(f)) {
      return Result.reply(answer(n), n);
    }
    if ("poison".equals(f)) {
      throw new IllegalStateException("poisoned by the nemesis");
    }
    return Result.reply(new JsonObject().put("error", "unknown request " + request), n);
  }

  private JsonObject answer(long value) {
    return new JsonObject().put("value", value).put("member", member).put("epoch", epoch);
  }

  @Override
  protected Long decodeState(Object json) {
    if (!(json instanceof Number)) {
      throw new IllegalArgumentException("a " + kind.name().toLowerCase() + " holds a number, got " + json);
    }
    return ((Number) json).longValue();
  }
}
