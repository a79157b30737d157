package dev.overseer;

/**
 * The closed vocabulary of supervisor errors, each with the code used in event-bus failure
 * replies. Names follow OTP's {@code {error, Reason}} results where OTP has them.
 */
public enum SupervisorError {
  /** {@code startChild}: a stopped child with this id exists ({@code already_present}). */
  ALREADY_PRESENT(409),
  /** {@code startChild}: a running child with this id exists ({@code {already_started, Pid}}). */
  ALREADY_STARTED(409),
  /** No child with this id ({@code not_found}). */
  NOT_FOUND(404),
  /** {@code restartChild}/{@code deleteChild} on a running child ({@code running}). */
  RUNNING(409),
  /** {@code restartChild}/{@code deleteChild} on a child being restarted ({@code restarting}). */
  RESTARTING(409),
  /** A child spec or supervisor option is invalid; the message names the field. */
  INVALID_SPEC(400),
  /** A dynamic supervisor already has {@code maxChildren} children ({@code max_children}). */
  MAX_CHILDREN(429),
  /** The supervisor exceeded its restart intensity and stopped ({@code reached_max_restart_intensity}). */
  MAX_INTENSITY(500),
  /** The supervisor is shutting down or stopped and takes no more operations. */
  SHUTTING_DOWN(503),
  /** A child failed to start ({@code {error, Reason}} from its start function); the cause is attached. */
  START_FAILED(500),
  /** The operation does not apply to this kind of supervisor (OTP's {@code simple_one_for_one} error). */
  UNSUPPORTED(405),
  /** An event-bus control message was malformed or named an unknown action; nothing changed. */
  BAD_REQUEST(400),
  /**
   * A remote request (event bus, cluster) asked to start a child that the supervisor's
   * {@link ChildAllowList} does not allow; nothing was loaded and nothing changed.
   */
  FORBIDDEN(403);

  private final int code;

  SupervisorError(int code) {
    this.code = code;
  }

  /** @return the failure code sent in event-bus replies (HTTP-like: 4xx for the caller's mistake) */
  public int code() {
    return code;
  }
}
