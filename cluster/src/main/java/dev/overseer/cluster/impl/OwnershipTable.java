package dev.overseer.cluster.impl;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.map.IMap;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A distributed supervisor's ownership table as its supervisor changes it: one Hazelcast map row
 * per child, changed only by {@link TableOp} entry processors, whose results come back on the
 * supervisor's context as {@link Result}s and are reported to it ({@code seen}) so it keeps the
 * newest row it knows of.
 *
 * <p>A caller's change ({@code startChild}'s create, {@code terminateChild}'s delete) goes through
 * {@link #backedUpOp}: it is acknowledged only once the row's partition has a backup replica.
 * The supervisor's own changes go through {@link #op} (a failed child's mark) and {@link #move}
 * (batched per tick) and never wait for migrations.
 *
 * <p>Not thread-safe: used on the supervisor's context only.
 */
public final class OwnershipTable {

  /** How long a caller's change waits before it tries again on a partition without a backup replica. */
  public static final long NO_BACKUP_RETRY_MILLIS = 50;
  private static final System.Logger LOG = System.getLogger("dev.overseer.cluster.DistributedSupervisor");

  /**
   * The result of a {@link TableOp}.
   *
   * @param applied whether the operation changed the row
   * @param row the row after it, or null when there is none
   */
  public record Result(boolean applied, OwnershipRecord row) {
  }

  /** What a caller's change checks before each try: throws when the member may no longer change the table. */
  @FunctionalInterface
  public interface Usable {
    /** @throws SupervisorException when the member lost its quorum, or is leaving */
    void check();
  }

  private final Context context;
  private final IMap<String, HazelcastJsonValue> map;
  private final String supervisor;
  private final Duration backupWait;
  private final Consumer<OwnershipRecord> seen;
  private final Usable usable;
  /** The map's synchronous backup count: above 0, a caller's change waits for a backup replica. */
  private final int backups;
  /** This member, whose partition table a backed-up change reads before it asks the owner. */
  private final Node localNode;
  /** Callers' changes waiting to try again for want of a backup replica. */
  private final Set<Promise<Result>> retrying = new HashSet<>();
  /** Moves waiting for this tick's batch (see {@link #move}), by child id. */
  private final Map<String, PendingMove> pendingMoves = new LinkedHashMap<>();

  /** A row move queued for the next batch. */
  private record PendingMove(MoveBatchOp.Move move, Promise<Result> result) {
  }

  /** The most keys one {@link MoveBatchOp} carries: it travels with each partition's backup. */
  private static final int MOVE_BATCH = 64;

  /**
   * @param context the supervisor's context: results complete on it
   * @param hazelcast the member
   * @param map the table
   * @param supervisor the supervisor's name, for messages
   * @param backupWait how long a caller's change waits for a backup replica
   * @param seen told of every row a result carries
   * @param usable checked before each retry of a caller's change
   */
  public OwnershipTable(Context context, HazelcastInstance hazelcast, IMap<String, HazelcastJsonValue> map, String supervisor,
      Duration backupWait, Consumer<OwnershipRecord> seen, Usable usable) {
    this.context = context;
    this.map = map;
    this.supervisor = supervisor;
    this.backupWait = backupWait;
    this.seen = seen;
    this.usable = usable;
    this.backups = hazelcast.getConfig().findMapConfig(map.getName()).getBackupCount();
    this.localNode = backups > 0 ? PartitionReplicas.localNode(hazelcast) : null;
  }

  /** @return the Hazelcast map (for reads and listeners) */
  public IMap<String, HazelcastJsonValue> map() {
    return map;
  }

  /** Runs an operation; completes on the supervisor's context with the row after it. */
  public Future<Result> op(String id, TableOp op) {
    return Future.fromCompletionStage(map.submitToKey(id, op), context).map(this::result).onFailure(err -> LOG.log(
        System.Logger.Level.WARNING, "distributed supervisor '" + supervisor + "': table operation on '" + id + "' failed: " + err));
  }

  /**
   * Queues a compare-and-set move of row {@code id} (the supervisor's own change: a failover's
   * takeover, a handoff, a rebalance; it never waits for a backup replica); every move queued in
   * the same tick of the supervisor's context goes to the table in one {@link MoveBatchOp} call
   * per {@value #MOVE_BATCH} rows (a failover queues hundreds at once). Completes on that context
   * as {@link #op} does.
   */
  public Future<Result> move(String id, MoveBatchOp.Move move) {
    PendingMove queued = pendingMoves.get(id);
    if (queued != null) {
      if (queued.move().equals(move)) {
        return queued.result().future();
      }
      // A different move of the same row in the same tick: its own call, its own compare-and-set.
      return op(id, TableOp.move(move.expectedEpoch(), move.owner(), move.cause(), move.since()));
    }
    if (pendingMoves.isEmpty()) {
      context.runOnContext(v -> flushMoves());
    }
    Promise<Result> result = Promise.promise();
    pendingMoves.put(id, new PendingMove(move, result));
    return result.future();
  }

  private void flushMoves() {
    List<Map.Entry<String, PendingMove>> all = new ArrayList<>(pendingMoves.entrySet());
    pendingMoves.clear();
    for (int from = 0; from < all.size(); from += MOVE_BATCH) {
      List<Map.Entry<String, PendingMove>> chunk = all.subList(from, Math.min(all.size(), from + MOVE_BATCH));
      Map<String, MoveBatchOp.Move> moves = new LinkedHashMap<>();
      chunk.forEach(e -> moves.put(e.getKey(), e.getValue().move()));
      // Submitted from a worker: submitToKeys looks the keys' partition owners up before it
      // returns, and sleeps while a partition has none (Hazelcast promoting a removed member's
      // backups), which blocked the supervisor's event loop for 4 s on the master in issue #10's runs.
      context.owner().executeBlocking(() -> map.submitToKeys(moves.keySet(), new MoveBatchOp(moves)), false)
          .compose(submitted -> Future.fromCompletionStage(submitted, context)).onComplete(ar -> {
        if (ar.failed()) {
          LOG.log(System.Logger.Level.WARNING, "distributed supervisor '" + supervisor + "': moving "
              + moves.size() + " rows failed: " + ar.cause());
        }
        for (Map.Entry<String, PendingMove> e : chunk) {
          String text = ar.succeeded() ? ar.result().get(e.getKey()) : null;
          if (text == null) {
            e.getValue().result().fail(ar.failed() ? ar.cause() : new IllegalStateException("no result for row '" + e.getKey() + "'"));
            continue;
          }
          e.getValue().result().complete(result(text));
        }
      });
    }
  }

  /**
   * Runs a caller's operation so that it is acknowledged only once the row's partition has a
   * backup replica: after a departure, until Hazelcast's migrations give it one again, the
   * operation changes nothing and is tried again every {@value #NO_BACKUP_RETRY_MILLIS} ms, and
   * fails with {@link SupervisorError#SHUTTING_DOWN} (nothing changed: try again) after the
   * backup wait. Without backups configured it is {@link #op}.
   *
   * @param what the caller's verb, for messages ({@code start}, {@code terminate})
   */
  public Future<Result> backedUpOp(String id, TableOp op, String what) {
    if (backups == 0) {
      return op(id, op);
    }
    return backedUpOp(id, op.backedUp(backups), what, System.nanoTime() + backupWait.toNanos(), System.nanoTime());
  }

  /** @param askedAt when the owner was last asked, or when this operation began */
  private Future<Result> backedUpOp(String id, TableOp op, String what, long deadline, long askedAt) {
    // this member's copy of the partition table first: the owner is asked only when it would
    // agree, or every OWNER_ASK_MILLIS in case this copy lags
    long now = System.nanoTime();
    boolean waitHere = PartitionReplicas.holdsBack(localNode, id, backups, askedAt, now);
    long asked = waitHere ? askedAt : now;
    Future<String> tried = waitHere
        ? Future.succeededFuture(PartitionReplicas.NO_BACKUP)
        : Future.fromCompletionStage(map.submitToKey(id, op), context);
    return tried.compose(text -> {
      if (!PartitionReplicas.NO_BACKUP.equals(text)) {
        return Future.succeededFuture(result(text));
      }
      if (System.nanoTime() - deadline > 0) {
        return Future.failedFuture(new SupervisorException(SupervisorError.SHUTTING_DOWN, "cannot " + what + " child '" + id
            + "' now: its row's partition has had no backup replica for " + backupWait.toMillis()
            + " ms (a member left and Hazelcast has not given it a new backup yet); nothing was changed, try again"));
      }
      Promise<Result> again = Promise.promise();
      retrying.add(again);
      context.owner().setTimer(NO_BACKUP_RETRY_MILLIS, t -> {
        retrying.remove(again);
        try {
          usable.check(); // the member may have lost its quorum, or be leaving, meanwhile
          backedUpOp(id, op, what, deadline, asked).onComplete(again);
        } catch (RuntimeException e) {
          // a member shutting down may throw from its partition service: fail, never hang
          again.tryFail(e instanceof SupervisorException ? e
              : new SupervisorException(SupervisorError.SHUTTING_DOWN, "cannot " + what + " child '" + id + "' now: " + e));
        }
      });
      return again.future();
    });
  }

  /** Parses an operation's result and reports its row. */
  public Result result(String text) {
    JsonObject json = new JsonObject(text);
    JsonObject row = json.getJsonObject("record");
    Result r = new Result(json.getBoolean("applied"), row == null ? null : OwnershipRecord.fromJson(row));
    if (r.row() != null) {
      seen.accept(r.row());
    }
    return r;
  }

  /** @return every row, by child id; blocking: call it on a worker thread */
  public Map<String, OwnershipRecord> readAll() {
    Map<String, OwnershipRecord> all = new HashMap<>();
    for (Map.Entry<String, HazelcastJsonValue> e : map.entrySet()) {
      all.put(e.getKey(), OwnershipRecord.fromJson(e.getValue().getValue()));
    }
    return all;
  }

  /**
   * Fails every caller's change still waiting for a backup replica (the supervisor stopped: its
   * timers are cancelled, and they would otherwise never be answered).
   */
  public void failWaiting(String why) {
    for (Promise<Result> waiting : new ArrayList<>(retrying)) {
      waiting.tryFail(new SupervisorException(SupervisorError.SHUTTING_DOWN, why));
    }
    retrying.clear();
  }
}
