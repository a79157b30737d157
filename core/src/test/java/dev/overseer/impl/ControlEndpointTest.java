package dev.overseer.impl;

import dev.overseer.ChildStatus;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorOptions;
import dev.overseer.testing.Await;
import dev.overseer.testing.NamedChild;
import dev.overseer.testing.Probe;
import dev.overseer.testing.Supervisors;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The control address {@code overseer.supervisor.<name>}, driven as another verticle would. */
@ExtendWith(VertxExtension.class)
class ControlEndpointTest {

  private static final String ADDRESS = SupervisorOptions.CONTROL_ADDRESS_PREFIX + "ctl";

  private final Probe probe = new Probe();
  private final String probeKey = UUID.randomUUID().toString();

  private Supervisor start(Vertx vertx) {
    NamedChild.register(probeKey, probe);
    return Await.result(Supervisor.start(vertx, new SupervisorOptions().setName("ctl").setIntensity(5),
        List.of(Supervisors.probe("a", probe), Supervisors.probe("b", probe))));
  }

  private JsonObject spec(String id) {
    return new JsonObject().put("id", id).put("verticle", NamedChild.class.getName())
        .put("deploymentOptions", new JsonObject().put("config", new JsonObject().put("name", id).put("probe", probeKey)));
  }

  private static JsonObject call(Vertx vertx, String address, Object body) {
    return (JsonObject) Await.result(vertx.eventBus().request(address, body)).body();
  }

  private static ReplyException fail(Vertx vertx, Object body) {
    Throwable t = Await.failure(vertx.eventBus().request(ADDRESS, body));
    assertThat(t).isInstanceOf(ReplyException.class);
    return (ReplyException) t;
  }

  private static JsonObject request(String action, String id) {
    JsonObject json = new JsonObject().put("action", action);
    return id == null ? json : json.put("id", id);
  }

  @Nested
  class Actions {

    @Test
    void whichChildrenListsTheRows(Vertx vertx) {
      start(vertx);
      JsonObject reply = call(vertx, ADDRESS, request("whichChildren", null));
      assertThat(reply.getString("supervisor")).isEqualTo("ctl");
      JsonArray rows = reply.getJsonArray("children");
      assertThat(rows.stream().map(r -> ((JsonObject) r).getString("id"))).containsExactly("a", "b");
      assertThat(rows.getJsonObject(0).getString("status")).isEqualTo("RUNNING");
    }

    @Test
    void countChildrenCounts(Vertx vertx) {
      start(vertx);
      assertThat(call(vertx, ADDRESS, request("countChildren", null)))
          .isEqualTo(new JsonObject().put("specs", 2).put("active", 2).put("supervisors", 0).put("workers", 2));
    }

    @Test
    void getChildSpecReturnsTheSpecJson(Vertx vertx) {
      start(vertx);
      JsonObject spec = call(vertx, ADDRESS, request("getChildSpec", "a"));
      assertThat(spec.getString("id")).isEqualTo("a");
      assertThat(spec.getString("restart")).isEqualTo("PERMANENT");
      assertThat(spec.getString("start")).isEqualTo("supplier");
    }

    @Test
    void startChildStartsAVerticleSpec(Vertx vertx) {
      Supervisor sup = start(vertx);
      assertThat(call(vertx, ADDRESS, new JsonObject().put("action", "startChild").put("spec", spec("c"))))
          .isEqualTo(new JsonObject().put("id", "c"));
      probe.await("started c");
      assertThat(Supervisors.statuses(sup)).containsEntry("c", ChildStatus.RUNNING);
      assertThat(call(vertx, ADDRESS, request("getChildSpec", "c")).getString("verticle")).isEqualTo(NamedChild.class.getName());
    }

    @Test
    void terminateRestartAndDeleteChildWork(Vertx vertx) {
      Supervisor sup = start(vertx);
      JsonObject ok = new JsonObject().put("ok", true);
      assertThat(call(vertx, ADDRESS, request("terminateChild", "a"))).isEqualTo(ok);
      assertThat(Supervisors.statuses(sup)).containsEntry("a", ChildStatus.STOPPED);
      assertThat(call(vertx, ADDRESS, request("restartChild", "a"))).isEqualTo(ok);
      assertThat(Supervisors.statuses(sup)).containsEntry("a", ChildStatus.RUNNING);
      call(vertx, ADDRESS, request("terminateChild", "a"));
      assertThat(call(vertx, ADDRESS, request("deleteChild", "a"))).isEqualTo(ok);
      assertThat(Supervisors.statuses(sup).keySet()).containsExactly("b");
    }

    @Test
    void listensOnAConfiguredAddress(Vertx vertx) {
      Await.result(Supervisor.start(vertx, new SupervisorOptions().setControlAddress("my.control"), List.of(Supervisors.probe("a", probe))));
      assertThat(call(vertx, "my.control", request("countChildren", null)).getInteger("specs")).isEqualTo(1);
    }

