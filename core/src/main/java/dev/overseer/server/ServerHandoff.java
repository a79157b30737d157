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
 */
@FunctionalInterface
public interface ServerHandoff {

  /**
   * @param server the server whose stop has reached the point described above
   */
  void released(Server<?> server);
}
