package dev.overseer.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.map.IMap;
import dev.overseer.cluster.impl.Bridge;
import dev.overseer.cluster.impl.HazelcastConfigs;
import dev.overseer.cluster.impl.PartitionReplicas;
import dev.overseer.cluster.impl.StashOp;
import dev.overseer.stash.QuarantinedEntry;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashClaim;
import dev.overseer.stash.StashEntry;
import dev.overseer.stash.StashException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Stash} in a Hazelcast {@code IMap}: state that survives a member leaving or being
 * killed. Entries live in map {@code overseer.stash.<name>}, quarantined ones in
 * {@code overseer.stash.<name>.quarantine}; the bootstrap gives every {@code overseer.*} map
 * synchronous backups ({@link ClusterOptions#getBackupCount}), so an acknowledged write is on
 * the partition owner and its backups before its future succeeds.
 *
 * <p>Values are JSON text; every change is an entry processor run on the key's partition owner
 * ({@code put} compare-and-sets on the epoch, {@code claim} raises it atomically and refuses to
 * wrap at {@link Long#MAX_VALUE}), so two members racing on one key are serialized. Futures
 * complete on the caller's context; nothing blocks an event loop; every operation fails with
 * {@link StashException.Reason#UNAVAILABLE} after the operation timeout (an operation whose
 * partition owner hangs waits until that member is removed).
 *
 * <p>{@link #entries()} and {@link #quarantined()} read the whole map on a worker thread: for
 * the console, not for hot paths.
 */
public final class HazelcastStash implements Stash {

  /** Name of the stash the bootstrap sets as the default: {@value}. */
  public static final String DEFAULT_NAME = "default";

  private final Vertx vertx;
  private final IMap<String, String> map;
  private final IMap<String, String> quarantine;
  private final Duration timeout;
  private final Clock clock;
  /** The map's synchronous backup count: a change waits for a backup replica when it is above 0. */
  private final int backups;
  /** This member, whose partition table a change reads before it asks the owner; null for none. */
  private final Node local;
  /** Whose cluster time a claim's deadline is set in. */
  private final com.hazelcast.cluster.Cluster cluster;

  /** The longest bound a claim keeps: longer ones are cut to it. */
  private static final Duration MAX_CLAIM_BOUND = Duration.ofDays(1);

  /** How long a change waits before it tries again on a partition that has no backup replica yet. */
  private static final long NO_BACKUP_RETRY_MILLIS = 50;

  /**
   * @param vertx the Vert.x instance whose contexts futures complete on
   * @param hazelcast the member (from the cluster manager, or the user's own)
   * @param name the stash's name; stashes of different names share nothing
   * @param timeout the bound of every operation
   */
  public HazelcastStash(Vertx vertx, HazelcastInstance hazelcast, String name, Duration timeout) {
    this(vertx, hazelcast, name, timeout, Clock.systemUTC());
  }

  /**
   * @param vertx the Vert.x instance whose contexts futures complete on
   * @param hazelcast the member
   * @param name the stash's name
   * @param timeout the bound of every operation
   * @param clock what stamps {@link StashEntry#updatedAt()}
   */
  public HazelcastStash(Vertx vertx, HazelcastInstance hazelcast, String name, Duration timeout, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(hazelcast, "hazelcast");
    Objects.requireNonNull(name, "name");
    this.map = hazelcast.getMap(HazelcastConfigs.MAP_PREFIX + "stash." + name);
    this.quarantine = hazelcast.getMap(HazelcastConfigs.MAP_PREFIX + "stash." + name + ".quarantine");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.backups = hazelcast.getConfig().findMapConfig(map.getName()).getBackupCount();
    this.local = backups > 0 ? PartitionReplicas.localNode(hazelcast) : null;
    this.cluster = hazelcast.getCluster();
  }

  @Override
  public Future<Optional<StashEntry>> get(String key) {
    if (key == null) {
      return invalid("key must not be null");
    }
    return fenced(() -> guard(Bridge.bounded(vertx, map.getAsync(key), timeout), "get", key), "get", key)
        .map(raw -> {
          JsonObject entry = raw == null ? null : new JsonObject(raw).getJsonObject("entry");
          return entry == null ? Optional.<StashEntry>empty() : Optional.of(toEntry(key, entry));
        });
  }

  @Override
  public Future<StashEntry> put(String key, String json, int schemaVersion, long epoch) {
    if (key == null || json == null) {
      return invalid("key and json must not be null");
    }
    if (schemaVersion < 1) {
      return invalid("schemaVersion must be 1 or more, got " + schemaVersion);
    }
    StashOp op = StashOp.put(json, schemaVersion, epoch, clock.millis());
    return change(key, op, "put").compose(result -> {
      JsonObject r = new JsonObject(result);
      if (r.containsKey("stale")) {
        return Future.failedFuture(new StashException(StashException.Reason.STALE_EPOCH,
            "write to '" + key + "' with epoch " + epoch + " rejected: the key is owned by epoch " + r.getLong("stale")));
      }
      return Future.succeededFuture(toEntry(key, r.getJsonObject("entry")));
    });
  }

  @Override
  public Future<Long> claim(String key) {
    return claimed(key).map(r -> r.getLong("epoch"));
  }

  /**
   * One entry processor claims the key and returns its entry as of the claim. An entry that
   * cannot be parsed is not an error of the claim (the epoch was raised): the claim comes back
   * without it, and the caller's read meets the problem with its own guards.
   */
  @Override
  public Future<StashClaim> claimAndGet(String key) {
    return claimAndGet(key, null);
  }

  /**
   * {@link #claimAndGet(String)}, given up after {@code within}: the claim carries its deadline
   * in Hazelcast's cluster time, and the key's owner changes nothing past it (a try sent just
   * before the deadline and run after it is refused there too), so a claim given up on is never
   * made later, over the claim of the caller's next attempt; the members' cluster-time skew
   * (Hazelcast's {@code cluster.timeDiff}, tens of ms) is the only slack. Tries after a missing backup replica stop at the deadline as well.
   */
  @Override
  public Future<StashClaim> claimAndGet(String key, Duration within) {
    if (within != null && (within.isNegative() || within.isZero())) {
      return invalid("within must be positive, got " + within);
    }
    return claimed(key, within).map(r -> {
      long epoch = r.getLong("epoch");
      if (!r.getBoolean("read", false)) {
        // the key's owner runs an older processor that answers the epoch only: read next
        return StashClaim.epochOnly(epoch);
      }
      try {
        JsonObject entry = r.getJsonObject("entry");
        return StashClaim.withEntry(epoch, entry == null ? Optional.empty() : Optional.of(toEntry(key, entry)));
      } catch (RuntimeException e) {
        return StashClaim.epochOnly(epoch);
      }
    });
  }

  private Future<JsonObject> claimed(String key) {
    return claimed(key, null);
  }

  /** @param within how long the caller waits, or {@code null} for the operation timeout alone */
  private Future<JsonObject> claimed(String key, Duration within) {
    if (key == null) {
      return invalid("key must not be null");
    }
    // (a day is as good as forever for a claim, and keeps the arithmetic below from overflowing)
    Duration bound = within == null ? null : within.compareTo(MAX_CLAIM_BOUND) > 0 ? MAX_CLAIM_BOUND : within;
    Long giveUp = bound == null ? null : System.nanoTime() + bound.toNanos();
    StashOp op = bound == null ? StashOp.claim() : StashOp.claim(cluster.getClusterTime() + bound.toMillis());
    return change(key, op, "claim", giveUp).compose(result -> {
      JsonObject r = new JsonObject(result);
      if (r.containsKey("late")) {
        return Future.failedFuture(new StashException(StashException.Reason.UNAVAILABLE, "claim of '" + key
            + "' not made: it reached the key's owner after its " + bound.toMillis() + " ms deadline (changed nothing)"));
      }
      if (r.containsKey("exhausted")) {
        return Future.failedFuture(new StashException(StashException.Reason.EPOCH_EXHAUSTED,
            "claim of '" + key + "' refused: its epoch is already " + Long.MAX_VALUE + " and epochs never wrap"));
      }
      return Future.succeededFuture(r);
    });
  }

  @Override
  public Future<Void> remove(String key) {
    if (key == null) {
      return invalid("key must not be null");
    }
    return change(key, StashOp.remove(), "remove").mapEmpty();
  }

  @Override
  public Future<Void> quarantine(String key, String reason) {
    if (key == null) {
      return invalid("key must not be null");
    }
    // copy aside first, then clear only the revision that was copied: a crash in between leaves
    // the value in both places (reported twice) rather than in neither
    return get(key).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture();
      }
      StashEntry entry = found.get();
      Instant at = clock.instant();
      JsonObject kept = new JsonObject().put("key", key).put("entry", fromEntry(entry))
          .put("reason", reason).put("quarantinedAt", at.toEpochMilli());
      String id = String.format("%020d-%s", at.toEpochMilli(), UUID.randomUUID());
      return guard(Bridge.bounded(vertx, quarantine.setAsync(id, kept.encode()), timeout), "quarantine", key)
          .compose(v -> change(key, StashOp.clearRevision(entry.revision()), "quarantine"))
          .mapEmpty();
    });
  }

  @Override
  public Future<List<QuarantinedEntry>> quarantined() {
    return guard(Bridge.blocking(vertx, () -> new ArrayList<>(quarantine.entrySet()), timeout), "quarantined", "*")
        .map(all -> {
          all.sort(java.util.Map.Entry.comparingByKey());
          List<QuarantinedEntry> out = new ArrayList<>();
          for (var e : all) {
            JsonObject q = new JsonObject(e.getValue());
            out.add(new QuarantinedEntry(toEntry(q.getString("key"), q.getJsonObject("entry")), q.getString("reason"),
                Instant.ofEpochMilli(q.getLong("quarantinedAt"))));
          }
          return out;
        });
  }

  @Override
  public Future<List<StashEntry>> entries() {
    return guard(Bridge.blocking(vertx, () -> new ArrayList<>(map.entrySet()), timeout), "entries", "*")
        .map(all -> {
          List<StashEntry> out = new ArrayList<>();
          for (var e : all) {
            JsonObject entry = new JsonObject(e.getValue()).getJsonObject("entry");
            if (entry != null) {
              out.add(toEntry(e.getKey(), entry));
            }
          }
          out.sort(Comparator.comparing(StashEntry::key));
          return out;
        });
  }

  private static StashEntry toEntry(String key, JsonObject e) {
    return new StashEntry(key, e.getString("json"), e.getInteger("schemaVersion"), e.getLong("epoch"),
        Instant.ofEpochMilli(e.getLong("updatedAt")), e.getLong("revision"));
  }

  private static JsonObject fromEntry(StashEntry e) {
    return new JsonObject().put("json", e.json()).put("schemaVersion", e.schemaVersion()).put("epoch", e.epoch())
        .put("updatedAt", e.updatedAt().toEpochMilli()).put("revision", e.revision());
  }

  /**
   * Runs a change of {@code key} (fenced by the lease, bounded by the timeout). With synchronous
   * backups configured, the processor changes nothing while the key's partition has no backup
   * replica (after a member left, until Hazelcast's migrations give it one again): the change is
   * tried again every {@value #NO_BACKUP_RETRY_MILLIS} ms, and fails {@code UNAVAILABLE} if the
   * partition has none within the timeout. So a change is acknowledged only once a backup has it.
   * The timeout counts from when the lease lets the change go, not from the call.
   */
  private Future<String> change(String key, StashOp op, String what) {
    return change(key, op, what, null);
  }

  /**
   * @param giveUp a {@code System.nanoTime()} after which no try starts, whatever the timeout;
   *     {@code null} for the timeout alone
   */
  private Future<String> change(String key, StashOp op, String what, Long giveUp) {
    if (backups > 0) {
      op.backedUp(backups);
    }
    return fenced(() -> {
      long now = System.nanoTime();
      long deadline = now + timeout.toNanos();
      if (giveUp != null) {
        if (giveUp - now <= 0) {
          return Future.failedFuture(new StashException(StashException.Reason.UNAVAILABLE, what + " of '" + key
              + "' not made: its caller's bound passed while this member waited for its lease"));
        }
        if (giveUp - deadline < 0) {
          deadline = giveUp;
        }
      }
      long boundMillis = TimeUnit.NANOSECONDS.toMillis(deadline - now);
      return guard(attempt(key, op, what, deadline, boundMillis, false), what, key);
    }, what, key);
  }

  /**
   * One try of {@link #change}. A try after a {@code noBackup} answer starts only if the retry
   * interval still fits before the deadline, and its failure says that the partition had no
   * backup replica (its own outcome is unknown, as any unanswered write's).
   */
  private Future<String> attempt(String key, StashOp op, String what, long deadline, long boundMillis, boolean refusedBefore) {
    return attempt(key, op, what, deadline, boundMillis, refusedBefore, System.nanoTime());
  }

  /**
   * @param askedAt when the owner was last asked, or when this change first found no backup in
   *     this member's copy of the partition table
   */
  private Future<String> attempt(String key, StashOp op, String what, long deadline, long boundMillis, boolean refusedBefore,
                                 long askedAt) {
    long now = System.nanoTime();
    long left = deadline - now;
    String noBackup = what + " of '" + key + "' not done: its partition has had no backup replica for "
        + boundMillis + " ms (a member left and Hazelcast has not given it a new backup yet)";
    if (refusedBefore && left < TimeUnit.MILLISECONDS.toNanos(NO_BACKUP_RETRY_MILLIS)) {
      return Future.failedFuture(new StashException(StashException.Reason.UNAVAILABLE, noBackup));
    }
    if (left >= TimeUnit.MILLISECONDS.toNanos(2 * NO_BACKUP_RETRY_MILLIS)
        && PartitionReplicas.holdsBack(local, key, backups, askedAt, now)) {
      // this member's copy of the partition table says the owner would refuse: wait without
      // asking it (hundreds of servers starting after a death otherwise send it 20 refused
      // changes a second each while the migrations that would answer them need the same CPU);
      // the owner is still asked now and then, and on the last try, in case this copy lags
      return retry(key, op, what, deadline, boundMillis, askedAt);
    }
    Future<String> tried = Bridge.bounded(vertx, map.submitToKey(key, op), Duration.ofNanos(Math.max(left, 1)));
    if (refusedBefore) {
      tried = tried.recover(t -> {
        StashException e = new StashException(StashException.Reason.UNAVAILABLE, noBackup + "; the last try: " + t);
        e.initCause(t);
        return Future.failedFuture(e);
      });
    }
    return tried.compose(result -> {
      if (!StashOp.NO_BACKUP.equals(result)) {
        return Future.succeededFuture(result);
      }
      return retry(key, op, what, deadline, boundMillis, now);
    });
  }

  private Future<String> retry(String key, StashOp op, String what, long deadline, long boundMillis, long askedAt) {
    Promise<String> again = Promise.promise();
    vertx.setTimer(NO_BACKUP_RETRY_MILLIS, t -> {
      try {
        attempt(key, op, what, deadline, boundMillis, true, askedAt).onComplete(again);
      } catch (RuntimeException e) {
        // a member shutting down may throw from its partition service: the change fails, never hangs
        again.tryFail(new StashException(StashException.Reason.UNAVAILABLE, what + " of '" + key + "' not done: " + e));
      }
    });
    return again.future();
  }

  /**
   * Runs {@code op} only while this member holds its lease (waiting for it up to the timeout),
   * and hands its result over only if the lease still holds when it completes: a member woken
   * from a pause may have had the operation acknowledged by its stale partition copy, which the
   * merge will drop.
   */
  private <T> Future<T> fenced(java.util.function.Supplier<Future<T>> op, String what, String key) {
    MemberLease lease = MemberLease.of(vertx);
    if (lease == null) {
      return op.get();
    }
    return lease.await(timeout.toMillis())
        .recover(t -> Future.failedFuture(new StashException(StashException.Reason.UNAVAILABLE,
            what + " of '" + key + "' refused: " + t.getMessage())))
        .compose(v -> op.get())
        .compose(r -> {
          String refused = lease.refusal();
          return refused == null ? Future.succeededFuture(r) : Future.failedFuture(new StashException(
              StashException.Reason.UNAVAILABLE, what + " of '" + key + "' not acknowledged: " + refused));
        });
  }

  private <T> Future<T> guard(Future<T> f, String op, String key) {
    return f.recover(t -> {
      if (t instanceof StashException) {
        return Future.failedFuture(t);
      }
      String why = t instanceof TimeoutException ? "no answer within " + timeout.toMillis() + " ms" : String.valueOf(t);
      StashException e = new StashException(StashException.Reason.UNAVAILABLE, op + " of '" + key + "' failed: " + why);
      e.initCause(t);
      return Future.failedFuture(e);
    });
  }

  private static <T> Future<T> invalid(String message) {
    return Future.failedFuture(new StashException(StashException.Reason.INVALID_ARGUMENT, message));
  }
}
