package dev.overseer.cluster;

import dev.overseer.ChildSpec;
import dev.overseer.cluster.testing.DsCounter;
import dev.overseer.cluster.testing.HeldEventThread;
import dev.overseer.cluster.testing.Poll;
import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.testing.Await;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member acts on a departure as soon as Hazelcast's member list shows it, not only when the
 * membership event reaches it: Hazelcast delivers that event on its event threads, behind
 * whatever entry events are queued there (after a SIGKILL, the other survivor's takeover of the
 * dead member's rows), and a survivor once heard of a removal 1.8 s after its member list had
 * changed. Here the survivor's only event thread is held by a listener of an unrelated map while
 * a member is terminated (Hazelcast's crash, in this JVM): the survivor must take over its share
 * of the dead member's children while its event thread is still held, long before its periodic
 * reconcile (which reads the member list too, and bounded the lag by {@code reconcileInterval}).
 */
class DistributedSupervisorMembershipTest {

  @Test
  void aSurvivorTakesOverADeadMembersChildrenWhileItsMembershipEventIsStillQueued() throws Exception {
    // One event thread per member, so one held listener holds every event of that member, its
    // membership events included.
    List<OverseerCluster> members = TestClusters.startWithOneEventThread(3);
    HeldEventThread hold = null;
    try {
      String p = "m" + UUID.randomUUID().toString().substring(0, 6) + "-";
      // The periodic reconcile, which also reads the member list, is a minute away.
      DistributedSupervisorOptions options = new DistributedSupervisorOptions().setName(p + "sup")
          .addAllowedVerticle(DsCounter.class.getName()).setExpectedMembers(3).setReconcileInterval(Duration.ofSeconds(60));
      List<DistributedSupervisor> sups = new ArrayList<>();
      for (OverseerCluster m : members) {
        DistributedSupervisor s = new DistributedSupervisor(m.hazelcast(), options);
        Await.result(m.vertx().deployVerticle(s));
        sups.add(s);
      }
      Poll.until("every member sees the three supervisor members", Duration.ofSeconds(20),
          () -> sups.stream().allMatch(s -> Await.result(s.supervisorMembersCount()) == 3));
      List<String> nodes = members.stream().map(OverseerCluster::nodeId).toList();
      List<String> remaining = List.of(nodes.get(0), nodes.get(1));
      // Spread over the three, plus two that the dying member holds and the survivor would take
      // (node ids are random: without these the survivor's share would be empty in 1 run of 10).
      List<String> ids = new ArrayList<>(DistributedSupervisorTest.spreadIds(p, 12, nodes));
      for (int i = 0; ids.size() < 14; i++) {
        String id = p + "x" + i;
        if (RendezvousPlacement.INSTANCE.ownerOf(id, nodes).equals(nodes.get(2))
            && RendezvousPlacement.INSTANCE.ownerOf(id, remaining).equals(nodes.get(0))) {
          ids.add(id);
        }
      }
      for (String id : ids) {
        Await.result(sups.get(0).startChild(ChildSpec.verticle(id, DsCounter.class.getName())
            .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("id", id)))));
      }
      OverseerCluster survivor = members.get(0);
      OverseerCluster dying = members.get(2);
      Set<String> onDying = Await.result(sups.get(2).localChildren()).keySet();
      assertThat(onDying).as("the dying member runs some of the children").isNotEmpty();
      // The survivor's share of them: the placement's choice among the two that remain.
      Set<String> survivorsShare = onDying.stream()
          .filter(id -> RendezvousPlacement.INSTANCE.ownerOf(id, remaining).equals(survivor.nodeId()))
          .collect(Collectors.toSet());
      assertThat(survivorsShare).as("the placement gives the survivor some of them").isNotEmpty();

      // Hold the survivor's event thread with an event of a map of its own.
      hold = HeldEventThread.hold(survivor.hazelcast());

      dying.hazelcast().getLifecycleService().terminate();
      Poll.until("the survivor's member list no longer has the dead member", Duration.ofSeconds(20),
          () -> survivor.hazelcast().getCluster().getMembers().size() == 2);
      Poll.until("the survivor runs its share of the dead member's children", Duration.ofSeconds(20),
          () -> Await.result(sups.get(0).localChildren()).keySet().containsAll(survivorsShare));
      assertThat(hold.stillHeld()).as("its event thread was held all along").isTrue();
    } finally {
      if (hold != null) {
        hold.release();
      }
      TestClusters.closeAll(members);
    }
  }
}
