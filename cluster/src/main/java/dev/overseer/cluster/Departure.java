package dev.overseer.cluster;

import dev.overseer.cluster.impl.OwnershipRecord.Cause;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A leaving member's handoff of its local children (one part of a {@link DistributedSupervisor}):
 * each child stops (its {@code terminate} runs, its state is saved), then its row moves to the
 * member the placement picks among the others, which starts it on the row's change; a row moves
 * as soon as its own child has stopped, never after the slowest sibling. All at once, or in
 * waves of {@code handoffConcurrency}, each wave waiting for the new owners' confirmations.
 *
 * <p>Used on the supervisor's context only: not thread-safe.
 */
final class Departure {

  /** What a departure needs from its supervisor, on the supervisor's context. */
  interface Supervisor {
    /** @return the epoch of each local child, by id */
    Map<String, Long> localEpochs();

    /** @return the epoch of local child {@code id}, or {@code null} if it does not run here */
    Long epochOf(String id);

    /** Stops local children side by side. @return each one's stop, by id */
    Map<String, Future<Void>> stopLocal(Collection<String> ids);

    /**
     * @return completes once the child may move: its stop is done, or, for a {@code Server}, it
     *     has saved its state and released its name ({@code ServerHandoff}); on the supervisor's context
     */
    Future<Void> movable(String id, Future<Void> stop);

    /** Moves a stopped child's row away. @return whether the row moved */
    Future<Boolean> moveAway(String id, long epoch, long since, Cause cause);

    /** Stops every local child at once (undeploys the local supervisor). */
    Future<Void> stopAll();

    /** @return whether the local supervisor is stopping its children itself (a raw {@code vertx.close()}) */
    boolean localClosing();
  }

  /** A handed-off child whose start elsewhere is awaited: the epoch it left at, and the promise. */
  private record Awaited(long epoch, Promise<Void> started) {
  }

  // the supervisor's own category: the handoff's lines are its lines
  private static final System.Logger LOG = System.getLogger(DistributedSupervisor.class.getName());

  private final Vertx vertx;
  private final DistributedSupervisorOptions options;
  private final String nodeId;
  private final Supervisor supervisor;
  private final long since;
  /** All at once: the epoch of each local child whose row still has to be moved. */
  private final Map<String, Long> handingOff = new HashMap<>();
  private final List<Future<Void>> moves = new ArrayList<>();
  /** In waves: the children moved away whose start elsewhere is not confirmed yet. */
  private final Map<String, Awaited> awaitingStart = new HashMap<>();

  /**
   * @param since when the leave began (wall clock ms): the moves' {@code since}
   */
  Departure(Vertx vertx, DistributedSupervisorOptions options, String nodeId, Supervisor supervisor, long since) {
    this.vertx = vertx;
    this.options = options;
    this.nodeId = nodeId;
    this.supervisor = supervisor;
    this.since = since;
  }

  /** @return completes when every local child was handed off, or left for failover */
  Future<Void> run() {
    // (in a future: whatever this throws fails the leave instead of leaving it hanging)
    return Future.<Void>succeededFuture().compose(v -> {
      int wave = options.getHandoffConcurrency();
      Map<String, Long> local = supervisor.localEpochs();
      return wave > 0 && wave < local.size() ? inWaves(new ArrayList<>(new TreeSet<>(local.keySet())), wave) : allAtOnce(local);
    });
  }

  /**
   * Stops every local child at once (a dynamic supervisor stops its children in parallel on
   * shutdown; one terminateChild at a time would make the last of many children wait for all the
   * others), and moves each row as soon as ITS child has stopped ({@link #stopped}): a child must
   * not wait for the slowest sibling. Moves made in one tick go to the table in one batch.
   */
  private Future<Void> allAtOnce(Map<String, Long> local) {
    handingOff.putAll(local);
    return supervisor.stopAll().compose(x -> {
      // A child whose stop event did not reach us (it had already exited): move it now.
      new ArrayList<>(handingOff.keySet()).forEach(this::stopped);
      List<Future<Void>> all = new ArrayList<>(moves);
      LOG.log(System.Logger.Level.INFO, "distributed supervisor '" + options.getName() + "' on " + nodeId
          + " is leaving: handing off " + all.size() + " children");
      return Future.join(all).<Void>mapEmpty().andThen(ar -> LOG.log(System.Logger.Level.INFO, "distributed supervisor '"
          + options.getName() + "' on " + nodeId + ": handoff done in " + (System.currentTimeMillis() - since) + " ms"
          + (ar.failed() ? " with failures: " + ar.cause() : "")));
    });
  }

