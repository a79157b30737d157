package dev.overseer.impl;

import io.vertx.core.Closeable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.util.function.Supplier;

/**
 * Runs an action at the very start of {@code vertx.close()}, before Vert.x undeploys anything,
 * and makes the close wait for it.
 *
 * <p>Why: {@code vertx.close()} first runs the close hooks registered on the Vert.x instance,
 * waits for them, and only then undeploys every top-level deployment at once. A supervisor's
 * children are top-level deployments (see {@link Contexts#detached}), so without a hook Vert.x
 * stops them in no order, concurrently with the supervisor's own shutdown (which then meets
 * deployments already going: "Already undeployed" / "Unknown deployment" logged as SEVERE), and
 * may stop a restarted child whose deployment it is still recording (a deploy Vert.x then never
 * completes). With the hook, a root supervisor stops its tree in OTP order while nothing else is
 * being undeployed, and Vert.x finds only the supervisor's own deployment left.
 *
 * <p>One of the two places Overseer uses {@code io.vertx.core.internal} API (the other is
 * {@link LoopContexts}): public Vert.x 5 offers no close hook on the instance. On a {@link Vertx} that is not a {@code VertxInternal}
 * (a foreign wrapper), nothing is registered and the supervisor falls back to taking
 * Vert.x's undeploys as they come (quietly ignoring restarts once Vert.x is closed).
 *
 * <p>Also used by the cluster module: an {@code OverseerCluster} whose Vert.x is closed directly
 * releases its names in the hook, so its own {@code close()} does not wait on event
 * loops that are gone.
 */
public final class VertxCloseHook implements Closeable {

  private final Vertx vertx;
  private final Supplier<Future<?>> action;

  private VertxCloseHook(Vertx vertx, Supplier<Future<?>> action) {
    this.vertx = vertx;
    this.action = action;
  }

  /**
   * @param vertx the instance whose close runs {@code action}
   * @param action what to do when it closes; the close waits until its future completes
   * @return removes the hook (call once the owner has stopped by itself); a no-op when none was registered
   */
  public static Runnable register(Vertx vertx, Supplier<Future<?>> action) {
    if (!(vertx instanceof VertxInternal internal)) {
      return () -> { };
    }
    VertxCloseHook hook = new VertxCloseHook(vertx, action);
    internal.addCloseHook(hook);
    return () -> internal.removeCloseHook(hook);
  }

  @Override
  public void close(io.vertx.core.Completable<Void> completion) {
    Future<?> done;
    try {
      done = action.get();
    } catch (Throwable t) {
      done = Future.failedFuture(t);
    }
    // A failure must not stop Vert.x from closing: the rest of close() still runs.
    done.onComplete(ar -> completion.succeed());
  }

  @Override
  public String toString() {
    return "overseer close hook on " + vertx;
  }
}
