package dev.overseer.cluster;

import dev.overseer.Overseer;
import dev.overseer.cluster.testing.MemberProcess;
import dev.overseer.cluster.testing.Poll;
import dev.overseer.cluster.testing.TestClusters;
import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The bootstrap: what one call sets up, and how a member leaves. */
class OverseerClusterTest {

  @Test
  void startsAClusteredVertxOnLoopbackWithOverseersSeamsInstalled() {
    List<OverseerCluster> members = TestClusters.start(2);
    try {
      OverseerCluster a = members.get(0);
      OverseerCluster b = members.get(1);
      Vertx vertx = a.vertx();
      assertThat(vertx.isClustered()).isTrue();
      assertThat(a.hazelcast().getCluster().getMembers()).hasSize(2);
      assertThat(a.nodeId()).isEqualTo(a.hazelcast().getCluster().getLocalMember().getAttribute("__vertx.nodeId"));
      assertThat(Overseer.nodeId(vertx)).isEqualTo(a.nodeId());
      assertThat(Overseer.nameRegistry(vertx)).isSameAs(a.nameRegistry());
      assertThat(Overseer.defaultStash(vertx)).isSameAs(a.stash());
      NodeInfo info = ((VertxInternal) vertx).clusterManager().getNodeInfo();
      assertThat(info.host()).isEqualTo("127.0.0.1");
      assertThat(a.hazelcast().getCluster().getLocalMember().getAddress().getHost()).isEqualTo("127.0.0.1");
      // clustered event bus between the members
      b.vertx().eventBus().consumer("ping", m -> m.reply("pong from " + Overseer.nodeId(b.vertx()))).completion().await();
      assertThat(vertx.eventBus().<String>request("ping", "").await().body()).isEqualTo("pong from " + b.nodeId());
    } finally {
      TestClusters.closeAll(members);
    }
  }

  /** Polls until {@code survivor} sees itself alone: the other member left. */
  private static void awaitAlone(OverseerCluster survivor) {
    Poll.until("the closed member left", Duration.ofSeconds(10), () -> survivor.hazelcast().getCluster().getMembers().size() == 1);
  }

  @Test
  void closeIsIdempotentAndLeavesTheCluster() {
    List<OverseerCluster> members = TestClusters.start(2);
    try {
      members.get(1).close().await();
      members.get(1).close().await();
      awaitAlone(members.get(0));
    } finally {
      TestClusters.closeAll(members);
    }
  }

  /**
   * Vert.x closed directly, not through the member: the member's own {@code close()} afterwards
   * still completes (it once waited forever on the lease and the registry, whose event loops were
   * gone), and the member has left.
   */
  @Test
  void closeCompletesAfterVertxWasClosedDirectly() throws Exception {
    List<OverseerCluster> members = TestClusters.startWithQuorum(2, 2);
    try {
      assertThat(members.get(1).lease()).as("quorum 2: a lease, renewed on the event loops").isNotNull();
      members.get(1).vertx().close().await(30, TimeUnit.SECONDS);
      members.get(1).close().await(30, TimeUnit.SECONDS);
      awaitAlone(members.get(0));
    } finally {
      TestClusters.closeAll(members);
    }
  }

  @Test
  void sigtermIsAGracefulLeaveWithTheHookAndAbruptWithout() throws Exception {
    String name = TestClusters.randomName();
    List<Integer> ports = TestClusters.freePorts(3);
    List<OverseerCluster> survivor = TestClusters.start(name, ports.subList(0, 1), ports);
    List<MemberProcess> procs = new ArrayList<>();
    try {
      MemberProcess hooked = MemberProcess.start(name, ports.get(1), ports, true);
      procs.add(hooked);
      MemberProcess bare = MemberProcess.start(name, ports.get(2), ports, false);
      procs.add(bare);
      hooked.terminate(Duration.ofSeconds(60));
      assertThat(hooked.lifecycle()).containsSubsequence("SHUTTING_DOWN", "SHUTDOWN");
      bare.terminate(Duration.ofSeconds(60));
      assertThat(bare.lifecycle()).doesNotContain("SHUTTING_DOWN");
    } finally {
      procs.forEach(MemberProcess::close);
      TestClusters.closeAll(survivor);
    }
  }
}
