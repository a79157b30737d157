package dev.overseer;

/**
 * Which siblings a supervisor restarts when one child must be restarted. Works like the
 * {@code strategy} supervisor flag of OTP's {@code supervisor} module.
 *
 * <p>The dynamic strategy ({@code simple_one_for_one}) is not a value here: it is
 * {@link DynamicSupervisor}, as in Elixir.
 */
public enum RestartStrategy {
  /** Only the child that exited is restarted ({@code one_for_one}). The default. */
  ONE_FOR_ONE,
  /** All children are stopped in reverse start order, then all are started in spec order ({@code one_for_all}). */
  ONE_FOR_ALL,
  /** The child that exited and every child started after it are restarted ({@code rest_for_one}). */
  REST_FOR_ONE
}
