package dev.overseer.impl;

import dev.overseer.server.LoadOutcome;
import dev.overseer.server.Persistence;
import dev.overseer.server.ServerOptions;
import dev.overseer.server.StateCodec;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashEntry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A server's persistence, the collaborator of its mailbox: claims the key and loads the state on
 * start, saves on change as the {@link Persistence} mode says, saves on stop, and reports its
 * status. The mailbox only tells it about changes ({@link #changed}) and gates replies on
 * {@link #acknowledged()}; each mode is a small {@link Policy}, not a switch in the mailbox.
 *
 * <p>Write-through saves are pipelined: each change issues its write at once, in order, without
 * waiting for the previous acknowledgement; {@link #acknowledged()} completes when every write
 * issued so far is acknowledged, and fails for good once one fails (a failed or timed-out write
 * is a crash: what was written since the last acknowledged save is acknowledged to no one).
 * Writes of one key are issued in order from one context; a stash must apply them in issue
 * order (LocalStash does; a Hazelcast IMap does for one key from one member).
 *
 * <p>Not thread-safe: used on the server's context only.
 *
 * @param <S> the state's type
 */
public final class StateKeeper<S> {

  /** What a persistence mode does at each point of a server's life. */
  interface Policy {
    /** @return whether the stash is claimed and read at all */
    default boolean kept() {
      return true;
    }

    /** Called once the server is ready. */
    default void started(StateKeeper<?> keeper) {
    }

    /** Called after a message changed the state. @return what gates the replies that follow */
    default Future<Void> changed(StateKeeper<?> keeper) {
      return keeper.acknowledged;
    }

    /** @return whether to save the last good state on stop */
    default boolean saveOnStop(StateKeeper<?> keeper) {
      return false;
    }
  }

  private static final Policy NONE = new Policy() {
    @Override
    public boolean kept() {
      return false;
    }
  };

  private static final Policy ON_TERMINATE = new Policy() {
    @Override
    public boolean saveOnStop(StateKeeper<?> keeper) {
      return true;
    }
  };

  private static final Policy WRITE_THROUGH = new Policy() {
    @Override
    public Future<Void> changed(StateKeeper<?> keeper) {
      return keeper.saveNow();
    }
  };

  private static final class WriteBehind implements Policy {
    final long intervalMillis;

    WriteBehind(long intervalMillis) {
      this.intervalMillis = intervalMillis;
    }

    @Override
    public void started(StateKeeper<?> keeper) {
      keeper.timer = keeper.vertx.setPeriodic(intervalMillis, t -> keeper.flush());
    }

    @Override
    public Future<Void> changed(StateKeeper<?> keeper) {
      keeper.dirty = true;
      return keeper.acknowledged;
    }

    @Override
    public boolean saveOnStop(StateKeeper<?> keeper) {
      return keeper.dirty;
    }
  }

  private static Policy policy(Persistence persistence) {
    switch (persistence.mode()) {
      case ON_TERMINATE:
        return ON_TERMINATE;
      case WRITE_THROUGH:
        return WRITE_THROUGH;
      case WRITE_BEHIND:
        return new WriteBehind(persistence.interval().toMillis());
      default:
        return NONE;
    }
  }

  private static final System.Logger LOG = System.getLogger("dev.overseer.server.Server");

  private final Vertx vertx;
  private final String serverName;
  private final ServerOptions options;
  private final StateCodec<S> codec;
  private final StashCalls calls;
  private final Policy policy;
  private final Supplier<S> current;
  private final Consumer<Throwable> crash;

  private long epoch;
  private long timer = -1;
  private boolean dirty;
  private boolean stopped;
  private Future<Void> acknowledged = Future.succeededFuture();
  private StashEntry lastEntry;
  private StateLoader.Outcome<S> outcome;

  /**
   * @param context the server's context
   * @param serverName for logs
   * @param stash the store
   * @param options persistence, key, load guards, stash timeout
   * @param codec the state's codec
   * @param current reads the server's current state (for write-behind)
   * @param crash crashes the server (a failed save)
   */
  public StateKeeper(Context context, String serverName, Stash stash, ServerOptions options, StateCodec<S> codec,
                     Supplier<S> current, Consumer<Throwable> crash) {
    this.vertx = context.owner();
    this.serverName = serverName;
    this.options = options;
    this.codec = codec;
    this.calls = new StashCalls(context, stash, options.getStashKey() != null ? options.getStashKey() : options.getName(),
        options.getStashTimeout());
    this.policy = policy(options.getPersistence());
    this.current = current;
    this.crash = crash;
  }

  /**
   * Claims the key (a new ownership epoch) and loads the state. A claim that fails or times out
   * fails the load whatever the fallback: without an epoch no write of this incarnation is fenced.
   *
   * @return the outcome; fails only for a failed claim or {@link ServerOptions.LoadFallback#FAIL}
   */
  public Future<StateLoader.Outcome<S>> load() {
    if (!policy.kept()) {
      outcome = new StateLoader.Outcome<>(LoadOutcome.NOT_KEPT, Optional.empty(), null, "persistence NONE", 0);
      return Future.succeededFuture(outcome);
    }
    // one round trip where the stash reads with the claim (both built-in stashes do); bounded by
    // claimTimeout, not stashTimeout: after a member's death a cluster stash grants the claim only
    // once the key's partition has a backup again, and a failed claim fails the whole start
    return calls.claimAndGet(options.getClaimTimeout())
        .compose(claim -> {
          epoch = claim.epoch();
          return StateLoader.load(vertx, calls, options, codec, claim);
        })
        .onSuccess(o -> {
          outcome = o;
          lastEntry = o.entry();
        });
  }

  /** The server is ready: starts what the mode runs in the background. */
  public void started() {
    policy.started(this);
  }

  /**
   * The last message changed the state to {@link #current}'s value.
   *
   * @return completes when every save issued so far is acknowledged (at once for modes that do
   *     not save on change); a reply that reflects the change goes out only then
   */
  public Future<Void> changed() {
    return policy.changed(this);
  }

  /** @return completes when every save issued so far is acknowledged; fails for good after a failed save */
  public Future<Void> acknowledged() {
    return acknowledged;
  }

  /**
   * The server stops: cancels background saves, saves {@code lastGood} if the mode says so, and
   * waits for saves in flight.
   *
   * @param ready whether the server had a state (its init finished)
   * @param lastGood the state to save (may be {@code null})
   * @return completes when the saves are over; a failed save is logged, not failed
   */
  public Future<Void> stop(boolean ready, S lastGood) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    boolean save = ready && policy.kept() && !stopped && policy.saveOnStop(this);
    stopped = true;
    Future<Void> inFlight = acknowledged.otherwiseEmpty();
    if (!save) {
      return inFlight;
    }
    return inFlight.compose(v -> write(lastGood))
        .onFailure(err -> LOG.log(System.Logger.Level.WARNING, "server '" + serverName + "': saving the state on stop failed: " + err.getMessage()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** @return the stash part of the server's status: key, epoch, last entry's metadata, load outcome */
  public JsonObject status() {
    if (!policy.kept()) {
      return null;
    }
    JsonObject json = new JsonObject().put("key", calls.key()).put("epoch", epoch);
    if (lastEntry != null) {
      json.put("entry", lastEntry.metadata());
    }
    if (outcome != null) {
      json.put("load", outcome.toJson());
    }
    return json;
  }

  /** @return the codec */
  public StateCodec<S> codec() {
    return codec;
  }

  private Future<Void> saveNow() {
    Future<StashEntry> put = write(current.get());
    Future<Void> before = acknowledged;
    // Issued now, acknowledged in order: the barrier completes when this and every earlier
    // write did, and fails as soon as one fails.
    acknowledged = Future.all(before, put).mapEmpty();
    acknowledged.onFailure(err -> crash.accept(new IllegalStateException(
        "saving the state of server '" + serverName + "' failed: " + err.getMessage(), err)));
    return acknowledged;
  }

  private Future<StashEntry> write(S state) {
    String json;
    try {
      json = codec.encodeToText(state);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return calls.put(json, codec.version(), epoch).onSuccess(e -> {
      if (lastEntry == null || e.revision() > lastEntry.revision()) {
        lastEntry = e;
      }
    });
  }

  private void flush() {
    if (!dirty || stopped) {
      return;
    }
    dirty = false;
    write(current.get()).onFailure(err -> {
      dirty = true;
      LOG.log(System.Logger.Level.WARNING, "server '" + serverName + "': write-behind save failed: " + err.getMessage());
    });
  }
}
