package dev.overseer.impl;

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
}
