package dev.overseer;

/**
 * When a child that exited is restarted. Works like the {@code restart} key of an OTP child spec.
 */
public enum RestartType {
  /** Always restarted, whatever the exit reason. */
  PERMANENT,
  /** Restarted only after an abnormal exit ({@link ExitReason#isAbnormal()}). */
  TRANSIENT,
  /** Never restarted; its spec is forgotten as soon as it exits or is terminated. */
  TEMPORARY
}
