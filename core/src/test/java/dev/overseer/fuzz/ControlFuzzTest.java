package dev.overseer.fuzz;

import dev.overseer.ChildInfo;
import dev.overseer.DynamicSupervisor;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorBase;
import dev.overseer.SupervisorOptions;
import dev.overseer.testing.Await;
import dev.overseer.testing.NamedChild;
import dev.overseer.testing.Probe;
import dev.overseer.testing.Supervisors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A supervisor's control address (and a dynamic supervisor's), fed generated hostile messages:
 * bodies of every type, unknown and misspelt actions, ids of children that do not exist, specs
 * that name classes that are not verticles. Each must get a failure reply with a code, change
 * nothing (the children's rows are compared before and after every message) and leave the
 * supervisor running. Mutating actions are only aimed at ids that do not exist, so any change is
 * a bug.
 */
class ControlFuzzTest {

  private static final int INPUTS = 12_000;
  private static final List<String> ACTIONS = List.of("whichChildren", "countChildren", "getChildSpec", "startChild",
      "terminateChild", "restartChild", "deleteChild", "WHICHCHILDREN", "start_child", "", "shutdown", "eval");

  private Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void staticSupervisor() {
    Probe probe = new Probe();
    Supervisor sup = Await.result(Supervisor.start(vertx, new SupervisorOptions().setName("fuzz"),
        List.of(Supervisors.probe("alpha", probe), Supervisors.probe("beta", probe), Supervisors.probe("gamma", probe))));
    fuzz(sup, "control/supervisor", INPUTS);
  }

  @Test
  void dynamicSupervisor() {
    DynamicSupervisor sup = Await.result(DynamicSupervisor.start(vertx, new DynamicSupervisorOptions().setName("fuzzdyn").setMaxChildren(3)));
    Await.result(sup.startChild(Supervisors.probe("alpha", new Probe())));
    fuzz(sup, "control/dynamic", INPUTS / 3);
  }

  private void fuzz(SupervisorBase sup, String target, int inputs) {
    String address = SupervisorOptions.CONTROL_ADDRESS_PREFIX + sup.name();
    Fuzz fuzz = new Fuzz(Fuzz.seed(target));
    Tally tally = new Tally(target, fuzz.seed());
    Map<String, String> before = snapshot(sup);
    for (int i = 0; i < inputs; i++) {
      Object input = input(fuzz);
      tally.tried++;
      Future<Message<Object>> reply = vertx.eventBus().request(address, input, new DeliveryOptions().setSendTimeout(5000));
      try {
        reply.await(10, TimeUnit.SECONDS);
        String action = input instanceof JsonObject ? String.valueOf(((JsonObject) input).getValue("action")) : "";
        if (List.of("whichChildren", "countChildren").contains(action)) {
          tally.accepted++;
        } else {
          tally.unclear++;
          tally.problem("a success reply to a request that should fail: " + reply.result().body(), input);
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
      if (!vertx.deploymentIDs().contains(sup.deploymentId())) {
        tally.deaths++;
        tally.problem("the supervisor stopped", input);
        break;
      }
      Map<String, String> after = snapshot(sup);
      if (!after.equals(before)) {
        tally.stateChanges++;
        tally.problem("children changed from " + before + " to " + after, input);
        before = after;
      }
    }
    tally.print();
    assertThat(tally.tried).isEqualTo(inputs);
    assertThat(tally.rejected).isPositive();
    assertThat(tally.accepted).as("valid read-only requests answered").isPositive();
    assertThat(tally.clean()).as(tally.summary()).isTrue();
    // Still answering, with the same children.
    JsonObject rows = (JsonObject) Await.result(vertx.eventBus().request(address, new JsonObject().put("action", "whichChildren"))).body();
    assertThat(rows.getJsonArray("children")).hasSize(before.size());
  }

  /** Every child's row as text (status, deployment, restarts), by id. */
  private static Map<String, String> snapshot(SupervisorBase sup) {
    List<ChildInfo> rows = Await.result(sup.whichChildren());
    return rows.stream().collect(Collectors.toMap(ChildInfo::id,
        r -> r.status() + "/" + r.deploymentId() + "/" + r.restartCount(), (a, b) -> a, java.util.TreeMap::new));
  }

  private static Object input(Fuzz fuzz) {
    switch (fuzz.nextInt(4)) {
      case 0:
        return fuzz.body();
      case 1: {
        JsonObject json = fuzz.object(2);
        json.put("action", fuzz.random().nextBoolean() ? fuzz.oneOf(ACTIONS.toArray()) : fuzz.value(1));
        return json;
      }
      default: {
        JsonObject json = new JsonObject().put("action", ACTIONS.get(fuzz.nextInt(ACTIONS.size())));
        if (fuzz.random().nextBoolean()) {
          json.put("id", fuzz.random().nextInt(4) == 0 ? fuzz.value(1) : "no-such-" + fuzz.string());
        }
        if (fuzz.random().nextBoolean()) {
          JsonObject spec = new JsonObject().put("id", "new-" + fuzz.nextInt(1000))
              .put("verticle", fuzz.oneOf("java.lang.Runtime", "java.lang.Object", "dev.overseer.Supervisor", "no.such.Verticle", "", fuzz.string(),
                  NamedChild.class.getName()));   // a real verticle: only an allow-list may let it in
          json.put("spec", fuzz.random().nextInt(3) == 0 ? fuzz.value(2) : fuzz.mutate(spec, Map.of()));
        }
        return json;
      }
    }
  }
}
