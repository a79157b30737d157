package dev.overseer.impl;

import dev.overseer.stash.Stash;
import dev.overseer.stash.StashClaim;
import dev.overseer.stash.StashEntry;
import dev.overseer.stash.StashException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.Optional;

/**
 * A server's stash, every call bounded by a timeout and completed on the server's context. A
 * call that does not answer in time fails with {@link StashException.Reason#UNAVAILABLE}: an
 * indeterminate result is a failure, never a success (a write that may or may not have landed
 * is not acknowledged to anyone).
 */
public final class StashCalls {

  private final Vertx vertx;
  private final Context context;
  private final Stash stash;
  private final String key;
  private final long timeoutMillis;

  /**
   * @param context the server's context, where every result is delivered
   * @param stash the store
   * @param key the server's key
   * @param timeout the bound of every call
   */
  public StashCalls(Context context, Stash stash, String key, Duration timeout) {
    this.vertx = context.owner();
    this.context = context;
    this.stash = stash;
    this.key = key;
    this.timeoutMillis = Math.max(1, timeout.toMillis());
  }

  /** @return the key */
  public String key() {
    return key;
  }

  /** @return {@link Stash#claim} within the timeout */
  public Future<Long> claim() {
    return bounded("claim", () -> stash.claim(key));
  }

  /**
   * @param bound how long the claim may take (a start's claim may wait longer than other calls)
   * @return {@link Stash#claimAndGet} within {@code bound}
   */
  public Future<StashClaim> claimAndGet(Duration bound) {
    return bounded("claim", Math.max(1, bound.toMillis()), () -> stash.claimAndGet(key, bound));
  }

  /** @return {@link Stash#get} within the timeout */
  public Future<Optional<StashEntry>> get() {
    return bounded("read", () -> stash.get(key));
  }

  /** @return {@link Stash#put} within the timeout */
  public Future<StashEntry> put(String json, int schemaVersion, long epoch) {
    return bounded("write", () -> stash.put(key, json, schemaVersion, epoch));
  }

  /** @return {@link Stash#quarantine} within the timeout */
  public Future<Void> quarantine(String reason) {
    return bounded("quarantine", () -> stash.quarantine(key, reason));
  }

  private <T> Future<T> bounded(String what, java.util.function.Supplier<Future<T>> call) {
    return bounded(what, timeoutMillis, call);
  }

  private <T> Future<T> bounded(String what, long millis, java.util.function.Supplier<Future<T>> call) {
    Promise<T> promise = Promise.promise();
    long timer = vertx.setTimer(millis, t -> promise.tryFail(new StashException(StashException.Reason.UNAVAILABLE,
        "stash " + what + " of '" + key + "' did not answer within " + millis + " ms")));
    Future<T> started;
    try {
      started = call.get();
    } catch (Throwable t) {
      started = Future.failedFuture(t);
    }
    if (started == null) {
      started = Future.failedFuture(new IllegalStateException("stash " + what + " returned no future"));
    }
    started.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        promise.tryComplete(ar.result());
      } else {
        promise.tryFail(ar.cause());
      }
    });
    return Contexts.on(context, promise.future());
  }
}
