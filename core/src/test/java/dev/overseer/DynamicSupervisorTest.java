package dev.overseer;

import dev.overseer.testing.Await;
import dev.overseer.testing.EventLog;
import dev.overseer.testing.Probe;
import dev.overseer.testing.ProbeChild;
import dev.overseer.testing.Supervisors;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.overseer.SupervisorEvent.Type.CHILD_EXITED;
import static dev.overseer.SupervisorEvent.Type.CHILD_RESTARTED;
import static dev.overseer.SupervisorEvent.Type.MAX_INTENSITY_REACHED;
import static dev.overseer.testing.Supervisors.probe;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link DynamicSupervisor}: OTP's {@code simple_one_for_one} / Elixir's DynamicSupervisor. */
@ExtendWith(VertxExtension.class)
class DynamicSupervisorTest {

  private final Probe probe = new Probe();
  private final EventLog events = new EventLog();

  private DynamicSupervisor start(Vertx vertx, DynamicSupervisorOptions options) {
    DynamicSupervisor sup = new DynamicSupervisor(options);
    sup.addListener(events);
    Await.result(vertx.deployVerticle(sup));
    return sup;
  }

  private static DynamicSupervisorOptions options() {
    return new DynamicSupervisorOptions().setIntensity(10).setPeriod(Duration.ofSeconds(30));
  }

  @Nested
  class Start {

    @Test
    void startsWithNoChildren(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options());
      assertThat(Await.result(sup.whichChildren())).isEmpty();
      assertThat(sup.name()).startsWith("dynamic-supervisor-");
      assertThat(events.lines()).containsExactly("SUPERVISOR_STARTED");
    }

