package dev.overseer.cluster;

import com.hazelcast.cluster.ClusterState;
import dev.overseer.cluster.testing.MemberProcess;
import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.stash.StashException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.overseer.cluster.testing.Poll.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A write-through save is acknowledged only once its synchronous backup has it. Hazelcast itself
 * answers a write whose backup does not acknowledge within {@code hazelcast.operation.backup.timeout.millis}
 * as a success, with the value on the primary alone: a member that then loses that primary (a kill,
 * or a split-brain merge that keeps the other copy) loses an acknowledged write.
 */
class StashBackupTest {

  /**
   * Two members: this JVM's owns the key, the other JVM holds its only backup and is paused
   * (SIGSTOP). Failure detection is set longer than the test, so only a timeout can end the
   * write: it must fail (outcome unknown), never succeed on the primary alone. With Hazelcast's
   * default backup timeout (5 s) below the stash's bound (here 7 s), it was acknowledged.
   */
  @Test
  void aWriteWhoseBackupHangsFailsInsteadOfBeingAcknowledged() throws Exception {
    String name = TestClusters.randomName();
    List<Integer> ports = TestClusters.freePorts(2);
    OverseerCluster local = null;
    MemberProcess backup = null;
    try {
      backup = MemberProcess.start(name, ports.get(1), ports);
      local = OverseerCluster.start(TestClusters.options(name, ports.get(0), ports)
          .setMaxNoHeartbeatSeconds(60).setOperationTimeout(Duration.ofSeconds(7))).await(60, TimeUnit.SECONDS);
      OverseerCluster member = local;
      // Two members, and every partition migrated and backed up: the first member to start owned
      // all of them until the migration to this one finished.
      until("a safe cluster of 2", Duration.ofSeconds(30), () -> member.hazelcast().getCluster().getMembers().size() == 2
          && member.hazelcast().getPartitionService().isClusterSafe());
      String key = TestClusters.keysOwnedBy(member, ports.get(0), "backup-", 1).get(0);
      assertThat(member.stash().put(key, "1", 1, 0).await(30, TimeUnit.SECONDS).revision()).isEqualTo(1);

      backup.pause();
      String k = key;
      assertThatThrownBy(() -> member.stash().put(k, "2", 1, 0).await(30, TimeUnit.SECONDS))
          .isInstanceOf(StashException.class)
          .satisfies(e -> assertThat(((StashException) e).reason()).isEqualTo(StashException.Reason.UNAVAILABLE));
    } finally {
      // resumed first: a graceful leave waits for its partitions' replicas, and this member would
      // not notice a paused peer for a minute
      try {
        if (backup != null) {
          backup.resume();
        }
        if (local != null) {
          local.close().await(60, TimeUnit.SECONDS);
        }
      } finally {
        if (backup != null) {
          backup.close();
        }
      }
    }
  }

  /**
   * A write to a partition that has no backup replica waits for one: it is not acknowledged with
   * the value on one member only. After a member leaves, Hazelcast promotes the backups of its
   * partitions and gives them new backups only by later migrations; the cluster state
   * {@code NO_MIGRATION} holds it in between (promotions, no migrations) for as long as the test
   * needs. Before the check such a write was acknowledged at once, and the double-fault test lost it.
   */
  @Test
  void aWriteToAPartitionWithoutABackupReplicaIsAcknowledgedOnlyOnceItHasOne() throws Exception {
    String name = TestClusters.randomName();
    List<Integer> ports = TestClusters.freePorts(3);
    List<OverseerCluster> local = new ArrayList<>();
    MemberProcess leaving = null;
    try {
      leaving = MemberProcess.start(name, ports.get(2), ports);
      for (int p : ports.subList(0, 2)) {
        local.add(OverseerCluster.start(TestClusters.options(name, p, ports).setOperationTimeout(Duration.ofSeconds(3)))
            .await(60, TimeUnit.SECONDS));
      }
      OverseerCluster member = local.get(0);
      until(Duration.ofSeconds(30), () -> member.hazelcast().getCluster().getMembers().size() == 3
          && member.hazelcast().getPartitionService().isClusterSafe());
      String k = TestClusters.keysOwnedBy(member, ports.get(2), "promoted-", 1).get(0);
      assertThat(member.stash().put(k, "1", 1, 0).await(30, TimeUnit.SECONDS).revision()).isEqualTo(1);

      member.hazelcast().getCluster().changeClusterState(ClusterState.NO_MIGRATION);
      leaving.kill();
      until(Duration.ofSeconds(30), () -> member.hazelcast().getCluster().getMembers().size() == 2
          && member.hazelcast().getPartitionService().getPartition(k).getOwner() != null
          && member.hazelcast().getPartitionService().getPartition(k).getOwner().getAddress().getPort() != ports.get(2));

      assertThatThrownBy(() -> member.stash().put(k, "2", 1, 0).await(30, TimeUnit.SECONDS))
          .isInstanceOf(StashException.class)
          .satisfies(e -> assertThat(((StashException) e).reason()).isEqualTo(StashException.Reason.UNAVAILABLE))
          .hasMessageContaining("no backup replica");
      assertThat(member.stash().get(k).await(30, TimeUnit.SECONDS).orElseThrow().json()).as("the refused write changed nothing")
          .isEqualTo("1");

      member.hazelcast().getCluster().changeClusterState(ClusterState.ACTIVE);
      until(Duration.ofSeconds(30), () -> member.hazelcast().getPartitionService().isClusterSafe());
      assertThat(member.stash().put(k, "2", 1, 0).await(30, TimeUnit.SECONDS).revision()).isEqualTo(2);
    } finally {
      try {
        TestClusters.closeAll(local);
      } finally {
        if (leaving != null) {
          leaving.close();
        }
      }
    }
  }

}
