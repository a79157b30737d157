package dev.overseer;

/**
 * Where a child stands, as {@link Supervisor#whichChildren()} reports it. OTP reports a pid,
 * {@code restarting} or {@code undefined}; Overseer also shows the transitions.
 */
public enum ChildStatus {
  /** Its deployment is being started. */
  STARTING,
  /** Deployed and running. */
  RUNNING,
  /** Exited and due for a restart that has not succeeded yet (a failed start, or a backoff delay). */
  RESTARTING,
  /** Being stopped by its supervisor. */
  TERMINATING,
  /** Not running; the spec is kept (OTP's {@code undefined} pid). */
  STOPPED
}