    static Stream<Arguments> badOptions() {
      return Stream.of(
          Arguments.of(new DynamicSupervisorOptions().setStrategy(RestartStrategy.ONE_FOR_ALL), "strategy"),
          Arguments.of(new DynamicSupervisorOptions().setStrategy(RestartStrategy.REST_FOR_ONE), "strategy"),
          Arguments.of(new DynamicSupervisorOptions().setAutoShutdown(AutoShutdown.ANY_SIGNIFICANT), "autoShutdown"),
          Arguments.of(new DynamicSupervisorOptions().setAutoShutdown(AutoShutdown.ALL_SIGNIFICANT), "autoShutdown"),
          Arguments.of(new DynamicSupervisorOptions().setMaxChildren(0), "maxChildren"),
          Arguments.of(new DynamicSupervisorOptions().setIntensity(-1), "intensity"),
          Arguments.of(new DynamicSupervisorOptions().setPeriod(Duration.ZERO), "period"));
    }

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @MethodSource("badOptions")
    void rejectsBadOptionsNamingTheField(DynamicSupervisorOptions options, String field, Vertx vertx) {
      SupervisorException e = Await.error(DynamicSupervisor.start(vertx, options), SupervisorError.INVALID_SPEC);
      assertThat(e.getMessage()).startsWith("invalid_spec: " + field + ":");
      assertThat(vertx.deploymentIDs()).isEmpty();
    }
  }

  @Nested
  class StartChild {

    @Test
    void startsChildrenOnDemandInArrivalOrder(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options());
      Await.result(sup.startChild(probe("a", probe)));
      Await.result(sup.startChild(probe("b", probe)));
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.RUNNING), Map.entry("b", ChildStatus.RUNNING));
      assertThat(probe.lines()).containsExactly("started a", "started b");
    }

    @Test
    void failsWithAlreadyStartedForAnIdInUse(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options());
      Await.result(sup.startChild(probe("a", probe)));
      Await.error(sup.startChild(probe("a", probe)), SupervisorError.ALREADY_STARTED);
      assertThat(probe.lines()).containsExactly("started a");
    }

    @Test
    void failsWithMaxChildrenAndStartsNothing(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options().setMaxChildren(2));
      Await.result(sup.startChild(probe("a", probe)));
      Await.result(sup.startChild(probe("b", probe)));
      SupervisorException e = Await.error(sup.startChild(probe("c", probe)), SupervisorError.MAX_CHILDREN);
      assertThat(e).hasMessageContaining("maxChildren");
      assertThat(probe.lines()).doesNotContain("started c");
      Await.result(sup.terminateChild("a"));
      Await.result(sup.startChild(probe("c", probe)));
      assertThat(Supervisors.statuses(sup).keySet()).containsExactly("b", "c");
    }

    @Test
    void failsWithStartFailedAndKeepsNoSpec(Vertx vertx) {
      ProbeChild.Behaviour failing = new ProbeChild.Behaviour();
      failing.failAllStarts = true;
      DynamicSupervisor sup = start(vertx, options().setMaxChildren(1));
      Await.error(sup.startChild(probe("a", probe, failing)), SupervisorError.START_FAILED);
      assertThat(Await.result(sup.whichChildren())).isEmpty();
      Await.result(sup.startChild(probe("b", probe)));
    }

    @Test
    void mergesExtraArgumentsIntoTheChildsConfigWithTheChildWinning(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options().setExtraArguments(new JsonObject().put("region", "eu").put("tier", "free")));
      Await.result(sup.startChild(probe("a", probe)
          .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("tier", "gold")))));
      Await.result(sup.startChild(probe("b", probe)));
      Object a = Await.result(vertx.eventBus().request(ProbeChild.address("a"), "config")).body();
      Object b = Await.result(vertx.eventBus().request(ProbeChild.address("b"), "config")).body();
      assertThat(new JsonObject((String) a)).isEqualTo(new JsonObject().put("region", "eu").put("tier", "gold"));
      assertThat(new JsonObject((String) b)).isEqualTo(new JsonObject().put("region", "eu").put("tier", "free"));
    }

    @Test
    void givesAChildWithoutConfigAnEmptyOneWhenThereAreNoExtraArguments(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options());
      Await.result(sup.startChild(probe("a", probe)));
      Await.result(sup.startChild(probe("b", probe)
          .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("tier", "gold")))));
      Object a = Await.result(vertx.eventBus().request(ProbeChild.address("a"), "config")).body();
      Object b = Await.result(vertx.eventBus().request(ProbeChild.address("b"), "config")).body();
      assertThat(new JsonObject((String) a)).isEqualTo(new JsonObject());
      assertThat(new JsonObject((String) b)).isEqualTo(new JsonObject().put("tier", "gold"));
    }

    @Test
    void rejectsASignificantChild(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options());
      Await.error(sup.startChild(probe("a", probe).withRestart(RestartType.TRANSIENT).withSignificant(true)),
          SupervisorError.INVALID_SPEC);
      assertThat(probe.lines()).isEmpty();
    }
  }

  @Nested
  class TerminateChild {

    @Test
    void stopsAndDeletesTheChild(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options());
      Await.result(sup.startChild(probe("a", probe)));
      Await.result(sup.terminateChild("a"));
      assertThat(Await.result(sup.whichChildren())).isEmpty();
      assertThat(probe.lines()).containsExactly("started a", "stopping a", "stopped a");
      Await.error(sup.terminateChild("a"), SupervisorError.NOT_FOUND);
    }

    /** terminateChild holds the supervisor for one child's whole shutdown: three take three stop times. */
    @Test
    void oneAfterTheOther(Vertx vertx) {
      ProbeChild.Behaviour slow = new ProbeChild.Behaviour();
      slow.stopDelayMillis = 100;
      DynamicSupervisor sup = start(vertx, options());
      for (String id : List.of("a", "b", "c")) {
        Await.result(sup.startChild(probe(id, probe, slow)));
      }
      Await.result(io.vertx.core.Future.all(sup.terminateChild("a"), sup.terminateChild("b"), sup.terminateChild("c")));
      assertThat(probe.lines().subList(3, 9)).containsExactly("stopping a", "stopped a", "stopping b", "stopped b",
          "stopping c", "stopped c");
    }
  }

  @Nested
  class TerminateChildren {

    @Test
    void stopsAndDeletesThemConcurrently(Vertx vertx) {
      ProbeChild.Behaviour slow = new ProbeChild.Behaviour();
      slow.stopDelayMillis = 200;
      DynamicSupervisor sup = start(vertx, options());
      for (String id : List.of("a", "b", "c", "d")) {
        Await.result(sup.startChild(probe(id, probe, slow)));
      }
      Await.result(sup.terminateChildren(List.of("a", "b", "c", "a")));
      List<String> stops = probe.lines().subList(4, 10);
      // every stop began before any finished
      assertThat(stops.subList(0, 3)).containsExactlyInAnyOrder("stopping a", "stopping b", "stopping c");
      assertThat(stops.subList(3, 6)).containsExactlyInAnyOrder("stopped a", "stopped b", "stopped c");
      assertThat(Await.result(sup.whichChildren())).extracting(ChildInfo::id).containsExactly("d");
      for (String id : List.of("a", "b", "c")) {
        events.await(SupervisorEvent.Type.CHILD_TERMINATED, id);
      }
    }

    @Test
    void anUnknownIdStopsNothing(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options());
      Await.result(sup.startChild(probe("a", probe)));
      Await.error(sup.terminateChildren(List.of("a", "nobody")), SupervisorError.NOT_FOUND);
      assertThat(Await.result(sup.whichChildren())).extracting(ChildInfo::id).containsExactly("a");
      assertThat(probe.lines()).containsExactly("started a");
      Await.result(sup.terminateChildren(List.of()));
      assertThat(Await.result(sup.whichChildren())).hasSize(1);
    }
  }

  @Nested
  class Unsupported {

    @Test
    void restartChildIsUnsupported(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options());
      Await.result(sup.startChild(probe("a", probe)));
      Await.error(sup.restartChild("a"), SupervisorError.UNSUPPORTED);
    }

    @Test
    void deleteChildIsUnsupported(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options());
      Await.result(sup.startChild(probe("a", probe)));
      Await.error(sup.deleteChild("a"), SupervisorError.UNSUPPORTED);
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.RUNNING));
    }
  }

  @Nested
  class Exits {

    static Stream<Arguments> grid() {
      return Stream.of(
          Arguments.of(RestartType.PERMANENT, "exit-normal", true),
          Arguments.of(RestartType.PERMANENT, "crash", true),
          Arguments.of(RestartType.TRANSIENT, "exit-normal", false),
          Arguments.of(RestartType.TRANSIENT, "exit-shutdown", false),
          Arguments.of(RestartType.TRANSIENT, "crash", true),
          Arguments.of(RestartType.TEMPORARY, "exit-normal", false),
          Arguments.of(RestartType.TEMPORARY, "crash", false));
    }

    @ParameterizedTest(name = "{0} child after {1}: restarted = {2}, else forgotten")
    @MethodSource("grid")
    void restartsOrForgetsTheChild(RestartType type, String command, boolean restarted, Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options());
      Await.result(sup.startChild(probe("a", probe).withRestart(type)));
      Await.result(sup.startChild(probe("b", probe)));
      vertx.eventBus().send(ProbeChild.address("a"), command);
      events.await(CHILD_EXITED, "a");
      if (restarted) {
        events.await(CHILD_RESTARTED, "a");
        assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.RUNNING), Map.entry("b", ChildStatus.RUNNING));
      } else {
        assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("b", ChildStatus.RUNNING));
      }
      assertThat(probe.lines()).doesNotContain("stopping b");
    }

    @Test
    void escalatesPastTheIntensity(Vertx vertx) {
      DynamicSupervisor sup = start(vertx, options().setIntensity(0));
      Await.result(sup.startChild(probe("a", probe)));
      vertx.eventBus().send(ProbeChild.address("a"), "crash");
      events.await(MAX_INTENSITY_REACHED, "a");
      Await.error(sup.terminationFuture(), SupervisorError.MAX_INTENSITY);
    }
  }

  /** OTP's {@code hanging_restart_loop_simple}. */
  @Nested
  class HangingRestartLoop {

    @Test
    void keepsAnsweringAndTerminateChildStopsTheRetriesAndDeletesTheChild(Vertx vertx) {
      ProbeChild.Behaviour a = new ProbeChild.Behaviour();
      DynamicSupervisor sup = start(vertx, options().setIntensity(1_000_000).setPeriod(Duration.ofSeconds(60)));
      Await.result(sup.startChild(probe("a", probe, a)));
      Await.result(sup.startChild(probe("b", probe)));
      a.failAllStarts = true;
      vertx.eventBus().send(ProbeChild.address("a"), "crash");
      events.await(dev.overseer.SupervisorEvent.Type.START_FAILED, "a", 5);
      assertThat(Await.result(sup.countChildren()).specs()).isEqualTo(2);
      Await.result(sup.startChild(probe("c", probe)));
      Await.result(sup.terminateChild("a"));
      int attempts = a.startAttempts.get();
      Supervisors.settle(sup);
      Supervisors.settle(sup);
      assertThat(a.startAttempts.get()).isEqualTo(attempts);
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("b", ChildStatus.RUNNING), Map.entry("c", ChildStatus.RUNNING));
    }

    @Test
    void endsInMaxIntensity(Vertx vertx) {
      ProbeChild.Behaviour a = new ProbeChild.Behaviour();
      DynamicSupervisor sup = start(vertx, options().setIntensity(5));
      Await.result(sup.startChild(probe("a", probe, a)));
      a.failAllStarts = true;
      vertx.eventBus().send(ProbeChild.address("a"), "crash");
      events.await(MAX_INTENSITY_REACHED, "a");
      assertThat(events.count(dev.overseer.SupervisorEvent.Type.START_FAILED, "a")).isEqualTo(5);
      Await.error(sup.terminationFuture(), SupervisorError.MAX_INTENSITY);
    }
  }

  @Nested
  class Shutdown {

    @Test
    void stopsAllChildrenAtOnce(Vertx vertx) {
      ProbeChild.Behaviour slow = new ProbeChild.Behaviour();
      slow.stopDelayMillis = 200;
      DynamicSupervisor sup = start(vertx, options());
      for (String id : List.of("a", "b", "c")) {
        Await.result(sup.startChild(probe(id, probe, slow).withShutdown(dev.overseer.Shutdown.infinity())));
      }
      Await.result(sup.shutdown());
      List<String> stops = probe.lines().subList(3, 9);
      // Every stop began before any finished: the children were stopped in parallel, not one after another.
      assertThat(stops.subList(0, 3)).allMatch(l -> l.startsWith("stopping "));
      assertThat(stops.subList(3, 6)).allMatch(l -> l.startsWith("stopped "));
      assertThat(vertx.deploymentIDs()).isEmpty();
      assertThat(Await.result(sup.terminationFuture())).isEqualTo(ExitReason.shutdown());
    }
  }
}
