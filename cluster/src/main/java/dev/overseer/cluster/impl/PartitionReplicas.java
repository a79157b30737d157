package dev.overseer.cluster.impl;

import com.hazelcast.cluster.memberselector.MemberSelectors;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.partition.InternalPartition;
import com.hazelcast.internal.partition.InternalPartitionService;

/**
 * Whether a key's partition has a backup replica, as the partition's owner sees it: what an entry
 * processor checks before it changes a value it is about to acknowledge.
 *
 * <p><b>Why.</b> When a member leaves, Hazelcast promotes the backups of the partitions it owned
 * and only then, by migrations that take from under a second to many seconds on a loaded machine,
 * gives every partition a backup again. Meanwhile a write to a partition without a backup replica
 * is acknowledged with the value on one member only; if that member is the next to go (a second
 * fault, or the side a split-brain merge gives up), an acknowledged write is lost. Seen in the
 * double-fault test of issue #10: an increment acknowledged during those migrations was missing
 * from both members that formed the next majority.
 *
 * <p>Used by {@link StashOp} (every stash change) and {@link TableOp} (a {@code startChild}'s
 * create and a {@code terminateChild}'s delete).
 *
 * <p>This is Hazelcast's internal API ({@link Node}, handed to processors that implement
 * {@code NodeAware}); there is no public way to read a partition's backup replicas. It is the only
 * place that touches it.
 */
public final class PartitionReplicas {

  /**
   * What an entry processor that required a backup replica and found none answers, having
   * changed nothing: {@value}. Its caller tries again.
   */
  public static final String NO_BACKUP = "{\"noBackup\":true}";

  private PartitionReplicas() {
  }

  /**
   * @param node the member the caller runs on (the partition's owner, for an entry processor)
   * @param key the key, as the map holds it
   * @return {@code true} when the key's partition has its first backup replica assigned, or when
   *     this member is the only data member of its cluster (there is nowhere to put a backup; a
   *     caller that needs a majority checks its quorum itself)
   */
  public static boolean backedUp(Node node, Object key) {
    if (node.getClusterService().getSize(MemberSelectors.DATA_MEMBER_SELECTOR) < 2) {
      return true;
    }
    InternalPartitionService partitions = node.getPartitionService();
    InternalPartition partition = partitions.getPartition(partitions.getPartitionId(key));
    return partition.getReplica(1) != null;
  }
}
