package dev.overseer;

/**
 * Whether a supervisor shuts itself down when its significant children exit. Works like the
 * {@code auto_shutdown} supervisor flag of OTP (since OTP 24).
 *
 * <p>A supervisor that shuts itself down this way exits with reason
 * {@link ExitReason#shutdown()}: its own parent does not restart it if it is {@code TRANSIENT}.
 */
public enum AutoShutdown {
  /** Never; with this value a significant child spec is invalid. The default. */
  NEVER,
  /** When any significant child exits by itself and is not restarted. */
  ANY_SIGNIFICANT,
  /** When the last running significant child exits by itself and is not restarted. */
  ALL_SIGNIFICANT
}
