package dev.overseer.cluster.impl;

import com.hazelcast.cluster.memberselector.MemberSelectors;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.cluster.impl.ClusterServiceImpl;
import com.hazelcast.internal.partition.InternalPartition;
import com.hazelcast.internal.partition.InternalPartitionService;
import com.hazelcast.internal.partition.PartitionReplica;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

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
 * create and a {@code terminateChild}'s delete) on the partition's owner, and by their callers on
 * their own member's copy of the partition table before they ask the owner: while it shows no
 * backup, they wait without sending anything. After a SIGKILL, hundreds of servers starting on the
 * survivors otherwise sent the owners 20 refused claims a second each, and the migrations that
 * would give the partitions their backups back, sharing the same CPU, took 2.5 times as long
 * (FailoverBench, 1,000 stateful servers: failover 8.0 s p50 before, 2.4 s after).
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

  /**
   * How often a change that this member's copy of the partition table holds back asks the
   * partition's owner anyway, in case that copy lags (it is kept up to date by the master's
   * publications; a missed one is repaired by a periodic one, every 15 s by default): {@value} ms.
   * Not less: asked every 500 ms, the waiting claims of 500 servers starting after a SIGKILL (1,000
   * asks a second) slowed the migrations again (FailoverBench, 2 alternating pairs: failover 4.9
   * and 5.9 s p50 against 3.5 and 2.8 s without the asks; with 2 s, 2.9 and 3.0 s against 3.4 and
   * 3.1 s).
   */
  public static final long OWNER_ASK_MILLIS = 2000;

  private PartitionReplicas() {
  }

  /**
   * @param node the member the caller runs on (the partition's owner, for an entry processor)
   * @param key the key, as the map holds it
   * @param backups the map's synchronous backup count
   * @return {@code true} when a write's synchronous backup will reach a member: one of the
   *     replicas Hazelcast sends backups to (indexes 1 to {@code backups}, but no further than one
   *     fewer than the data members) is a current member; or when this member is the only data
   *     member of its cluster (there is nowhere to put a backup; a caller that needs a majority
   *     checks its quorum itself)
   */
  public static boolean backedUp(Node node, Object key, int backups) {
    ClusterServiceImpl cluster = node.getClusterService();
    if (cluster.getSize(MemberSelectors.DATA_MEMBER_SELECTOR) < 2) {
      return true;
    }
    InternalPartitionService partitions = node.getPartitionService();
    InternalPartition partition = partitions.getPartition(partitions.getPartitionId(key));
    // Hazelcast sends a write's backups to replica indexes 1..min(backups, data members - 1),
    // skipping an empty slot and a member that has left but is still in the partition table: with
    // nothing sent, it acknowledges the write with the value on this member alone. Not one index
    // further: after a death among 3 members with 2 backups, a promotion leaves index 1 empty and
    // a survivor at index 2 that holds the data but gets no backup (seen in StashBackupTest).
    int sent = Math.min(backups, partitions.getMaxAllowedBackupCount());
    for (int i = 1; i <= sent; i++) {
      PartitionReplica replica = partition.getReplica(i);
      if (replica != null && cluster.getMember(replica.address(), replica.uuid()) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param local this member ({@link #localNode}), or {@code null} for none: then never
   * @param key the key a change waits to write
   * @param backups the map's synchronous backup count
   * @param askedAt when the change last asked the partition's owner (or began), {@link System#nanoTime}
   * @param now {@link System#nanoTime} now
   * @return whether the change should wait without asking the owner: this member's copy of the
   *     partition table shows no backup, and the owner was asked less than
   *     {@value #OWNER_ASK_MILLIS} ms ago
   */
  public static boolean holdsBack(Node local, Object key, int backups, long askedAt, long now) {
    return local != null && now - askedAt < TimeUnit.MILLISECONDS.toNanos(OWNER_ASK_MILLIS) && !backedUp(local, key, backups);
  }

  /**
   * @param hazelcast a member, as {@code Hazelcast.newHazelcastInstance} returns it
   * @return the member's {@link Node}, whose partition table {@link #backedUp} can read locally
   *     (a copy the master keeps up to date, a moment behind the owner's), or {@code null} when
   *     {@code hazelcast} is not a member running in this JVM or is no longer running
   */
  public static Node localNode(HazelcastInstance hazelcast) {
    try {
      if (hazelcast instanceof HazelcastInstanceProxy proxy) {
        return proxy.getOriginal().node;
      }
      return hazelcast instanceof HazelcastInstanceImpl impl ? impl.node : null;
    } catch (HazelcastInstanceNotActiveException e) {
      return null;
    }
  }

  /**
   * One processor's use of the check: whether it requires a backup replica (part of its wire
   * form), the member Hazelcast hands it, and whether its last {@code process} refused, in which
   * case it must send no backup (Hazelcast asks for the backup processor after {@code process};
   * with {@code backupCount} 2 or more it would otherwise reach a replica further down the list).
   */
  public static final class Guard {

    private int backups;
    private Node node;
    private boolean refused;

    /**
     * Makes the processor require a backup replica.
     *
     * @param backups the map's synchronous backup count, 1 to {@value InternalPartition#MAX_BACKUP_COUNT}
     */
    public void require(int backups) {
      if (backups < 1 || backups > InternalPartition.MAX_BACKUP_COUNT) {
        throw new IllegalArgumentException("backups must be 1.." + InternalPartition.MAX_BACKUP_COUNT + ", got " + backups);
      }
      this.backups = backups;
    }

    /** @return whether the processor requires a backup replica */
    public boolean required() {
      return backups > 0;
    }

    /**
     * Writes the requirement: the backup count, 0 for none (a byte, which a member that reads a
     * boolean there, as before backup counts above 1 were looked at, reads as required).
     *
     * @param out the processor's wire form
     */
    public void write(ObjectDataOutput out) throws IOException {
      out.writeByte(backups);
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @param in the processor's wire form
     */
    public void read(ObjectDataInput in) throws IOException {
      int b = in.readByte();
      if (b < 0 || b > InternalPartition.MAX_BACKUP_COUNT) {
        throw new IOException("backup count out of range: " + b);
      }
      backups = b;
    }

    /** @param node the member the processor runs on (from {@code NodeAware}) */
    public void setNode(Node node) {
      this.node = node;
    }

    /**
     * @param key the key being processed
     * @return {@code true} if the processor must change nothing and answer {@link #NO_BACKUP}
     */
    public boolean refuses(Object key) {
      refused = backups > 0 && node != null && !backedUp(node, key, backups);
      return refused;
    }

    /** @return whether the last {@link #refuses} call refused: then no backup processor runs */
    public boolean refused() {
      return refused;
    }
  }
}
