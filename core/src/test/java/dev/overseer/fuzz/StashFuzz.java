package dev.overseer.fuzz;

import dev.overseer.ChildSpec;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import dev.overseer.server.From;
import dev.overseer.server.Persistence;
import dev.overseer.server.Result;
import dev.overseer.server.Server;
import dev.overseer.server.ServerOptions;
import dev.overseer.server.ServerRef;
import dev.overseer.server.StateCodec;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashEntry;
import dev.overseer.stash.StashException;
import dev.overseer.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzing a {@link Stash}, for every implementation (a subclass supplies it): hostile calls
 * checked against a model of the fencing rules, and hostile entries (corrupt, foreign, wrongly
 * typed, newer-schema, extreme epochs) loaded by a server that must come up every time, with the
 * entry's value when it is good and from its initial state when it is not.
 */
public abstract class StashFuzz {

  /** Calls of the API round. */
  protected static final int CALLS = 12_000;
  /** Entries of the server round (each one a restart of the server). */
  protected static final int ENTRIES = 1_500;

  /** @return the Vert.x the stash and the server run on */
  protected abstract Vertx vertx();

  /** @return a fresh, empty stash */
  protected abstract Stash stash();

  /** @return how many API calls to try (a remote stash may want fewer) */
  protected int calls() {
    return CALLS;
  }

  /** @return how many hostile entries to load (each one a restart of the server) */
  protected int entries() {
    return ENTRIES;
  }

  /** @return a prefix for keys, so runs on a shared store do not meet */
  protected String prefix() {
    return "";
  }

  @Test
  void callsAreAnsweredClearlyAndEpochsNeverGoBackwards() {
    Stash stash = stash();
    Fuzz fuzz = new Fuzz(Fuzz.seed("stash-api/" + getClass().getSimpleName()));
    Tally tally = new Tally("stash-api/" + getClass().getSimpleName(), fuzz.seed());
    Map<String, Long> claimed = new HashMap<>();
    for (int i = 0; i < calls(); i++) {
      String key = fuzz.nextInt(20) == 0 ? fuzz.oneOf((String) null, "", "x".repeat(10_000)) : prefix() + "k" + fuzz.nextInt(6);
      long held = claimed.getOrDefault(key, 0L);
      int op = fuzz.nextInt(6);
      tally.tried++;
      String input = op + " " + (key == null ? null : key.length() > 40 ? key.length() + " chars" : key);
      try {
        switch (op) {
          case 0 -> {
            Future<Long> f = stash.claim(key);
            Long epoch = outcome(f, tally, input);
            if (epoch != null) {
              if (epoch <= held) {
                tally.stateChanges++;
                tally.problem("claim went backwards: " + held + " -> " + epoch, input);
              }
              claimed.put(key, epoch);
            } else if (key != null && held < Long.MAX_VALUE && reason(f) != StashException.Reason.INVALID_ARGUMENT) {
              tally.unclear++;
              tally.problem("claim refused below the limit: " + f.cause(), input);
            }
          }
          case 1, 2 -> {
            long epoch = fuzz.nextInt(4) == 0 ? (long) fuzz.number().longValue() : held + fuzz.nextInt(3) - 1;
            int version = fuzz.nextInt(8) == 0 ? fuzz.number().intValue() : 1 + fuzz.nextInt(3);
            String json = fuzz.nextInt(4) == 0 ? fuzz.string() : String.valueOf(fuzz.nextInt(100));
            Future<StashEntry> f = stash.put(key, json, version, epoch);
            StashEntry written = outcome(f, tally, input + " epoch=" + epoch + " version=" + version);
            if (written != null) {
              if (epoch < held) {
                tally.stateChanges++;
                tally.problem("a write with epoch " + epoch + " below the claimed " + held + " was accepted", input);
              }
              claimed.put(key, Math.max(held, epoch));
            } else if (key != null && version >= 1 && epoch >= held && reason(f) == StashException.Reason.STALE_EPOCH) {
              tally.unclear++;
              tally.problem("a write at epoch " + epoch + " >= claimed " + held + " was refused as stale", input);
            }
          }
          case 3 -> {
            Optional<StashEntry> found = outcome(stash.get(key), tally, input);
            if (found != null && found.isPresent() && found.get().epoch() > held) {
              tally.stateChanges++;
              tally.problem("an entry with epoch " + found.get().epoch() + " above the claimed " + held, input);
            }
          }
          case 4 -> outcome(stash.remove(key), tally, input);
          default -> outcome(stash.quarantine(key, fuzz.string()), tally, input);
        }
      } catch (RuntimeException e) {
        tally.unclear++;
        tally.problem("thrown instead of a failed future: " + e, input);
      }
    }
    tally.print();
    assertThat(tally.rejected).isPositive();
    assertThat(tally.clean()).as(tally.summary()).isTrue();
  }

  private static StashException.Reason reason(Future<?> f) {
    return f.cause() instanceof StashException ? ((StashException) f.cause()).reason() : null;
  }

