package dev.overseer.impl;

import io.vertx.core.Context;
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
 * <p>This is the only use of {@code io.vertx.core.internal} context API in Overseer besides
 * {@link VertxCloseHook}: {@code VertxInternal.contextBuilder()} with {@code withEventLoop}. When
 * {@code vertx} or the context is not Vert.x's own implementation (a foreign wrapper), callers
 * fall back to {@link Contexts#detached}.
 *
 * <p>What it does not do: the child's own context is still created by Vert.x's deployment, which
 * picks its event loop round-robin ({@code nettyEventLoopGroup().next()}, with no option to
 * choose one for an event-loop verticle in 5.1.6), so the child itself may run on another loop.
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
}
