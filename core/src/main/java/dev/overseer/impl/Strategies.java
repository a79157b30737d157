package dev.overseer.impl;

import dev.overseer.AutoShutdown;
import dev.overseer.ExitReason;
import dev.overseer.RestartStrategy;
import dev.overseer.RestartType;

import java.util.List;

/**
 * What OTP's three strategies have in common and where they differ: only in which siblings a
 * restart touches. Pure functions over child ids in start order.
 */
public final class Strategies {

  private Strategies() {
  }

  /**
   * @param strategy the supervisor's strategy
   * @param startOrder the ids of all children in start (spec) order
   * @param failed the id of the child to restart; must be in {@code startOrder}
   * @return the ids to stop and start again, in start order: the failed child alone
   *     ({@code ONE_FOR_ONE}), it and every child after it ({@code REST_FOR_ONE}), or all
   *     ({@code ONE_FOR_ALL})
   */
  public static List<String> affected(RestartStrategy strategy, List<String> startOrder, String failed) {
    int index = startOrder.indexOf(failed);
    if (index < 0) {
      throw new IllegalArgumentException("unknown child " + failed);
    }
    switch (strategy) {
      case ONE_FOR_ALL:
        return List.copyOf(startOrder);
      case REST_FOR_ONE:
        return List.copyOf(startOrder.subList(index, startOrder.size()));
      default:
        return List.of(failed);
    }
  }

  /**
   * OTP's {@code do_restart/3}: permanent children are always restarted, transient ones only
   * after an abnormal exit, temporary ones never.
   */
  public static boolean shouldRestart(RestartType type, ExitReason reason) {
    switch (type) {
      case PERMANENT:
        return true;
      case TRANSIENT:
        return reason.isAbnormal();
      default:
        return false;
    }
  }

  /**
   * OTP's auto-shutdown rule, decided after a child exited by itself and is not restarted.
   *
   * @param mode the supervisor's auto-shutdown
   * @param exitedSignificant whether the child that exited is significant
   * @param significantStillRunning how many other significant children are not stopped
   * @return whether the supervisor shuts down: never under {@code NEVER} or for a child that is
   *     not significant; at once under {@code ANY_SIGNIFICANT}; under {@code ALL_SIGNIFICANT} only
   *     when no other significant child is left running
   */
  public static boolean shouldAutoShutdown(AutoShutdown mode, boolean exitedSignificant, int significantStillRunning) {
    if (mode == AutoShutdown.NEVER || !exitedSignificant) {
      return false;
    }
    return mode == AutoShutdown.ANY_SIGNIFICANT || significantStillRunning == 0;
  }

  /**
   * The backoff's notion of "consecutive": a child that ran at least {@code resetAfterMillis}
   * before it exited starts its backoff over.
   *
   * @param consecutiveSoFar the child's consecutive restarts before this one
   * @param ranForMillis how long its last incarnation ran
   * @param resetAfterMillis the backoff's reset threshold
   * @return the number of this restart in the current run of consecutive restarts (1 for the first)
   */
  public static int nextConsecutiveRestart(int consecutiveSoFar, long ranForMillis, long resetAfterMillis) {
    return ranForMillis >= resetAfterMillis ? 1 : consecutiveSoFar + 1;
  }
}
