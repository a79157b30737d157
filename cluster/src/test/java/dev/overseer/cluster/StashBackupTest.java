package dev.overseer.cluster;

import dev.overseer.cluster.testing.MemberProcess;
import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.stash.StashException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      // Two members, and every partition migrated and backed up: the first member to start owned
      // all of them until the migration to this one finished.
      while (member.hazelcast().getCluster().getMembers().size() != 2 || !member.hazelcast().getPartitionService().isClusterSafe()) {
        assertThat(System.nanoTime()).as("a safe cluster of 2").isLessThan(deadline);
        Thread.onSpinWait();
      }
      String key = null;
      for (int i = 0; key == null; i++) {
        assertThat(i).as("a key this member owns").isLessThan(10_000);
        String k = "backup-" + i;
        if (member.hazelcast().getPartitionService().getPartition(k).getOwner().localMember()) {
          key = k;
        }
      }
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
}