  /**
   * Hands the local children off in waves of at most {@code size}. A wave's children stop (each
   * with its shutdown: terminate runs, state is saved), their rows move in one batch, and the next
   * wave begins once every new owner has confirmed its start ({@link #started}), or after the
   * request timeout without it. Later waves' children serve meanwhile. Past the handoff timeout
   * the rest goes in one last wave, without waiting.
   */
  private Future<Void> inWaves(List<String> ids, int size) {
    LOG.log(System.Logger.Level.INFO, "distributed supervisor '" + options.getName() + "' on " + nodeId
        + " is leaving: handing off " + ids.size() + " children in waves of " + size);
    long deadline = since + options.getHandoffTimeout().toMillis();
    return wave(ids, 0, size, deadline).compose(v ->
        // Nothing should be left (a leaving member starts nothing), but the local supervisor goes
        // either way, as in the all-at-once leave.
        supervisor.stopAll().onComplete(ar -> LOG.log(System.Logger.Level.INFO, "distributed supervisor '"
            + options.getName() + "' on " + nodeId + ": handoff done in " + (System.currentTimeMillis() - since) + " ms")));
  }

  /** Hands off {@code ids[from..]}: one wave, then the next once it is confirmed. */
  private Future<Void> wave(List<String> ids, int from, int size, long deadline) {
    if (from >= ids.size()) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    boolean paced = now < deadline && !supervisor.localClosing();
    int to = paced ? Math.min(ids.size(), from + size) : ids.size();
    Map<String, Long> epochs = new LinkedHashMap<>();
    for (String id : ids.subList(from, to)) {
      Long epoch = supervisor.epochOf(id);
      if (epoch != null) {
        epochs.put(id, epoch);
      }
    }
    Map<String, Future<Void>> stopping = supervisor.stopLocal(epochs.keySet());
    List<Future<Void>> stops = new ArrayList<>();
    List<Future<Void>> started = new ArrayList<>();
    epochs.forEach((id, epoch) -> {
      Future<Void> stop = supervisor.movable(id, stopping.get(id));
      stops.add(stop);
      // Each row moves as soon as its own child has stopped (single ownership: stop before
      // move), not once the wave's slowest has; moves made in one tick still go in one batch.
      started.add(stop.transform(ar -> moveAwayConfirmed(id, epoch, now)));
    });
    return Future.join(stops).transform(stopped -> {
      if (started.isEmpty() || !paced || supervisor.localClosing()) {
        return Future.<Void>succeededFuture();
      }
      Promise<Void> confirmed = Promise.promise();
      long wait = Math.max(1, Math.min(options.getRequestTimeout().toMillis(), deadline - System.currentTimeMillis()));
      long timer = vertx.setTimer(wait, t -> {
        if (confirmed.tryComplete()) {
          LOG.log(System.Logger.Level.INFO, "distributed supervisor '" + options.getName() + "' on " + nodeId + ": "
              + started.stream().filter(f -> !f.isComplete()).count() + " of " + started.size()
              + " handed-off children not confirmed within " + wait + " ms; next wave");
        }
      });
      Future.join(started).onComplete(ar -> {
        vertx.cancelTimer(timer);
        confirmed.tryComplete();
      });
      return confirmed.future();
    }).transform(ar -> {
      epochs.keySet().forEach(awaitingStart::remove);
      return wave(ids, to, size, deadline);
    });
  }

  /**
   * Moves a stopped child's row away; completes once its new owner confirms it started it, or at
   * once when nothing moved (no one to hand to, no quorum, or the row changed meanwhile: a
   * failover or a delete decides then).
   */
  private Future<Void> moveAwayConfirmed(String id, long epoch, long at) {
    // Registered before the move is sent: the confirmation may overtake the move's own reply.
    Awaited awaited = new Awaited(epoch, Promise.promise());
    awaitingStart.put(id, awaited);
    supervisor.moveAway(id, epoch, at, Cause.HANDOFF).onComplete(ar -> {
      if (ar.failed() || !ar.result()) {
        awaitingStart.remove(id, awaited);
        awaited.started().tryComplete();
      }
    });
    return awaited.started().future();
  }

  /** @return whether the local child {@code id} at {@code epoch} still has to be moved (all at once) */
  boolean handingOff(String id, long epoch) {
    Long handing = handingOff.get(id);
    return handing != null && handing == epoch;
  }

  /** @return whether the local child {@code id} still has to be moved (all at once) */
  boolean handingOff(String id) {
    return handingOff.containsKey(id);
  }

  /** All at once: the local child {@code id} has stopped (or released what a successor needs); moves its row at once (once). */
  void stopped(String id) {
    Long epoch = handingOff.remove(id);
    if (epoch != null) {
      moves.add(supervisor.moveAway(id, epoch, since, Cause.HANDOFF).mapEmpty());
    }
  }

  /**
   * In waves: a new owner says it started a child we handed off ({@code epoch} is its new one).
   * Only a start after our move (a higher epoch) counts: a late one from an older move must not.
   */
  void started(String id, long epoch) {
    Awaited waiting = awaitingStart.get(id);
    if (waiting != null && epoch > waiting.epoch()) {
      awaitingStart.remove(id);
      waiting.started().tryComplete();
    }
  }
}
