package dev.overseer.server;

/**
 * Told when a stopping {@link Server} has let go of everything a successor needs: its
 * {@code terminate} has run, its state is saved (as its persistence says) and its name is vacated.
 * Its consumer may still be open then, answering {@value Server#CODE_UNAVAILABLE} (which
 * {@link ServerRef} retries) while a cluster-wide route is withdrawn; only then does its stop
 * complete. The cluster module's distributed supervisor hands a leaving member's server over at
 * this point instead of at the end of the stop, so the successor starts while the old consumer
 * still turns late calls away. Register with {@link dev.overseer.Overseer#addServerHandoff}.
 *
 * <p>Called on the server's context, once per stop from outside (its supervisor's terminate or
 * shutdown, an undeploy), after the save was tried: not after a crash in one of its handlers or a
 * stop it returned itself, not on a restart in place. A failed save is logged by the server and
 * does not hold the hook back (as it does not hold the stop back). Keep it cheap and never block.
 * {@code Vertx.currentContext().config()} is the server's deployment config, and
 * {@code ChildHandle.of(Vertx.currentContext())} its supervision.
 *
 * <p>A hook is also asked, as a cluster-wide server starts, whether that start is a moved
 * child's next incarnation ({@link #movedHere}).
 */
@FunctionalInterface
public interface ServerHandoff {

  /**
   * @param server the server whose stop has reached the point described above
   */
  void released(Server<?> server);

  /**
   * Asked on the server's context as a server with a cluster-wide name starts (never on a restart
   * in place, never while a server of that name runs in this Vert.x instance): is this start the
   * next incarnation of a child its supervisor moved here, whose previous holder has let go of the
   * name and the state (a handoff, after {@link #released})? Then the
   * server registers its name, opens its consumer and claims its stash key at once, instead of
   * claiming only once the name is registered: one round trip to the cluster fewer. The cost of a
   * wrong yes: should the registration fail (a live holder after all), the claim has raised the
   * key's epoch, so that holder's next save is refused (it crashes), and the start fails; its
   * consumer was open on the name meanwhile, so a message sent by name (not through
   * {@link ServerRef}) may have reached it and been answered {@value Server#CODE_UNAVAILABLE}, or
   * dropped if it was a cast. Say yes only for a start you made because ownership moved to this
   * member, and at most once per move (the distributed supervisor says it for the first attempt
   * at a handoff's or a rebalance's epoch only).
   *
   * @param server the starting server ({@code Vertx.currentContext()} is its deployment's)
   * @return whether its name and state are known to be free for it; {@code false} by default
   */
  default boolean movedHere(Server<?> server) {
    return false;
  }
}
