package dev.overseer.cluster.fuzz;

import dev.overseer.ChildSpec;
import dev.overseer.cluster.ChildPlacement;
import dev.overseer.cluster.DistributedSupervisor;
import dev.overseer.cluster.DistributedSupervisorOptions;
import dev.overseer.cluster.OverseerCluster;
import dev.overseer.cluster.testing.DsCounter;
import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.fuzz.Fuzz;
import dev.overseer.fuzz.Tally;
import dev.overseer.testing.Await;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distributed supervisor's control address on a three-member cluster in this JVM, fed
 * generated hostile messages from every member: bodies of every type, unknown actions, absent
 * ids, specs naming classes outside the allow-list. Each must get a failure reply with a code
 * (reads may succeed), change nothing (placements and statuses compared after every message) and
 * leave the supervisor running on every member.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistributedControlFuzzTest {

  private static final int INPUTS = 3_000;
  private static final List<String> ACTIONS = List.of("whichChildren", "countChildren", "getChildSpec", "placements",
      "startChild", "terminateChild", "restartChild", "deleteChild", "ensure", "stop", "local", "", "PLACEMENTS");

  private List<OverseerCluster> members;

  @BeforeAll
  void start() {
    String name = TestClusters.randomName();
    List<Integer> ports = TestClusters.freePorts(3);
    members = new ArrayList<>();
    for (int p : ports) {
      members.add(OverseerCluster.start(TestClusters.options(name, p, ports).setQuorum(2)).await());
    }
  }

  @AfterAll
  void close() {
    TestClusters.closeAll(members);
  }

  private static Map<String, String> snapshot(DistributedSupervisor sup) {
    Map<String, String> rows = new TreeMap<>();
    for (ChildPlacement c : Await.result(sup.placements())) {
      rows.put(c.id(), c.toJson().encode());
    }
    return rows;
  }

  @Test
  void everyMessageIsRefusedOrAnsweredAndChangesNothing() {
    List<DistributedSupervisor> sups = new ArrayList<>();
    List<String> deployments = new ArrayList<>();
    for (OverseerCluster m : members) {
      DistributedSupervisor s = new DistributedSupervisor(m.hazelcast(), new DistributedSupervisorOptions().setName("fuzzds")
          .addAllowedVerticle(DsCounter.class.getName()).setExpectedMembers(3).setQuorum(2).setRequestTimeout(Duration.ofSeconds(2)));
      deployments.add(Await.result(m.vertx().deployVerticle(s)));
      sups.add(s);
    }
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!sups.stream().allMatch(s -> Await.result(s.supervisorMembersCount()) == 3)) {
      assertThat(System.nanoTime()).as("every member sees 3 supervisor members in time").isLessThan(end);
      Await.result(members.get(0).vertx().timer(20));
    }
    for (String id : List.of("fz-a", "fz-b", "fz-c")) {
      Await.result(sups.get(0).startChild(ChildSpec.verticle(id, DsCounter.class.getName())
          .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("id", id)))));
    }
    String address = sups.get(0).controlAddress();
    Fuzz fuzz = new Fuzz(Fuzz.seed("control/distributed"));
    Tally tally = new Tally("control/distributed", fuzz.seed());
    Map<String, String> before = snapshot(sups.get(0));
    for (int i = 0; i < INPUTS; i++) {
      Object input = input(fuzz);
      Vertx from = members.get(fuzz.nextInt(members.size())).vertx();
      tally.tried++;
      try {
        from.eventBus().request(address, input, new DeliveryOptions().setSendTimeout(5000)).await(10, TimeUnit.SECONDS);
        String action = input instanceof JsonObject ? String.valueOf(((JsonObject) input).getValue("action")) : "";
        if (List.of("whichChildren", "countChildren", "placements").contains(action)) {
          tally.accepted++;
        } else {
          tally.unclear++;
          tally.problem("a success reply to a request that should fail", input);
        }
      } catch (ReplyException e) {
        if (e.failureType() == ReplyFailure.RECIPIENT_FAILURE && e.failureCode() > 0 && e.getMessage() != null && !e.getMessage().isBlank()) {
          tally.rejected++;
        } else {
          tally.unclear++;
          tally.problem("failure without a code or reason: " + e.failureType() + "/" + e.failureCode() + " " + e.getMessage(), input);
        }
      } catch (Exception e) {
        tally.unclear++;
        tally.problem("no reply: " + e, input);
      }
      if (i % 50 == 0 || i == INPUTS - 1) {
        Map<String, String> after = snapshot(sups.get(fuzz.nextInt(sups.size())));
        if (!after.equals(before)) {
          tally.stateChanges++;
          tally.problem("placements changed from " + before + " to " + after + " (within the last 50 inputs)", input);
          before = after;
        }
      }
    }
    for (int m = 0; m < members.size(); m++) {
      if (!members.get(m).vertx().deploymentIDs().contains(deployments.get(m))) {
        tally.deaths++;
        tally.problem("the supervisor stopped on member " + m, "(all)");
      }
    }
    tally.print();
    assertThat(tally.rejected).isPositive();
    assertThat(tally.accepted).isPositive();
    assertThat(tally.clean()).as(tally.summary()).isTrue();
  }

  private static Object input(Fuzz fuzz) {
    switch (fuzz.nextInt(4)) {
      case 0:
        return fuzz.body();
      case 1: {
        JsonObject json = fuzz.object(2);
        json.put("action", fuzz.random().nextBoolean() ? ACTIONS.get(fuzz.nextInt(ACTIONS.size())) : fuzz.value(1));
        return json;
      }
      default: {
        JsonObject json = new JsonObject().put("action", ACTIONS.get(fuzz.nextInt(ACTIONS.size())));
        if (fuzz.random().nextBoolean()) {
          json.put("id", fuzz.random().nextInt(4) == 0 ? fuzz.value(1) : "no-such-" + fuzz.string());
        }
        if (fuzz.random().nextBoolean()) {
          JsonObject spec = new JsonObject().put("id", "new-" + fuzz.nextInt(1000))
              .put("verticle", fuzz.oneOf("java.lang.Runtime", "java.lang.Object", "dev.overseer.Supervisor", "no.such.Verticle", "", fuzz.string()));
          json.put("spec", fuzz.random().nextInt(3) == 0 ? fuzz.value(2) : fuzz.mutate(spec, Map.of()));
        }
        return json;
      }
    }
  }
}
