package dev.overseer;

/**
 * Which event loop a supervisor's children run on ({@link SupervisorOptions#setChildLoop}).
 *
 * <p>Vert.x gives every deployment a context of its own on an event loop it picks round-robin.
 * A supervisor and its children then usually sit on different loops, and everything between
 * them (a crash report, a stop, a start, a restart in place) crosses threads. With
 * {@link #SUPERVISOR} each child runs on its supervisor's loop instead, so that a group restart
 * ({@code ONE_FOR_ALL}, {@code REST_FOR_ONE}) of children that restart in place (a
 * {@code dev.overseer.server.Server}) is same-thread work with no hop between loops.
 */
public enum ChildLoop {
  /**
   * The loop Vert.x picks for each child's deployment (round-robin over its event loops): the
   * children spread over the loops. The default.
   */
  ANY,
  /**
   * The supervisor's own event loop: every handler, timer and callback of the child runs on the
   * supervisor's thread. The child still is a deployment of its own, with its own context (its
   * {@code config()}, {@code deploymentID()}, consumers and timers released at undeploy, crash
   * reports), but that context is made on the supervisor's loop.
   *
   * <p>The cost: the children share one thread with their supervisor, so they do not spread
   * over the cores; a busy child delays its supervisor and its siblings. Use it for many light
   * children restarted together, not for a child that needs a core of its own.
   *
   * <p>Applies to event-loop children only: a child deployed as a worker or on virtual threads
   * ({@code DeploymentOptions.setThreadingModel}) keeps the context Vert.x gives it. Applies too
   * only when Vert.x is its own implementation (it uses Vert.x's internal context API); on a
   * foreign {@code Vertx} wrapper the children run as with {@link #ANY}.
   */
  SUPERVISOR
}
