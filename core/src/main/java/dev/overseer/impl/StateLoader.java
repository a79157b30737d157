package dev.overseer.impl;

import dev.overseer.server.LoadOutcome;
import dev.overseer.server.ServerOptions;
import dev.overseer.server.StateCodec;
import dev.overseer.stash.StashClaim;
import dev.overseer.stash.StashEntry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Loads a server's state from its stash, with the guards the seeds ask for. Each way loading
 * can go wrong has one answer:
 * <ul>
 *   <li>the read fails or does not answer within the stash timeout: retried with backoff up to
 *       {@code loadAttempts}, then the configured fallback (initial state, or a failed start),
 *       never an endless loop;</li>
 *   <li>no entry: the initial state;</li>
 *   <li>stale (older than {@code maxStateAge}), corrupt (not JSON), JSON {@code null}, written by
 *       a newer schema, failing to migrate, decode (a wrong JSON type) or validate: quarantined
 *       (kept aside, reported) and the initial state is used.</li>
 * </ul>
 * Any exception on the way ends in one of these outcomes or a failed future: loading never
 * hangs silently.
 */
public final class StateLoader {

  private StateLoader() {
  }

  /**
   * What loading found.
   *
   * @param kind the outcome
   * @param state the state to start from, or empty for the initial state
   * @param entry the entry that was read, or {@code null}
   * @param detail why, for quarantine and fallback
   * @param attempts how many reads were made
   */
  public record Outcome<S>(LoadOutcome kind, Optional<S> state, StashEntry entry, String detail, int attempts) {
    /** @return the outcome as JSON (for server status) */
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("outcome", kind.name()).put("attempts", attempts);
      if (detail != null) {
        json.put("detail", detail);
      }
      return json;
    }
  }

  /** Loads the state under {@code calls}' key. */
  public static <S> Future<Outcome<S>> load(Vertx vertx, StashCalls calls, ServerOptions options, StateCodec<S> codec) {
    Promise<Outcome<S>> result = Promise.promise();
    attempt(vertx, calls, options, codec, 1, result);
    return result.future();
  }

  /**
   * Loads the state under {@code calls}' key, starting from what {@code claim} read: its entry
   * counts as the first read (and gets the same checks); a claim that read nothing is followed
   * by reads as in {@link #load(Vertx, StashCalls, ServerOptions, StateCodec)}.
   */
  public static <S> Future<Outcome<S>> load(Vertx vertx, StashCalls calls, ServerOptions options, StateCodec<S> codec,
                                            StashClaim claim) {
    if (!claim.entryRead()) {
      return load(vertx, calls, options, codec);
    }
    try {
      return check(calls, options, codec, claim.entry(), 1);
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
  }

  private static <S> void attempt(Vertx vertx, StashCalls calls, ServerOptions options, StateCodec<S> codec,
                                  int attempt, Promise<Outcome<S>> result) {
    calls.get().onComplete(ar -> {
      try {
        if (ar.succeeded()) {
          check(calls, options, codec, ar.result(), attempt).onComplete(result);
          return;
        }
        if (attempt >= Math.max(1, options.getLoadAttempts())) {
          String detail = "reading '" + calls.key() + "' failed " + attempt + " times: " + ar.cause().getMessage();
          if (options.getLoadFallback() == ServerOptions.LoadFallback.FAIL) {
            result.fail(new IllegalStateException(detail, ar.cause()));
          } else {
            result.complete(new Outcome<>(LoadOutcome.FALLBACK, Optional.empty(), null, detail, attempt));
          }
          return;
        }
        long delay = Math.max(1, options.getLoadBackoff().delayMillis(attempt, Math::random));
        vertx.setTimer(delay, t -> attempt(vertx, calls, options, codec, attempt + 1, result));
      } catch (Throwable t) {
        result.tryFail(t);
      }
    });
  }

  private static <S> Future<Outcome<S>> check(StashCalls calls, ServerOptions options, StateCodec<S> codec,
                                               Optional<StashEntry> found, int attempts) {
    if (found == null || found.isEmpty()) {
      return Future.succeededFuture(new Outcome<>(LoadOutcome.NONE, Optional.empty(), null, null, attempts));
    }
    StashEntry entry = found.get();
    String refusal = refusal(entry, options, codec);
    if (refusal == null) {
      try {
        S state = decode(entry, codec);
        return Future.succeededFuture(new Outcome<>(LoadOutcome.LOADED, Optional.of(state), entry, null, attempts));
      } catch (Refused r) {
        refusal = r.getMessage();
      }
    }
    String why = refusal;
    // A quarantine that fails or times out still leaves the entry unloaded: the server starts
    // from its initial state, and its first write replaces the refused value.
    return calls.quarantine(why)
        .transform(ar -> Future.succeededFuture(new Outcome<>(LoadOutcome.QUARANTINED, Optional.<S>empty(), entry,
            ar.succeeded() ? why : why + " (quarantine failed: " + ar.cause().getMessage() + ")", attempts)));
  }

  private static <S> String refusal(StashEntry entry, ServerOptions options, StateCodec<S> codec) {
    Duration maxAge = options.getMaxStateAge();
    Instant now = Instant.now();
    if (maxAge != null && entry.age(now).compareTo(maxAge) > 0) {
      return "stale: written " + entry.age(now).toMillis() + " ms ago, more than maxStateAge " + maxAge.toMillis() + " ms";
    }
    if (entry.schemaVersion() > codec.version()) {
      return "written by schema version " + entry.schemaVersion() + ", newer than this server's " + codec.version();
    }
    return null;
  }

  private static <S> S decode(StashEntry entry, StateCodec<S> codec) throws Refused {
    Object value;
    try {
      value = entry.value();
    } catch (RuntimeException e) {
      throw new Refused("corrupt: not JSON: " + e.getMessage());
    }
    if (entry.schemaVersion() < codec.version()) {
      try {
        value = codec.migrate(entry.schemaVersion(), value);
      } catch (Exception e) {
        throw new Refused("migration from schema version " + entry.schemaVersion() + " to " + codec.version() + " failed: " + e);
      }
    }
    S state;
    try {
      state = codec.decode(value);
    } catch (Exception e) {
      throw new Refused("cannot decode: " + e.getMessage());
    }
    try {
      codec.validate(state);
    } catch (Exception e) {
      throw new Refused("invalid: " + e.getMessage());
    }
    return state;
  }

  private static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }
}