  /** The result, or null after counting a clear refusal (or an unclear one). */
  private static <T> T outcome(Future<T> f, Tally tally, String input) {
    try {
      T t = f.await(10, TimeUnit.SECONDS);
      tally.accepted++;
      return t;
    } catch (StashException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        tally.unclear++;
        tally.problem("a refusal without a reason", input);
      } else {
        tally.rejected++;
      }
    } catch (Exception e) {
      tally.unclear++;
      tally.problem("not a StashException: " + e, input);
    }
    return null;
  }

  /** Schema 2 holds a non-negative number; schema 1 held one too (migrated as is). */
  static final class Keeper extends Server<Long> {
    static final long INITIAL = 42;
    static final StateCodec<Long> CODEC = StateCodec.<Long>of("keeper", Long.class, n -> n, json -> {
      if (!(json instanceof Long || json instanceof Integer)) {
        throw new IllegalArgumentException("not an integer: " + json);
      }
      return ((Number) json).longValue();
    }).withVersion(2, (from, json) -> {
      if (from != 1) {
        throw new IllegalArgumentException("no migration from " + from);
      }
      return json;
    }).withValidator(n -> {
      if (n < 0) {
        throw new IllegalArgumentException("negative: " + n);
      }
    });

    Keeper(String name, Stash stash) {
      super(new ServerOptions(name).setPersistence(Persistence.writeThrough()), stash);
    }

    @Override
    protected StateCodec<Long> stateCodec() {
      return CODEC;
    }

    @Override
    protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
      return Future.succeededFuture(stashed.orElse(INITIAL));
    }

    @Override
    protected Result<Long> handleCall(Object request, From from, Long n) {
      return Result.reply(n, n);
    }
  }

  /** What a server of schema 2 must load from this entry, or null if it must refuse it. */
  private static Long good(StashEntry e) {
    if (e == null || e.schemaVersion() > 2 || e.schemaVersion() < 1) {
      return null;
    }
    try {
      Object v = e.value();
      return (v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= 0 ? ((Number) v).longValue() : null;
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  @Test
  void hostileEntriesAreQuarantinedAndTheServerAlwaysComesUp() {
    Stash stash = stash();
    String name = prefix() + "fuzz.keeper";
    Vertx vertx = vertx();
    Supervisor sup = Await.result(Supervisor.start(vertx, new SupervisorOptions().setName(prefix() + "fuzz-stash").setIntensity(10),
        List.of(ChildSpec.worker("keeper", () -> new Keeper(name, stash)))));
    ServerRef ref = ServerRef.of(vertx, name);
    Fuzz fuzz = new Fuzz(Fuzz.seed("stash-entries/" + getClass().getSimpleName()));
    Tally tally = new Tally("stash-entries/" + getClass().getSimpleName(), fuzz.seed());
    List<String> hostile = List.of("7", "0", "-5", "1.5", "\"text\"", "{}", "[1]", "null", "true", "9223372036854775808",
        "{\"a\":", "", "NaN", "x".repeat(70_000), "[".repeat(500) + "]".repeat(500), "{\"state\":1}", "\u0000");
    for (int i = 0; i < entries(); i++) {
      // The fuzzer is a foreign writer: it claims the key as another incarnation would.
      long held = Await.result(stash.claim(name));
      String json = fuzz.nextInt(3) == 0 ? String.valueOf(fuzz.nextInt(1000)) : hostile.get(fuzz.nextInt(hostile.size()));
      int version = fuzz.oneOf(1, 2, 2, 3, 99, Integer.MAX_VALUE);
      // Extreme but not exhausting: a foreign epoch near Long.MAX_VALUE would (correctly) fence
      // the key for good once claims reach the end, which is the documented limit, not a bug.
      long epoch = fuzz.oneOf(held, held + 1, held + 1_000_000, Long.MAX_VALUE / 2 + i, 0L, -1L, Long.MIN_VALUE);
      tally.tried++;
      String input = "json=" + (json.length() > 60 ? json.length() + " chars" : json) + " version=" + version + " epoch=" + epoch;
      // A refusal (stale epoch, bad version) leaves the last entry: the server must load that one.
      stash.put(name, json, version, epoch).otherwiseEmpty().await();
      StashEntry now = Await.result(stash.get(name)).orElse(null);
      Long expected = good(now);
      try {
        Await.result(sup.terminateChild("keeper"));
        Await.result(sup.restartChild("keeper"));
        long state = ((Number) ref.call("get").await(10, TimeUnit.SECONDS)).longValue();
        long want = expected != null ? expected : Keeper.INITIAL;
        if (state != want) {
          tally.stateChanges++;
          tally.problem("loaded " + state + ", expected " + want + " from " + now, input);
        } else if (expected == null) {
          tally.rejected++;
        } else {
          tally.accepted++;
        }
      } catch (Exception e) {
        tally.deaths++;
        tally.problem("the server did not come back: " + e, input);
        if (!vertx.deploymentIDs().contains(sup.deploymentId())) {
          break;
        }
      }
    }
    tally.print();
    assertThat(tally.rejected).as("entries refused").isPositive();
    assertThat(tally.accepted).as("entries loaded").isPositive();
    assertThat(tally.clean()).as(tally.summary()).isTrue();
  }
}
