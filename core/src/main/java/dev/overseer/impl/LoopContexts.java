package dev.overseer.impl;

import io.vertx.core.Context;
import io.vertx.core.impl.ContextBuilderImpl;
import io.vertx.core.internal.CloseFuture;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

/**
 * A context on a given context's event loop that belongs to no deployment: the launcher a
 * supervisor deploys its children from (see {@link Contexts#detached} for why it must belong to
 * no deployment).
 *
 * <p>Why: public Vert.x 5 makes such a context only with {@code getOrCreateContext()} from a
 * thread that has none, and then picks its event loop round-robin, so in most runs the launcher
 * sits on another loop than its supervisor and every start and restart crosses loops twice
 * (the request to deploy, and its result back). A context built here on the supervisor's own
 * loop makes both of those same-thread tasks.
 *
 * <p>Children on their supervisor's loop ({@link #placedOn}, for
 * {@code ChildLoop.SUPERVISOR}). A child's own context is created by Vert.x's deployment, which
 * picks its event loop round-robin ({@code nettyEventLoopGroup().next()}, with no option to
 * choose one for an event-loop verticle in 5.1.6). {@link #placedOn} builds a second context of
 * the same deployment on the supervisor's loop, and the child's host runs the child there.
 *
 * <p>This class and {@link VertxCloseHook} are Overseer's only uses of Vert.x's internal context
 * API: {@code VertxInternal.contextBuilder()} with {@code withEventLoop} (the launcher), and
 * {@code ContextBuilderImpl.withDeployment} with the deployment context's {@code CloseFuture}
 * (a child placed on its supervisor's loop; this third use reaches into {@code io.vertx.core.impl},
 * not only {@code io.vertx.core.internal}). When {@code vertx} or a context is not Vert.x's own
 * implementation (a foreign wrapper), both return {@code null} and callers fall back to the
 * public API: {@link Contexts#detached}, and the child on the context Vert.x gave it.
 */
final class LoopContexts {

  private LoopContexts() {
  }

  /**
   * @param near the context whose event loop to use (the supervisor's)
   * @return a context on {@code near}'s event loop with no deployment and {@code near}'s class
   *     loader, or {@code null} when Vert.x is not its own implementation
   */
  static Context detachedOn(Context near) {
    if (!(near.owner() instanceof VertxInternal vertx) || !(near instanceof ContextInternal internal)) {
      return null;
    }
    return vertx.contextBuilder()
        .withEventLoop(internal.nettyEventLoop())
        .withClassLoader(internal.classLoader())
        .build();
  }

  /**
   * A second context of {@code deployed}'s deployment, on {@code near}'s event loop: the same
   * deployment id (so {@code config()}, {@code deploymentID()} and deployments made from it are
   * the deployment's), the same {@code CloseFuture} (so the consumers and timers registered from
   * it are released when Vert.x undeploys the deployment, as those of the context it made
   * itself), the same class loader. Its queue of {@code executeBlocking} tasks is shut down when
   * the deployment closes, as Vert.x does for its own context.
   *
   * @param deployed the context Vert.x made for the deployment (an event-loop context)
   * @param near the context whose event loop to use (the supervisor's)
   * @return the context, {@code deployed} itself when it already is on {@code near}'s loop, or
   *     {@code null} when either is not Vert.x's own implementation or {@code deployed} is not an
   *     event-loop context
   */
  static Context placedOn(Context deployed, Context near) {
    if (!(deployed.owner() instanceof VertxInternal vertx)
        || !(vertx.contextBuilder() instanceof ContextBuilderImpl builder)
        || !(deployed instanceof ContextInternal internal) || !(near instanceof ContextInternal target)
        || !internal.isEventLoopContext() || internal.deploymentID() == null) {
      return null;
    }
    if (internal.nettyEventLoop() == target.nettyEventLoop()) {
      return deployed;
    }
    CloseFuture closeFuture = internal.closeFuture();
    ContextInternal placed = builder
        .withEventLoop(target.nettyEventLoop())
        .withDeployment(internal.deploymentID())
        .withCloseFuture(closeFuture)
        .withClassLoader(internal.classLoader())
        .build();
    // ContextImpl.close() closes the shared CloseFuture (already closing: it returns at once) and
    // then shuts down this context's executeBlocking queue; not waited for, as waiting on the
    // CloseFuture from one of its own hooks would never end.
    closeFuture.add(done -> {
      placed.close();
      done.succeed();
    });
    return placed;
  }
}
