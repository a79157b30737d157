package dev.overseer.cluster;

import com.hazelcast.cluster.ClusterState;
import com.hazelcast.config.Config;
import com.hazelcast.config.MemberGroupConfig;
import com.hazelcast.config.PartitionGroupConfig;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.internal.partition.InternalPartition;
import com.hazelcast.internal.partition.InternalPartitionService;
import com.hazelcast.internal.partition.PartitionReplica;
import com.hazelcast.map.IMap;
import dev.overseer.cluster.impl.HazelcastConfigs;
import dev.overseer.cluster.impl.StashOp;
import dev.overseer.cluster.testing.MemberMain;
import dev.overseer.cluster.testing.MemberProcess;
import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.stash.StashException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
   * A claim waits too.
   */
  @Test
  void aWriteToAPartitionWithoutABackupReplicaIsAcknowledgedOnlyOnceItHasOne() throws Exception {
    afterTheKeysOwnerDies("promoted-", (member, k) ->
        assertThat(member.stash().put(k, "1", 1, 0).await(30, TimeUnit.SECONDS).revision()).isEqualTo(1), (member, k) -> {
      assertThatThrownBy(() -> member.stash().put(k, "2", 1, 0).await(30, TimeUnit.SECONDS))
          .isInstanceOf(StashException.class)
          .satisfies(e -> assertThat(((StashException) e).reason()).isEqualTo(StashException.Reason.UNAVAILABLE))
          .hasMessageContaining("no backup replica");
      assertThat(member.stash().get(k).await(30, TimeUnit.SECONDS).orElseThrow().json()).as("the refused write changed nothing")
          .isEqualTo("1");
      // nor does a claim go: its higher epoch, on this copy alone, would win a later merge over
      // the majority's acknowledged writes (see cluster.md, "What is guaranteed")
      assertThatThrownBy(() -> member.stash().claimAndGet(k).await(30, TimeUnit.SECONDS))
          .isInstanceOf(StashException.class)
          .satisfies(e -> assertThat(((StashException) e).reason()).isEqualTo(StashException.Reason.UNAVAILABLE));

      member.hazelcast().getCluster().changeClusterState(ClusterState.ACTIVE);
      until(Duration.ofSeconds(30), () -> member.hazelcast().getPartitionService().isClusterSafe());
      assertThat(member.stash().claimAndGet(k).await(30, TimeUnit.SECONDS).epoch()).as("the refused claim changed nothing")
          .isEqualTo(1);
      assertThat(member.stash().put(k, "2", 1, 1).await(30, TimeUnit.SECONDS).revision()).isEqualTo(2);
    });
  }

  /**
   * A start's claim is bounded ({@code ServerOptions.claimTimeout}); one it gave up on must never
   * be made later, over the claim of its next attempt (whose writes would then all be refused).
   * The claim waits for a backup replica here (as after a death), is given up after 300 ms, and
   * the partition gets its backup right after: the claim made once it has one is the first.
   * Before the deadline was carried, the given-up claim went on trying for the operation timeout
   * (3 s here) and was made as soon as the backup was there.
   */
  @Test
  void aClaimGivenUpOnWhileItWaitsForABackupIsNeverMadeLater() throws Exception {
    afterTheKeysOwnerDies("orphan-", (member, k) -> { }, (member, k) -> {
      // the caller gives up after 300 ms (as a server's start does after its claimTimeout) ...
      io.vertx.core.Future<dev.overseer.stash.StashClaim> claim = member.stash().claimAndGet(k, Duration.ofMillis(300));
      assertThatThrownBy(() -> claim.timeout(300, TimeUnit.MILLISECONDS).await(30, TimeUnit.SECONDS))
          .isInstanceOf(Exception.class);
      // ... and the partition gets its backup back right after
      member.hazelcast().getCluster().changeClusterState(ClusterState.ACTIVE);
      until(Duration.ofSeconds(30), () -> member.hazelcast().getPartitionService().isClusterSafe());
      assertThatThrownBy(() -> claim.await(30, TimeUnit.SECONDS)).as("the claim given up on was not made")
          .isInstanceOf(StashException.class)
          .satisfies(e -> assertThat(((StashException) e).reason()).isEqualTo(StashException.Reason.UNAVAILABLE));
      assertThat(member.stash().claimAndGet(k, Duration.ofSeconds(10)).await(30, TimeUnit.SECONDS).epoch())
          .as("the next claim is the first").isEqualTo(1);
    });
  }

  /** A step of a test on a member and a key. */
  @FunctionalInterface
  private interface KeyStep {
    void run(OverseerCluster member, String key) throws Exception;
  }

  /**
   * Starts three members, the third in a JVM of its own, with a 3 s operation timeout; picks a
   * key that third member owns and runs {@code before} on the first member with every backup in
   * place; then holds migrations ({@code NO_MIGRATION}), kills the third member, and once the
   * key's partition has been promoted to a survivor (with no backup replica left) runs
   * {@code after}. Everything started is closed at the end, whatever happens.
   */
  private static void afterTheKeysOwnerDies(String prefix, KeyStep before, KeyStep after) throws Exception {
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
      String k = TestClusters.keysOwnedBy(member, ports.get(2), prefix, 1).get(0);
      before.run(member, k);

      member.hazelcast().getCluster().changeClusterState(ClusterState.NO_MIGRATION);
      leaving.kill();
      until(Duration.ofSeconds(30), () -> member.hazelcast().getCluster().getMembers().size() == 2
          && member.hazelcast().getPartitionService().getPartition(k).getOwner() != null
          && member.hazelcast().getPartitionService().getPartition(k).getOwner().getAddress().getPort() != ports.get(2));
      after.run(member, k);
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

  /**
   * With two backups and four members, one death leaves every partition a backup that Hazelcast
   * sends writes to, so a write to a partition whose owner died is acknowledged at once, without
   * waiting for migrations (held off here by {@code NO_MIGRATION}), and it survives the death of
   * the member that then owns it. The key is chosen so that the promoted backup is replica 1: the
   * promotion swaps it with the dead owner's slot, leaving index 1 empty and this member's copy at
   * index 2, which a check of index 1 alone refused until migrations shifted a replica up.
   */
  @Test
  void withTwoBackupsOfFourMembersAWriteAfterADeathIsAcknowledgedAtOnceAndSurvivesTheNextDeath() throws Exception {
    String name = TestClusters.randomName();
    List<Integer> ports = TestClusters.freePorts(4);
    OverseerCluster local = null;
    Map<Integer, MemberProcess> processes = new HashMap<>();
    try {
      local = startWithTwoBackups(name, ports, processes);
      OverseerCluster member = local;
      int[] replicas = new int[3];
      String key = promoteReplicaOne(member, ports.get(0), processes, replicas);
      int id = partitions(member).getPartitionId(key);

      assertThat(member.stash().put(key, "2", 1, 0).await(30, TimeUnit.SECONDS).revision()).isEqualTo(2);

      processes.get(replicas[1]).kill();
      until("this member promoted", Duration.ofSeconds(30), () -> member.hazelcast().getCluster().getMembers().size() == 2
          && port(partitions(member).getPartition(id), 0) == ports.get(0));
      assertThat(member.stash().get(key).await(30, TimeUnit.SECONDS).orElseThrow().json())
          .as("the write acknowledged after the first death, after the second").isEqualTo("2");
    } finally {
      closeAll(local, processes);
    }
  }

  /**
   * The same promotion among three members: the survivor at index 2 holds the partition's data,
   * but with two members left Hazelcast sends a write's backup to index 1 only, which is empty, and
   * would acknowledge the write with the value on the owner alone. The write must wait instead. A
   * check that counted index 2 acknowledged it, and the owner's death then lost it.
   */
  @Test
  void withTwoBackupsOfThreeMembersAReplicaHazelcastSendsNoBackupToDoesNotCount() throws Exception {
    String name = TestClusters.randomName();
    List<Integer> ports = TestClusters.freePorts(3);
    OverseerCluster local = null;
    Map<Integer, MemberProcess> processes = new HashMap<>();
    try {
      local = startWithTwoBackups(name, ports, processes);
      OverseerCluster member = local;
      String key = promoteReplicaOne(member, ports.get(0), processes, new int[3]);

      assertThatThrownBy(() -> member.stash().put(key, "2", 1, 0).await(30, TimeUnit.SECONDS))
          .isInstanceOf(StashException.class)
          .satisfies(e -> assertThat(((StashException) e).reason()).isEqualTo(StashException.Reason.UNAVAILABLE))
          .hasMessageContaining("no backup replica");
      // the owner's own check (the stash above already held back on this member's copy of the table)
      IMap<String, String> raw = member.hazelcast().getMap(HazelcastConfigs.MAP_PREFIX + "stash." + HazelcastStash.DEFAULT_NAME);
      assertThat(raw.submitToKey(key, StashOp.put("2", 1, 0, 0).backedUp(2)).toCompletableFuture().get(30, TimeUnit.SECONDS))
          .isEqualTo(StashOp.NO_BACKUP);
      assertThat(member.stash().get(key).await(30, TimeUnit.SECONDS).orElseThrow().json()).isEqualTo("1");
    } finally {
      closeAll(local, processes);
    }
  }

  /**
   * Starts member processes on {@code ports[1..]} and this JVM's member on {@code ports[0]}, all
   * with two backups, and waits until the cluster is safe.
   *
   * @param processes filled with the processes by port, as they start (for the caller to close)
   * @return this JVM's member
   */
  private static OverseerCluster startWithTwoBackups(String name, List<Integer> ports, Map<Integer, MemberProcess> processes)
      throws Exception {
    for (int p : ports.subList(1, ports.size())) {
      processes.put(p, MemberProcess.start(MemberMain.class, name, p, ports, true, List.of("-D" + MemberMain.BACKUP_COUNT + "=2")));
    }
    OverseerCluster member = OverseerCluster.start(TestClusters.options(name, ports.get(0), ports).setBackupCount(2)
        .setOperationTimeout(Duration.ofSeconds(3))).await(60, TimeUnit.SECONDS);
    until("a safe cluster of " + ports.size(), Duration.ofSeconds(30), () -> member.hazelcast().getCluster().getMembers().size()
        == ports.size() && member.hazelcast().getPartitionService().isClusterSafe());
    return member;
  }

  /**
   * Writes "1" to a key owned by a process, with another process at replica index 1 and this
   * member at 2; holds migrations off ({@code NO_MIGRATION}); SIGKILLs the owner and waits for
   * the promotion of replica 1, which leaves index 1 empty and this member at index 2.
   *
   * @param replicas filled with the ports of the key's replicas 0, 1 and 2 before the kill
   * @return the key
   */
  private static String promoteReplicaOne(OverseerCluster member, int localPort, Map<Integer, MemberProcess> processes,
      int[] replicas) throws Exception {
    InternalPartitionService partitions = partitions(member);
    String key = keyReplicatedOn(partitions, processes.keySet(), localPort, replicas);
    int id = partitions.getPartitionId(key);
    assertThat(member.stash().put(key, "1", 1, 0).await(30, TimeUnit.SECONDS).revision()).isEqualTo(1);

    member.hazelcast().getCluster().changeClusterState(ClusterState.NO_MIGRATION);
    int members = member.hazelcast().getCluster().getMembers().size();
    processes.get(replicas[0]).kill();
    until("replica 1 promoted", Duration.ofSeconds(30), () -> member.hazelcast().getCluster().getMembers().size() == members - 1
        && port(partitions.getPartition(id), 0) == replicas[1]);
    assertThat(partitions.getPartition(id).getReplica(1)).as("no migration has shifted a replica up").isNull();
    assertThat(port(partitions.getPartition(id), 2)).isEqualTo(localPort);
    return key;
  }

  private static void closeAll(OverseerCluster local, Map<Integer, MemberProcess> processes) throws Exception {
    try {
      if (local != null) {
        local.close().await(60, TimeUnit.SECONDS);
      }
    } finally {
      processes.values().forEach(MemberProcess::close);
    }
  }

  /**
   * A partition-group config that puts every data member in one group still leaves room for a
   * backup: Hazelcast splits a lone group of two or more members in two. The backup guard counts on
   * it (with no backup possible, every guarded change would wait until its timeout).
   */
  @Test
  void aPartitionGroupConfigOfOneGroupStillLeavesRoomForABackup() throws Exception {
    String name = TestClusters.randomName();
    List<Integer> ports = TestClusters.freePorts(2);
    List<OverseerCluster> local = new ArrayList<>();
    try {
      for (int p : ports) {
        ClusterOptions base = TestClusters.options(name, p, ports).setOperationTimeout(Duration.ofSeconds(3));
        local.add(OverseerCluster.start(new ClusterOptions(base).setHazelcastConfig(() -> {
          Config c = HazelcastConfigs.create(base);
          // every member in one configured group
          c.getPartitionGroupConfig().setEnabled(true).setGroupType(PartitionGroupConfig.MemberGroupType.CUSTOM)
              .addMemberGroupConfig(new MemberGroupConfig().addInterface("127.0.0.1"));
          return c;
        })).await(60, TimeUnit.SECONDS));
      }
      OverseerCluster member = local.get(0);
      until(Duration.ofSeconds(30), () -> member.hazelcast().getCluster().getMembers().size() == 2);
      assertThat(partitions(member).getMaxAllowedBackupCount()).as("the lone group split in two").isEqualTo(1);
      String key = "one-group";
      assertThat(member.stash().put(key, "1", 1, 0).await(30, TimeUnit.SECONDS).revision()).isEqualTo(1);
      assertThat(member.stash().claimAndGet(key).await(30, TimeUnit.SECONDS).epoch()).isEqualTo(1);
    } finally {
      TestClusters.closeAll(local);
    }
  }

  private static InternalPartitionService partitions(OverseerCluster member) {
    return ((HazelcastInstanceProxy) member.hazelcast()).getOriginal().node.getPartitionService();
  }

  /**
   * @param processes the ports of the member processes
   * @param local this member's port
   * @param replicas filled with the ports of the key's replicas 0, 1 and 2
   * @return a key whose partition is owned by a process, has another process at replica index 1
   *     and this member at index 2
   */
  private static String keyReplicatedOn(InternalPartitionService partitions, java.util.Set<Integer> processes, int local,
      int[] replicas) {
    for (int i = 0; i < 10_000; i++) {
      InternalPartition p = partitions.getPartition(partitions.getPartitionId("double-" + i));
      if (processes.contains(port(p, 0)) && processes.contains(port(p, 1)) && port(p, 2) == local) {
        for (int r = 0; r < 3; r++) {
          replicas[r] = port(p, r);
        }
        return "double-" + i;
      }
    }
    throw new AssertionError("no key among 10,000 owned by a process with another at replica 1 and this member at 2");
  }

  private static int port(InternalPartition partition, int replica) {
    PartitionReplica r = partition.getReplica(replica);
    return r == null ? -1 : r.address().getPort();
  }

}
