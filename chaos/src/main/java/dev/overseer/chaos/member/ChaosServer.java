package dev.overseer.chaos.member;

import dev.overseer.Overseer;
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
 * The server under test: the seed's sequence server ({@code next} hands out a number) or a
 * counter ({@code incr} adds one and returns the new count), both with {@code read}, and a
 * {@code poison} message they crash on. State is kept {@code WRITE_THROUGH} in the member's default
 * stash (the cluster's {@code HazelcastStash}): a reply is sent only after the new number is saved.
 *
 * <p>Started by class name by the distributed supervisor, with config
 * {@code {"kind": "sequence"|"counter", "overseer": {"name": id}}}. Every reply carries the member
 * this incarnation runs on, the stash epoch it claimed when it loaded its state (a fencing token,
 * new for every incarnation) and the supervisor's ownership epoch, so the checker can tell
 * incarnations apart without trusting the system's own account.
 */
public final class ChaosServer extends Server<Long> {

  /** The config key of what the child does: {@code sequence} or {@code counter}. */
  public static final String KIND = "kind";

  private boolean sequence;
  private String member;
  private long ownership = -1;
  private long epoch = -1;

  /** A server named by its deployment config, kept write-through. */
  public ChaosServer() {
    super(new ServerOptions().setPersistence(Persistence.writeThrough()));
  }

  @Override
  protected StateCodec<Long> stateCodec() {
    return StateCodec.longs();
  }

  @Override
  protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
    sequence = "sequence".equals(config.getString(KIND));
    JsonObject ds = config.getJsonObject("overseer.ds", new JsonObject());
    member = ds.getString("node", Overseer.nodeId(vertx));
    ownership = ds.getLong("epoch", -1L);
    long start = stashed.orElse(0L);
    // The stash epoch was claimed before init: status() reports it (the server API has no accessor).
    return status().map(s -> {
      JsonObject stash = s.getJsonObject("stash");
      epoch = stash == null ? -1 : stash.getLong("epoch", -1L);
      return start;
    });
  }

  @Override
  protected Result<Long> handleCall(Object request, From from, Long n) {
    String f = request instanceof JsonObject ? ((JsonObject) request).getString("f") : null;
    if ("next".equals(f) && sequence) {
      return Result.reply(answer(n), n + 1);
    }
    if ("incr".equals(f) && !sequence) {
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
    return new JsonObject().put("value", value).put("member", member).put("epoch", epoch).put("ownership", ownership);
  }
}
