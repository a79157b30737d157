package dev.overseer.impl;

import dev.overseer.ChildAllowList;
import dev.overseer.ChildSpec;
import dev.overseer.ChildStatus;
import dev.overseer.DynamicSupervisor;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.RestartType;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorOptions;
import dev.overseer.testing.Await;
import dev.overseer.testing.NamedChild;
import dev.overseer.testing.Probe;
import dev.overseer.testing.Supervisors;
import dev.overseer.testing.BusEvents;
import dev.overseer.testing.Tripwires;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
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

  /** A supervisor {@code ctl} with children a and b that lets the bus start {@link NamedChild}. */
  private Supervisor start(Vertx vertx) {
    return start(vertx, new SupervisorOptions().setAllowList(ChildAllowList.none().withVerticle(NamedChild.class)));
  }

  private Supervisor start(Vertx vertx, SupervisorOptions options) {
    NamedChild.register(probeKey, probe);
    return Await.result(Supervisor.start(vertx, options.setName("ctl").setIntensity(5),
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

  private static JsonObject startRequest(JsonObject spec) {
    return new JsonObject().put("action", "startChild").put("spec", spec);
  }

  private static JsonObject verticleSpec(String id, String verticle) {
    return new JsonObject().put("id", id).put("verticle", verticle);
  }

  private static String repeat(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  /**
   * Asserts that {@code body} is refused with {@code error}, changes nothing, publishes no event,
   * and that the supervisor still answers. Events are published in order from the supervisor's
   * context, so when the event of a later, real operation arrives, any event the rejected request
   * had published would have arrived before it.
   */
  private void assertRefused(Vertx vertx, Supervisor sup, BusEvents events, Object body, SupervisorError error, String mentions) {
    events.await("SUPERVISOR_STARTED ctl");
    int seen = events.probe().lines().size();
    Map<String, ChildStatus> before = Supervisors.statuses(sup);
    ReplyException e = fail(vertx, body);
    assertThat(e.failureCode()).isEqualTo(error.code());
    assertThat(e.getMessage()).startsWith(error.name().toLowerCase()).contains(mentions);
    assertThat(e.getMessage().length()).isLessThanOrEqualTo(ControlEndpoint.MAX_REPLY_MESSAGE_LENGTH + 20);
    assertThat(Supervisors.statuses(sup)).isEqualTo(before);
    assertThat(call(vertx, ADDRESS, request("countChildren", null)).getInteger("specs")).isEqualTo(before.size());
    call(vertx, ADDRESS, request("terminateChild", "b"));
    events.await("CHILD_TERMINATED ctl/b");
    List<String> lines = events.probe().lines();
    assertThat(lines.subList(seen, lines.size())).containsExactly("CHILD_TERMINATED ctl/b");
    assertThat(probe.lines()).filteredOn(line -> line.startsWith("start")).containsExactly("started a", "started b");
  }

  /** Item 14: starting children over the bus only from what the application allows. */
  @Nested
  class AllowList {

    @Test
    void refusesEveryBusStartByDefault(Vertx vertx) {
      BusEvents events = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      Supervisor sup = start(vertx, new SupervisorOptions());
      assertRefused(vertx, sup, events, startRequest(spec("c")), SupervisorError.FORBIDDEN, "off");
    }

    @Test
    void neverLoadsAClassThatIsNotAllowed(Vertx vertx) {
      BusEvents events = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      Supervisor sup = start(vertx);
      assertRefused(vertx, sup, events, startRequest(verticleSpec("t", Tripwires.name("Verticle"))),
          SupervisorError.FORBIDDEN, "not on the allow-list");
      assertThat(Tripwires.INITIALIZED).doesNotContain("Verticle");
    }

    @ParameterizedTest(name = "an allowed {0} is refused as INVALID_SPEC before its static initializer runs")
    @MethodSource("dev.overseer.impl.ControlEndpointTest#unstartable")
    void checksAnAllowedClassBeforeInitializingIt(String simpleName, String mentions, Vertx vertx) {
      BusEvents events = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      Supervisor sup = start(vertx, new SupervisorOptions().setAllowList(ChildAllowList.none().withVerticles(Tripwires.name(simpleName))));
      assertRefused(vertx, sup, events, startRequest(verticleSpec("t", Tripwires.name(simpleName))),
          SupervisorError.INVALID_SPEC, mentions);
      assertThat(Tripwires.INITIALIZED).doesNotContain(simpleName);
    }

    @ParameterizedTest(name = "{0} cannot be started unless listed")
    @MethodSource("dev.overseer.impl.ControlEndpointTest#powerfulClasses")
    void refusesSupervisorsAndOtherPowerfulClasses(String className, Vertx vertx) {
      BusEvents events = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      Supervisor sup = start(vertx);
      assertRefused(vertx, sup, events, startRequest(verticleSpec("x", className)), SupervisorError.FORBIDDEN, "allow-list");
    }

    @Test
    void startsAnAllowedVerticleNamedWithOrWithoutJavaPrefix(Vertx vertx) {
      Supervisor sup = start(vertx);
      JsonObject prefixed = spec("d").put("verticle", "java:" + NamedChild.class.getName());
      assertThat(call(vertx, ADDRESS, startRequest(prefixed))).isEqualTo(new JsonObject().put("id", "d"));
      probe.await("started d");
      assertThat(Supervisors.statuses(sup)).containsEntry("d", ChildStatus.RUNNING);
    }

    @Test
    void startsATemplateWithTheCallersIdAndTheApplicationsConfig(Vertx vertx) {
      NamedChild.register(probeKey, probe);
      ChildSpec template = ChildSpec.verticle("session", NamedChild.class.getName()).withRestart(RestartType.TEMPORARY)
          .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("name", "from-template").put("probe", probeKey)));
      Supervisor sup = start(vertx, new SupervisorOptions().setAllowList(ChildAllowList.none().withTemplate("session", template)));
      JsonObject reply = call(vertx, ADDRESS, new JsonObject().put("action", "startChild").put("template", "session").put("id", "s1"));
      assertThat(reply).isEqualTo(new JsonObject().put("id", "s1"));
      probe.await("started from-template");
      assertThat(call(vertx, ADDRESS, new JsonObject().put("action", "startChild").put("template", "session")))
          .isEqualTo(new JsonObject().put("id", "session"));
      assertThat(Supervisors.statuses(sup)).containsEntry("s1", ChildStatus.RUNNING).containsEntry("session", ChildStatus.RUNNING);
      assertThat(Await.result(sup.getChildSpec("s1")).restart()).isEqualTo(RestartType.TEMPORARY);
      // The template is the only way in: a spec naming the same class is refused.
      ReplyException e = fail(vertx, startRequest(spec("c")));
      assertThat(e.failureCode()).isEqualTo(SupervisorError.FORBIDDEN.code());
    }

    @Test
    void refusesAnUnknownTemplateAndACallerChosenConfig(Vertx vertx) {
      BusEvents events = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      Supervisor sup = start(vertx, new SupervisorOptions().setAllowList(ChildAllowList.none()
          .withTemplate("session", ChildSpec.verticle("session", NamedChild.class.getName()))));
      assertRefused(vertx, sup, events, new JsonObject().put("action", "startChild").put("template", "admin"),
          SupervisorError.FORBIDDEN, "no template named 'admin'");
    }

    @Test
    void appliesTheSameListToADynamicSupervisor(Vertx vertx) {
      NamedChild.register(probeKey, probe);
      DynamicSupervisor sup = Await.result(DynamicSupervisor.start(vertx, new DynamicSupervisorOptions().setName("dyn")));
      Throwable t = Await.failure(vertx.eventBus().request(SupervisorOptions.CONTROL_ADDRESS_PREFIX + "dyn", startRequest(spec("c"))));
      assertThat(((ReplyException) t).failureCode()).isEqualTo(SupervisorError.FORBIDDEN.code());
      assertThat(Await.result(sup.whichChildren())).isEmpty();
    }
  }

  static Stream<Arguments> unstartable() {
    return Stream.of(
        Arguments.of("NotAVerticle", "not a Deployable"),
        Arguments.of("NoDefaultConstructor", "no public no-argument constructor"),
        Arguments.of("Abstract", "concrete"));
  }

  static Stream<Arguments> powerfulClasses() {
    return Stream.of(
        Arguments.of(DynamicSupervisor.class.getName()),
        Arguments.of(Supervisor.class.getName()),
        Arguments.of("dev.overseer.console.Console"),
        Arguments.of("java:" + Tripwires.name("Verticle")));
  }

  /** Item 15: a child's config (secrets) does not leave through the bus unless the application says so. */
  @Nested
  class Redaction {

    private Supervisor startWithSecret(Vertx vertx, boolean reveal) {
      Supervisor sup = start(vertx, new SupervisorOptions().setRevealConfig(reveal)
          .setAllowList(ChildAllowList.none().withVerticle(NamedChild.class)));
      Await.result(sup.startChild(ChildSpec.verticle("db", NamedChild.class.getName()).withDeploymentOptions(new DeploymentOptions()
          .setConfig(new JsonObject().put("name", "db").put("probe", probeKey).put("password", "hunter2")))));
      return sup;
    }

    @Test
    void getChildSpecLeavesOutTheConfigByDefault(Vertx vertx) {
      BusEvents events = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      startWithSecret(vertx, false);
      JsonObject spec = call(vertx, ADDRESS, request("getChildSpec", "db"));
      assertThat(spec.encode()).doesNotContain("hunter2");
      assertThat(spec.getBoolean(ChildSpec.REDACTED)).isTrue();
      assertThat(spec.getString("verticle")).isEqualTo(NamedChild.class.getName());
      assertThat(spec.getJsonObject("deploymentOptions").getInteger("instances")).isEqualTo(1);
      call(vertx, ADDRESS, request("terminateChild", "db"));
      events.await("CHILD_TERMINATED ctl/db");
      assertThat(call(vertx, ADDRESS, request("whichChildren", null)).encode()).doesNotContain("hunter2");
      assertThat(events.bodies().toString()).doesNotContain("hunter2");
    }

    @Test
    void aRedactedSpecCannotBeStartedAgainWithoutItsConfig(Vertx vertx) {
      startWithSecret(vertx, false);
      JsonObject spec = call(vertx, ADDRESS, request("getChildSpec", "db")).put("id", "db2");
      ReplyException e = fail(vertx, startRequest(spec));
      assertThat(e.failureCode()).isEqualTo(SupervisorError.INVALID_SPEC.code());
      assertThat(e.getMessage()).contains(ChildSpec.REDACTED);
    }

    @Test
    void revealsTheConfigWhenTheApplicationOptsIn(Vertx vertx) {
      startWithSecret(vertx, true);
      JsonObject spec = call(vertx, ADDRESS, request("getChildSpec", "db"));
      assertThat(spec.getJsonObject("deploymentOptions").getJsonObject("config").getString("password")).isEqualTo("hunter2");
      assertThat(spec.containsKey(ChildSpec.REDACTED)).isFalse();
    }
  }

  /**
   * Items 17 and 19, and every other shape of bad input: each is refused with a code, changes
   * nothing, publishes nothing, and the supervisor keeps answering.
   */
  @Nested
  class Malformed {

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("dev.overseer.impl.ControlEndpointTest#malformed")
    void isRefusedWithACodeChangesNothingAndPublishesNothing(String label, Object body, SupervisorError error, String mentions, Vertx vertx) {
      BusEvents events = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      Supervisor sup = start(vertx);
      assertRefused(vertx, sup, events, body, error, mentions);
    }
  }

  static Stream<Arguments> malformed() {
    String cls = NamedChild.class.getName();
    JsonObject ok = verticleSpec("c", cls);
    String mega = repeat('x', 1 << 20);
    JsonObject deep = new JsonObject();
    for (int i = 0; i < 200; i++) {
      deep = new JsonObject().put("n", deep);
    }
    SupervisorError bad = SupervisorError.BAD_REQUEST;
    SupervisorError invalid = SupervisorError.INVALID_SPEC;
    return Stream.of(
        // bodies that are not a JSON object
        Arguments.of("a string body", "whichChildren", bad, "JSON object"),
        Arguments.of("a huge string body", mega, bad, "a string"),
        Arguments.of("an array body", new JsonArray().add("whichChildren"), bad, "JSON object"),
        Arguments.of("no body", null, bad, "no body"),
        Arguments.of("a number body", 42, bad, "JSON object"),
        Arguments.of("a boolean body", true, bad, "JSON object"),
        Arguments.of("a buffer body", Buffer.buffer("{\"action\":\"whichChildren\"}"), bad, "JSON object"),
        // action
        Arguments.of("no action", new JsonObject(), bad, "action"),
        Arguments.of("a numeric action", new JsonObject().put("action", 3), bad, "action"),
        Arguments.of("a null action", new JsonObject().putNull("action"), bad, "action"),
        Arguments.of("an object action", new JsonObject().put("action", new JsonObject()), bad, "action"),
        Arguments.of("an array action", new JsonObject().put("action", new JsonArray().add("whichChildren")), bad, "action"),
        Arguments.of("an unknown action", request("reboot", "a"), bad, "unknown action"),
        Arguments.of("a 1 MB action", new JsonObject().put("action", mega), bad, "larger than"),
        Arguments.of("a 10 kB action", new JsonObject().put("action", repeat('y', 10_000)), bad, "unknown action"),
        Arguments.of("an action in the wrong case", request("TERMINATECHILD", "a"), bad, "unknown action"),
        Arguments.of("an extra field", request("whichChildren", null).put("verbose", true), bad, "verbose"),
        Arguments.of("an id where none is taken", request("countChildren", "a"), bad, "id"),
        // id
        Arguments.of("no id", request("terminateChild", null), bad, "id"),
        Arguments.of("an empty id", request("deleteChild", ""), bad, "id"),
        Arguments.of("a numeric id", new JsonObject().put("action", "restartChild").put("id", 1), bad, "id"),
        Arguments.of("a null id", new JsonObject().put("action", "terminateChild").putNull("id"), bad, "id"),
        Arguments.of("an object id", new JsonObject().put("action", "terminateChild").put("id", new JsonObject().put("a", 1)), bad, "id"),
        Arguments.of("an array id", new JsonObject().put("action", "getChildSpec").put("id", new JsonArray().add("a")), bad, "id"),
        Arguments.of("a boolean id", new JsonObject().put("action", "getChildSpec").put("id", true), bad, "id"),
        Arguments.of("a 1 MB id", request("terminateChild", mega), bad, "larger than"),
        Arguments.of("a 1000-character id", request("terminateChild", repeat('z', 1000)), bad, "at most"),
        Arguments.of("an unknown id", request("terminateChild", "zz"), SupervisorError.NOT_FOUND, "zz"),
        // startChild's shape
        Arguments.of("no spec", request("startChild", null), bad, "spec"),
        Arguments.of("a string spec", new JsonObject().put("action", "startChild").put("spec", "c"), bad, "spec"),
        Arguments.of("an array spec", new JsonObject().put("action", "startChild").put("spec", new JsonArray()), bad, "spec"),
        Arguments.of("a spec and a template", startRequest(ok).put("template", "t"), bad, "either"),
        Arguments.of("a spec and an id", startRequest(ok).put("id", "d"), bad, "id"),
        Arguments.of("a numeric template", new JsonObject().put("action", "startChild").put("template", 1), bad, "template"),
        Arguments.of("a 1 MB spec", startRequest(ok.copy().put("deploymentOptions",
            new JsonObject().put("config", new JsonObject().put("blob", mega)))), bad, "larger than"),
        Arguments.of("a spec nested 200 deep", startRequest(ok.copy().put("deploymentOptions",
            new JsonObject().put("config", deep))), bad, "nested"),
        // the spec's fields (item 19)
        Arguments.of("a spec without verticle", startRequest(new JsonObject().put("id", "c")), invalid, "verticle"),
        Arguments.of("a spec with a numeric id", startRequest(verticleSpec("c", cls).put("id", 5)), invalid, "id"),
        Arguments.of("a spec with a 300-character id", startRequest(verticleSpec(repeat('i', 300), cls)), invalid, "at most"),
        Arguments.of("a spec with a bad restart", startRequest(ok.copy().put("restart", "often")), invalid, "restart"),
        Arguments.of("a spec with a numeric restart", startRequest(ok.copy().put("restart", 2)), invalid, "restart"),
        Arguments.of("a spec with a bad shutdown", startRequest(ok.copy().put("shutdown", "never")), invalid, "shutdown"),
        Arguments.of("a spec with a string significant", startRequest(ok.copy().put("significant", "yes")), invalid, "significant"),
        Arguments.of("a spec with an unknown field", startRequest(ok.copy().put("restrat", "TEMPORARY")), invalid, "restrat"),
        Arguments.of("a supplier spec", startRequest(ChildSpec.worker("c", () -> null).toJson()), invalid, "start"),
        Arguments.of("a spec with two instances", startRequest(ok.copy().put("deploymentOptions", new JsonObject().put("instances", 2))),
            invalid, "deploymentOptions.instances"),
        Arguments.of("instances \"one\"", startRequest(ok.copy().put("deploymentOptions", new JsonObject().put("instances", "one"))),
            invalid, "deploymentOptions.instances"),
        Arguments.of("config \"x\"", startRequest(ok.copy().put("deploymentOptions", new JsonObject().put("config", "x"))),
            invalid, "deploymentOptions.config"),
        Arguments.of("ha \"yes\"", startRequest(ok.copy().put("deploymentOptions", new JsonObject().put("ha", "yes"))),
            invalid, "deploymentOptions.ha"),
        Arguments.of("ha true", startRequest(ok.copy().put("deploymentOptions", new JsonObject().put("ha", true))),
            invalid, "deploymentOptions.ha"),
        Arguments.of("an unknown threading model", startRequest(ok.copy().put("deploymentOptions",
            new JsonObject().put("threadingModel", "FAST"))), invalid, "deploymentOptions.threadingModel"),
        Arguments.of("a worker pool of 0", startRequest(ok.copy().put("deploymentOptions",
            new JsonObject().put("workerPoolSize", 0))), invalid, "deploymentOptions.workerPoolSize"),
        Arguments.of("a misspelt deployment option", startRequest(ok.copy().put("deploymentOptions",
            new JsonObject().put("instance", 1))), invalid, "deploymentOptions.instance"),
        Arguments.of("a class that does not exist", startRequest(verticleSpec("c", "no.such.Verticle")),
            SupervisorError.FORBIDDEN, "allow-list"),
        Arguments.of("a taken id", startRequest(verticleSpec("a", cls)), SupervisorError.ALREADY_STARTED, "'a'"));
  }

  /** Item 19 over the bus: an allowed class name that does not exist is the caller's mistake (400), not a failed start. */
  @Test
  void answersAnAllowedButMissingClassWithInvalidSpecAndNoEvent(Vertx vertx) {
    BusEvents events = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
    Supervisor sup = start(vertx, new SupervisorOptions().setAllowList(ChildAllowList.none().withVerticles("no.such.Verticle")));
    assertRefused(vertx, sup, events, startRequest(verticleSpec("c", "no.such.Verticle")), SupervisorError.INVALID_SPEC, "no class named");
  }
}
