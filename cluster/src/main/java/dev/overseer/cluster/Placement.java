package dev.overseer.cluster;

import java.util.Collection;

/**
 * Where a distributed child runs: given the live members, the one that should own a child. Works
 * like Horde's {@code DistributionStrategy.choose_node/2}. Implementations are pure and
 * deterministic: every member computes the same owner from the same inputs, without talking to
 * the others, so they must not depend on the order of {@code members} or on anything local.
 *
 * <p>Placement only proposes: ownership itself is changed by compare-and-set on the cluster-wide
 * ownership table, so members that briefly disagree (they saw a membership change at different
 * times) cannot start a child twice; at worst one of them gives way.
 */
@FunctionalInterface
public interface Placement {

  /**
   * @param childId the child's id
   * @param members the node ids of the live members, never empty, without duplicates
   * @return the node id of the member that should own the child; one of {@code members}
   */
  String ownerOf(String childId, Collection<String> members);
}
