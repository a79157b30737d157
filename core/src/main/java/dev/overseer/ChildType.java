package dev.overseer;

/**
 * Whether a child is a worker or a supervisor. Works like the {@code type} key of an OTP child
 * spec; it decides the default {@link Shutdown} (5 s for workers, infinity for supervisors).
 */
public enum ChildType {
  /** A worker: any verticle. */
  WORKER,
  /** A supervisor ({@link Supervisor} or {@link DynamicSupervisor}) nested in the tree. */
  SUPERVISOR
}