    @Test
    void stopsListeningWhenTheSupervisorStops(Vertx vertx) {
      Supervisor sup = start(vertx);
      Await.result(sup.shutdown());
      Throwable t = Await.failure(vertx.eventBus().request(ADDRESS, request("countChildren", null)));
      assertThat(((ReplyException) t).failureType()).isEqualTo(io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS);
    }
  }

  @Nested
  class Errors {

    static Stream<Arguments> badRequests() {
      return Stream.of(
          Arguments.of("a string body", "whichChildren", SupervisorError.BAD_REQUEST, "JSON object"),
          Arguments.of("an array body", new JsonArray().add("whichChildren"), SupervisorError.BAD_REQUEST, "JSON object"),
          Arguments.of("no action", new JsonObject(), SupervisorError.BAD_REQUEST, "action"),
          Arguments.of("a non-string action", new JsonObject().put("action", 3), SupervisorError.BAD_REQUEST, "action"),
          Arguments.of("an unknown action", request("reboot", "a"), SupervisorError.BAD_REQUEST, "unknown action"),
          Arguments.of("no id", request("terminateChild", null), SupervisorError.BAD_REQUEST, "id"),
          Arguments.of("an empty id", request("deleteChild", ""), SupervisorError.BAD_REQUEST, "id"),
          Arguments.of("a numeric id", new JsonObject().put("action", "restartChild").put("id", 1), SupervisorError.BAD_REQUEST, "id"),
          Arguments.of("no spec", request("startChild", null), SupervisorError.BAD_REQUEST, "spec"),
          Arguments.of("a spec without verticle", new JsonObject().put("action", "startChild").put("spec", new JsonObject().put("id", "c")),
              SupervisorError.INVALID_SPEC, "verticle"),
          Arguments.of("a spec with two instances", new JsonObject().put("action", "startChild").put("spec",
              new JsonObject().put("id", "c").put("verticle", NamedChild.class.getName())
                  .put("deploymentOptions", new JsonObject().put("instances", 2))), SupervisorError.INVALID_SPEC, "deploymentOptions.instances"),
          Arguments.of("a spec with a bad restart", new JsonObject().put("action", "startChild").put("spec",
              new JsonObject().put("id", "c").put("verticle", NamedChild.class.getName()).put("restart", "often")),
              SupervisorError.INVALID_SPEC, "restart"));
    }

    @ParameterizedTest(name = "{0} is answered with {2} and changes nothing")
    @MethodSource("badRequests")
    void answersBadInputWithACodeAndChangesNothing(String label, Object body, SupervisorError error, String mentions, Vertx vertx) {
      Supervisor sup = start(vertx);
      Map<String, ChildStatus> before = Supervisors.statuses(sup);
      ReplyException e = fail(vertx, body);
      assertThat(e.failureCode()).isEqualTo(error.code());
      assertThat(e.getMessage()).startsWith(error.name().toLowerCase()).contains(mentions);
      assertThat(Supervisors.statuses(sup)).isEqualTo(before);
      assertThat(probe.lines()).containsExactly("started a", "started b");
    }

    @Test
    void answersShuttingDownWhileTheSupervisorStops(Vertx vertx) {
      Supervisor sup = Await.result(Supervisor.start(vertx, new SupervisorOptions().setName("ctl"),
          List.of(Supervisors.probe("slow", probe, slowStop()).withShutdown(dev.overseer.Shutdown.infinity()))));
      io.vertx.core.Future<Void> stopping = sup.shutdown();
      probe.await("stopping slow");
      ReplyException e = fail(vertx, request("restartChild", "slow"));
      assertThat(e.failureCode()).isEqualTo(SupervisorError.SHUTTING_DOWN.code());
      Await.result(stopping);
    }

    private dev.overseer.testing.ProbeChild.Behaviour slowStop() {
      dev.overseer.testing.ProbeChild.Behaviour b = new dev.overseer.testing.ProbeChild.Behaviour();
      b.stopDelayMillis = 300;
      return b;
    }

    @Test
    void answersAnOperationsErrorWithItsCode(Vertx vertx) {
      start(vertx);
      ReplyException notFound = fail(vertx, request("terminateChild", "zz"));
      assertThat(notFound.failureCode()).isEqualTo(SupervisorError.NOT_FOUND.code());
      assertThat(notFound.getMessage()).startsWith("not_found");
      ReplyException running = fail(vertx, request("deleteChild", "a"));
      assertThat(running.failureCode()).isEqualTo(SupervisorError.RUNNING.code());
      assertThat(running.getMessage()).startsWith("running");
    }
  }
}
