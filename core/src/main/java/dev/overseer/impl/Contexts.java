package dev.overseer.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.CompletableFuture;

/** Small helpers to keep futures on the context that owns the state they touch. */
public final class Contexts {

  private Contexts() {
  }

  /** @return {@code future}, completed on {@code context} */
  public static <T> Future<T> on(Context context, Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> {
      if (Vertx.currentContext() == context) {
        promise.handle(ar);
      } else {
        context.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }

  /**
   * A context that belongs to no deployment: deployments made from it are top-level, so Vert.x
   * does not undeploy them before their supervisor (it undeploys child deployments first and
   * all at once, which would defeat OTP's reverse-order shutdown). Obtained with the public
   * {@link Vertx#getOrCreateContext()} from a thread that has no context.
   */
  public static Future<Context> detached(Vertx vertx, Context caller) {
    return on(caller, Future.fromCompletionStage(CompletableFuture.supplyAsync(vertx::getOrCreateContext)));
  }
}
