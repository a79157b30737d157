package dev.overseer.cluster.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Hazelcast to Vert.x futures. Hazelcast completes its stages on its own threads (on a 2-core
 * machine, a new thread per callback), so every result hops back to the caller's context, and
 * every operation is bounded: an IMap operation whose partition owner hangs stalls until the
 * member is removed.
 */
public final class Bridge {

  private Bridge() {
  }

  /**
   * @param <T> the result type
   * @param vertx whose context the result completes on (the caller's)
   * @param stage a Hazelcast async result
   * @param timeout the bound
   * @return {@code stage} completed on the caller's context, failed with a
   *     {@link java.util.concurrent.TimeoutException} after {@code timeout}
   */
  public static <T> Future<T> bounded(Vertx vertx, CompletionStage<T> stage, Duration timeout) {
    Context ctx = vertx.getOrCreateContext();
    return Future.fromCompletionStage(stage, ctx).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs a blocking Hazelcast call (one without an async form) on a worker thread.
   *
   * @param <T> the result type
   * @param vertx whose worker pool runs it
   * @param call the blocking call
   * @param timeout the bound
   * @return its result on the caller's context, failed with a timeout after {@code timeout}
   */
  public static <T> Future<T> blocking(Vertx vertx, Callable<T> call, Duration timeout) {
    Context ctx = vertx.getOrCreateContext();
    return ctx.executeBlocking(call, false).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
