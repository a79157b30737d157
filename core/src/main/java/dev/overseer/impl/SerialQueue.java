package dev.overseer.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * A supervisor's mailbox: operations run one at a time, in order, on the supervisor's context,
 * each to the end of its future, as OTP's supervisor handles one message at a time. A task that
 * must wait for something it does not own (a retry, a backoff) submits a new task instead of
 * waiting, so other operations interleave.
 *
 * <p>A task submitted on the context while the queue is idle runs at once, in the caller's
 * stack, instead of one more trip through the context's task queue: nothing is ahead of it, so
 * the order is the same.
 */
public final class SerialQueue {

  private final Context context;
  private Future<?> tail = Future.succeededFuture();

  /** @param context where every task runs */
  public SerialQueue(Context context) {
    this.context = context;
  }

  /**
   * Queues a task. Call on the supervisor's context.
   *
   * @return the task's result, completed on the supervisor's context
   */
  public <T> Future<T> submit(Supplier<Future<T>> task) {
    if (tail.isComplete() && Vertx.currentContext() == context) {
      // The queue is busy from before the task runs: a task it submits (or a listener it calls
      // submits) queues behind it instead of running nested and being overwritten as the tail.
      Promise<Void> turn = Promise.promise();
      tail = turn.future();
      Future<T> f = run(task);
      f.onComplete(ar -> turn.complete());
      return f;
    }
    Promise<T> result = Promise.promise();
    tail = tail.eventually(() -> {
      Promise<Void> turn = Promise.promise();
      context.runOnContext(v -> {
        Future<T> f = run(task);
        f.onComplete(ar -> {
          turn.complete();
          result.handle(ar);
        });
      });
      return turn.future();
    });
    return result.future();
  }

  private static <T> Future<T> run(Supplier<Future<T>> task) {
    try {
      Future<T> f = task.get();
      return f != null ? f : Future.failedFuture(new IllegalStateException("a supervisor task returned null"));
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
  }
}
