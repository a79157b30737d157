package dev.overseer.server;

/**
 * Decides, just before a {@link Server} sends a call's reply, whether this member may still
 * acknowledge anything for that server. The cluster module installs one per Vert.x instance
 * ({@link dev.overseer.Overseer#setServerFence}) that refuses while the member holds no valid
 * lease, so a member that wakes from a long pause cannot answer for children the cluster has
 * already moved elsewhere. Embedded, the fence is {@link #OPEN}.
 *
 * <p>Called synchronously on the server's context once per reply: keep it cheap and never block.
 */
@FunctionalInterface
public interface ServerFence {

  /** The fence that lets every reply through: the default. */
  ServerFence OPEN = server -> null;

  /**
   * @param server the server about to reply
   * @return {@code null} to let the reply through, or why it is refused: the caller then gets a
   *     failure with code {@value Server#CODE_FENCED} and this reason instead of the reply
   */
  String refusal(Server<?> server);
}
