package dev.overseer.cluster;

import dev.overseer.ChildSpec;
import dev.overseer.SupervisorEvent;
import dev.overseer.cluster.testing.DsServerCounter;
import dev.overseer.cluster.testing.Poll;
import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.Overseer;
import dev.overseer.server.Server;
import dev.overseer.server.ServerHandoff;
import dev.overseer.server.ServerRef;
import dev.overseer.testing.Await;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A leaving member hands a {@code Server} child over as soon as the server has saved its state and
 * released its name ({@link dev.overseer.server.ServerHandoff}), not at the end of its stop: the
 * rest of the stop is {@code ClusterOptions.routeGrace}, during which the old consumer answers 503
 * (retried by {@code ServerRef}) and handles nothing. With a 1.5 s grace here, a handoff that
 * waited for the whole stop would leave the child unavailable for at least that long.
 */
class ServerHandoffTest {

  private static final Duration GRACE = Duration.ofMillis(1500);

  /** @param handoffConcurrency 0: the whole leave at once; 1: in waves of one child */
  @ParameterizedTest(name = "handoffConcurrency {0}")
  @ValueSource(ints = {0, 1})
  void aLeavingMembersServerMovesOnceItsStateIsSavedNotAfterTheRouteGrace(int handoffConcurrency) throws Exception {
    String cluster = TestClusters.randomName();
    List<Integer> ports = TestClusters.freePorts(3);
    List<Future<OverseerCluster>> starting = new ArrayList<>();
    for (int p : ports) {
      starting.add(OverseerCluster.start(TestClusters.options(cluster, p, ports).setQuorum(2).setRouteGrace(GRACE)));
    }
    List<OverseerCluster> members = new ArrayList<>();
    try {
      for (Future<OverseerCluster> f : starting) {
        members.add(f.await(60, TimeUnit.SECONDS));
      }
      String p = "h" + UUID.randomUUID().toString().substring(0, 6) + "-";
      DistributedSupervisorOptions options = new DistributedSupervisorOptions().setName(p + "sup")
          .addAllowedVerticle(DsServerCounter.class.getName()).setExpectedMembers(3)
          .setHandoffConcurrency(handoffConcurrency);
      List<DistributedSupervisor> sups = new ArrayList<>();
      List<SupervisorEvent> events = new CopyOnWriteArrayList<>();
      // What the supervisor's hook answers each starting server of each member (see movedHere).
      List<String> asked = new CopyOnWriteArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        Overseer.addServerHandoff(members.get(i).vertx(), new MovedSpy(members.get(i).vertx(), i, asked));
      }
      for (OverseerCluster m : members) {
        DistributedSupervisor s = new DistributedSupervisor(m.hazelcast(), options);
        s.addListener(events::add);
        Await.result(m.vertx().deployVerticle(s));
        sups.add(s);
      }
      Poll.until("every member sees the three supervisor members", Duration.ofSeconds(20),
          () -> sups.stream().allMatch(s -> Await.result(s.supervisorMembersCount()) == 3));
      // Two servers on the member that will leave (so that waves of one have two waves).
      List<String> nodes = members.stream().map(OverseerCluster::nodeId).toList();
      List<String> ids = new ArrayList<>();
      for (int i = 0; ids.size() < 2; i++) {
        if (RendezvousPlacement.INSTANCE.ownerOf(p + i, nodes).equals(nodes.get(2))) {
          ids.add(p + i);
        }
      }
      for (String id : ids) {
        Await.result(sups.get(0).startChild(ChildSpec.verticle(id, DsServerCounter.class.getName())
            .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("overseer", new JsonObject()
                .put("name", id).put("persistence", new JsonObject().put("mode", "WRITE_THROUGH")))))));
        for (int n = 0; n < 3; n++) {
          Await.result(ServerRef.of(members.get(0).vertx(), id).call("inc", Duration.ofSeconds(5)));
        }
      }
      assertThat(Await.result(sups.get(2).localChildren()).keySet()).containsAll(ids);
      // a startChild's start is no move: it claims once its name is its own
      assertThat(asked).containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> "2 " + id + " false").toList());

      Future<Void> leaving = members.get(2).close();
      Poll.until("both servers handed off", Duration.ofSeconds(30), () -> ids.stream().allMatch(id -> events.stream()
          .anyMatch(e -> e.type() == SupervisorEvent.Type.CHILD_HANDED_OFF && id.equals(e.childId()))));
      // In waves, the local supervisor applies its operations one at a time (as an OTP supervisor):
      // the second wave's stop waits for the first server's whole stop, grace included, while the
      // second server keeps serving; the supervisor's figure counts from its wave's start. So in
      // waves the first wave's server is the one whose figure shows the early move.
      List<String> checked = handoffConcurrency == 0 ? ids : List.of(new java.util.TreeSet<>(ids).first());
      for (String id : ids) {
        SupervisorEvent moved = events.stream()
            .filter(e -> e.type() == SupervisorEvent.Type.CHILD_HANDED_OFF && id.equals(e.childId())).findFirst().orElseThrow();
        if (checked.contains(id)) {
          assertThat(moved.details().getLong("unavailableMillis"))
              .as("%s was unavailable for less than the route grace its old consumer still had", id)
              .isLessThan(GRACE.toMillis());
        }
        JsonObject reply = (JsonObject) Await.result(ServerRef.of(members.get(0).vertx(), id).call("get", Duration.ofSeconds(5)));
        assertThat(reply.getLong("value")).as("%s kept its state", id).isEqualTo(3L);
        assertThat(reply.getString("node")).isIn(nodes.get(0), nodes.get(1));
        // the handed-off server's start is a move: it claimed while it registered its name
        assertThat(asked).contains(nodes.indexOf(reply.getString("node")) + " " + id + " true");
      }
      leaving.await(30, TimeUnit.SECONDS);
    } finally {
      TestClusters.closeAll(members);
    }
  }

  /** Asks the other hooks of its Vert.x instance whether a starting server is moved, records it, and says no itself. */
  private record MovedSpy(Vertx vertx, int member, List<String> asked) implements ServerHandoff {
    @Override
    public void released(Server<?> server) {
    }

    @Override
    public boolean movedHere(Server<?> server) {
      boolean moved = Overseer.serverHandoffs(vertx).stream().filter(h -> h != this).anyMatch(h -> h.movedHere(server));
      asked.add(member + " " + server.name() + " " + moved);
      return false;
    }
  }
}
