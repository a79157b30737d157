package dev.overseer.impl;

import dev.overseer.server.ServerOptions;
import dev.overseer.stash.Stash;
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
 *   <li>the read fails: retried with backoff up to {@code loadAttempts}, then the configured
 *       fallback (initial state, or a failed start), never an endless loop;</li>
 *   <li>no entry: the initial state;</li>
 *   <li>stale (older than {@code maxStateAge}), corrupt (not JSON), written by a newer schema,
 *       failing to migrate, decode or validate: quarantined (kept aside, reported) and the
 *       initial state is used.</li>
 * </ul>
 */
public final class StateLoader {

  private StateLoader() {
  }

  /** What a server supplies to turn stored JSON into its state. */
  public interface Hooks<S> {
    /** @return {@code value} brought from {@code fromVersion} to the current schema version */
    Object migrate(int fromVersion, Object value) throws Exception;

    /** @return the state decoded from a JSON value of the current schema version */
    S decode(Object value) throws Exception;

    /** Throws when {@code state} must not be loaded. */
    void validate(S state) throws Exception;
  }

  /**
   * What loading found.
   *
   * @param state the state to start from, or empty for the initial state
   * @param entry the entry that was read, or {@code null}
   * @param outcome one of {@code loaded}, {@code none}, {@code quarantined}, {@code fallback}
   * @param detail why, for quarantine and fallback
   * @param attempts how many reads were made
   */
  public record Outcome<S>(Optional<S> state, StashEntry entry, String outcome, String detail, int attempts) {
    /** @return the outcome as JSON (for server status) */
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("outcome", outcome).put("attempts", attempts);
      if (detail != null) {
        json.put("detail", detail);
      }
      return json;
    }
  }

  /** Loads {@code key}. */
  public static <S> Future<Outcome<S>> load(Vertx vertx, Stash stash, String key, ServerOptions options, Hooks<S> hooks) {
    Promise<Outcome<S>> result = Promise.promise();
    attempt(vertx, stash, key, options, hooks, 1, result);
    return result.future();
  }

  private static <S> void attempt(Vertx vertx, Stash stash, String key, ServerOptions options, Hooks<S> hooks,
                                  int attempt, Promise<Outcome<S>> result) {
    stash.get(key).onComplete(ar -> {
      if (ar.succeeded()) {
        check(stash, key, options, hooks, ar.result(), attempt).onComplete(result);
        return;
      }
      if (attempt >= Math.max(1, options.getLoadAttempts())) {
        String detail = "reading '" + key + "' failed " + attempt + " times: " + ar.cause().getMessage();
        if (options.getLoadFallback() == ServerOptions.LoadFallback.FAIL) {
          result.fail(new IllegalStateException(detail, ar.cause()));
        } else {
          result.complete(new Outcome<>(Optional.empty(), null, "fallback", detail, attempt));
        }
        return;
      }
      long delay = Math.max(1, options.getLoadBackoff().delayMillis(attempt, Math::random));
      vertx.setTimer(delay, t -> attempt(vertx, stash, key, options, hooks, attempt + 1, result));
    });
  }

  private static <S> Future<Outcome<S>> check(Stash stash, String key, ServerOptions options, Hooks<S> hooks,
                                               Optional<StashEntry> found, int attempts) {
    if (found.isEmpty()) {
      return Future.succeededFuture(new Outcome<>(Optional.empty(), null, "none", null, attempts));
    }
    StashEntry entry = found.get();
    String refusal;
    S state = null;
    Duration maxAge = options.getMaxStateAge();
    if (maxAge != null && entry.age(Instant.now()).compareTo(maxAge) > 0) {
      refusal = "stale: written " + entry.age(Instant.now()).toMillis() + " ms ago, more than maxStateAge " + maxAge.toMillis() + " ms";
    } else if (entry.schemaVersion() > options.getSchemaVersion()) {
      refusal = "written by schema version " + entry.schemaVersion() + ", newer than this server's " + options.getSchemaVersion();
    } else {
      refusal = null;
      try {
        Object value;
        try {
          value = entry.value();
        } catch (RuntimeException e) {
          throw new Refused("corrupt: not JSON: " + e.getMessage());
        }
        if (entry.schemaVersion() < options.getSchemaVersion()) {
          try {
            value = hooks.migrate(entry.schemaVersion(), value);
          } catch (Exception e) {
            throw new Refused("migration from schema version " + entry.schemaVersion() + " to " + options.getSchemaVersion() + " failed: " + e);
          }
        }
        try {
          state = hooks.decode(value);
        } catch (Exception e) {
          throw new Refused("cannot decode: " + e);
        }
        try {
          hooks.validate(state);
        } catch (Exception e) {
          throw new Refused("invalid: " + e.getMessage());
        }
      } catch (Refused r) {
        refusal = r.getMessage();
      }
    }
    if (refusal == null) {
      return Future.succeededFuture(new Outcome<>(Optional.of(state), entry, "loaded", null, attempts));
    }
    String why = refusal;
    return stash.quarantine(key, why)
        .transform(ar -> Future.succeededFuture(new Outcome<>(Optional.<S>empty(), entry, "quarantined", why, attempts)));
  }

  private static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }
}
