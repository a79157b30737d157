package dev.overseer.server;

/**
 * What a {@link Server} tells about its mailbox, for metrics ({@code dev.overseer.metrics}): each
 * call's latency from arrival to answer, and the mailbox depth as it changes. Set one per Vert.x
 * instance with {@link dev.overseer.Overseer#setServerObserver}; a server reads it when it starts.
 *
 * <p>Called on the server's context, once per call and twice per message: keep it cheap and
 * never block.
 */
public interface ServerObserver {

  /** The observer that ignores everything: the default. */
  ServerObserver NONE = new ServerObserver() {
    @Override
    public void callCompleted(Server<?> server, long nanos, boolean failed) {
    }

    @Override
    public void mailboxDepth(Server<?> server, int depth) {
    }
  };

  /**
   * A call was answered.
   *
   * @param server the server that answered
   * @param nanos time from the call's arrival in the mailbox to its reply or failure
   * @param failed whether it was answered with a failure (a crash, a restart under way)
   */
  void callCompleted(Server<?> server, long nanos, boolean failed);

  /**
   * The mailbox's depth changed.
   *
   * @param server the server
   * @param depth messages waiting now, the one being handled not included
   */
  void mailboxDepth(Server<?> server, int depth);
}
