package dev.overseer.cluster;

import com.hazelcast.cluster.ClusterState;
import dev.overseer.ChildSpec;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.cluster.testing.DsCounter;
import dev.overseer.cluster.testing.MemberProcess;
import dev.overseer.cluster.testing.TestClusters;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.overseer.cluster.testing.Poll.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code startChild} or {@code terminateChild} is acknowledged only once the child's row has a
 * backup replica. After a member leaves, Hazelcast promotes the backups of its partitions and gives
 * them new backups only by later migrations (the cluster state {@code NO_MIGRATION} holds it in
 * between for as long as the test needs); a row written in between lived on one member, and a
 * second fault then lost a started child or brought a terminated one back.
 */
class DistributedSupervisorBackupTest {

  @Test
  void aStartOrTerminateOfAChildWhoseRowHasNoBackupReplicaWaitsForOneAndChangesNothingUntilThen() throws Exception {
    String name = TestClusters.randomName();
    List<Integer> ports = TestClusters.freePorts(3);
    List<OverseerCluster> local = new ArrayList<>();
    MemberProcess leaving = null;
    try {
      leaving = MemberProcess.start(name, ports.get(2), ports);
      for (int p : ports.subList(0, 2)) {
        local.add(OverseerCluster.start(TestClusters.options(name, p, ports)).await(60, TimeUnit.SECONDS));
      }
      List<DistributedSupervisor> sups = new ArrayList<>();
      for (OverseerCluster m : local) {
        DistributedSupervisor s = new DistributedSupervisor(m.hazelcast(), new DistributedSupervisorOptions().setName("backup")
            .addAllowedVerticle(DsCounter.class.getName()).setStartTimeout(Duration.ofSeconds(3)));
        m.vertx().deployVerticle(s).await(30, TimeUnit.SECONDS);
        sups.add(s);
      }
      OverseerCluster member = local.get(0);
      DistributedSupervisor sup = sups.get(0);
      until("a safe cluster of 3", Duration.ofSeconds(30), () -> member.hazelcast().getCluster().getMembers().size() == 3
          && member.hazelcast().getPartitionService().isClusterSafe());
      until("both supervisor members", Duration.ofSeconds(30),
          () -> sups.stream().allMatch(s -> awaitQuietly(s.supervisorMembersCount()) == 2));
      // Two child ids whose rows live in partitions the other JVM owns.
      List<String> ids = TestClusters.keysOwnedBy(member, ports.get(2), "row-", 2);
      String running = ids.get(0);
      String fresh = ids.get(1);
      sup.startChild(counter(running)).await(30, TimeUnit.SECONDS);

      member.hazelcast().getCluster().changeClusterState(ClusterState.NO_MIGRATION);
      leaving.kill();
      until("the other JVM's partitions promoted here", Duration.ofSeconds(30),
          () -> member.hazelcast().getCluster().getMembers().size() == 2
              && ids.stream().allMatch(id -> member.hazelcast().getPartitionService().getPartition(id).getOwner() != null
                  && member.hazelcast().getPartitionService().getPartition(id).getOwner().getAddress().getPort() != ports.get(2)));

      assertThatThrownBy(() -> sup.startChild(counter(fresh)).await(30, TimeUnit.SECONDS))
          .isInstanceOf(SupervisorException.class)
          .satisfies(e -> assertThat(((SupervisorException) e).error()).isEqualTo(SupervisorError.SHUTTING_DOWN))
          .hasMessageContaining("no backup replica");
      assertThatThrownBy(() -> sup.terminateChild(running).await(30, TimeUnit.SECONDS))
          .isInstanceOf(SupervisorException.class)
          .satisfies(e -> assertThat(((SupervisorException) e).error()).isEqualTo(SupervisorError.SHUTTING_DOWN))
          .hasMessageContaining("no backup replica");
      assertThat(sup.placements().await(30, TimeUnit.SECONDS)).as("the refused operations changed nothing")
          .extracting(ChildPlacement::id).containsExactly(running);
      JsonObject served = (JsonObject) member.vertx().eventBus().request(DsCounter.address(running), "get")
          .await(10, TimeUnit.SECONDS).body();
      assertThat(served.getString("id")).isEqualTo(running);

      member.hazelcast().getCluster().changeClusterState(ClusterState.ACTIVE);
      until("a safe cluster of 2", Duration.ofSeconds(30), () -> member.hazelcast().getPartitionService().isClusterSafe());
      sup.startChild(counter(fresh)).await(30, TimeUnit.SECONDS);
      sup.terminateChild(running).await(30, TimeUnit.SECONDS);
      assertThat(sup.placements().await(30, TimeUnit.SECONDS)).extracting(ChildPlacement::id).containsExactly(fresh);
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

  private static ChildSpec counter(String id) {
    return ChildSpec.verticle(id, DsCounter.class.getName())
        .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("id", id)));
  }

  private static int awaitQuietly(io.vertx.core.Future<Integer> count) {
    try {
      return count.await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1;
    }
  }
}
