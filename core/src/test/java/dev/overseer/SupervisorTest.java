package dev.overseer;

import dev.overseer.testing.Await;
import dev.overseer.testing.BusEvents;
import dev.overseer.testing.EventLog;
import dev.overseer.testing.Probe;
import dev.overseer.testing.ProbeChild;
import dev.overseer.testing.Supervisors;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.overseer.SupervisorEvent.Type.CHILD_EXITED;
import static dev.overseer.SupervisorEvent.Type.CHILD_RESTARTED;
import static dev.overseer.SupervisorEvent.Type.CHILD_STARTED;
import static dev.overseer.SupervisorEvent.Type.MAX_INTENSITY_REACHED;
import static dev.overseer.SupervisorEvent.Type.SHUTDOWN_ERROR;
import static dev.overseer.SupervisorEvent.Type.START_FAILED;
import static dev.overseer.SupervisorEvent.Type.SUPERVISOR_STARTED;
import static dev.overseer.SupervisorEvent.Type.SUPERVISOR_STOPPED;
import static dev.overseer.testing.Supervisors.probe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Supervisor} against real Vert.x deployments, after OTP's {@code supervisor_SUITE}: probe
 * children report what happens to them, the supervisor's events are collected, and every wait
 * has a deadline.
 */
@ExtendWith(VertxExtension.class)
class SupervisorTest {

  private final Probe probe = new Probe();
  private final EventLog events = new EventLog();

  private Supervisor start(Vertx vertx, SupervisorOptions options, ChildSpec... specs) {
    Supervisor supervisor = new Supervisor(options, List.of(specs));
    supervisor.addListener(events);
    Await.result(vertx.deployVerticle(supervisor));
    return supervisor;
  }

  private static SupervisorOptions options() {
    return new SupervisorOptions().setIntensity(10).setPeriod(Duration.ofSeconds(30));
  }

  private static void send(Vertx vertx, String child, String command) {
    vertx.eventBus().send(ProbeChild.address(child), command);
  }

  /** Lines recorded after the {@code from}-th one. */
  private List<String> linesAfter(int from) {
    List<String> lines = probe.lines();
    return lines.subList(from, lines.size());
  }

  /**
   * When a supervisor that gave up completes its termination future, every child is gone; its own
   * deployment record may outlive the future by a moment, as Vert.x removes it after undeploy returns.
   */
  private static void assertNoChildDeployments(Vertx vertx, SupervisorBase sup) {
    assertThat(vertx.deploymentIDs()).isSubsetOf(sup.deploymentId());
  }

  private static ReplyFailure requestFailure(Vertx vertx, String child) {
    Throwable t = Await.failure(vertx.eventBus().request(ProbeChild.address(child), "ping"));
    assertThat(t).isInstanceOf(ReplyException.class);
    return ((ReplyException) t).failureType();
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  class Start {

    @Test
    void startsChildrenInSpecOrder(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe), probe("b", probe), probe("c", probe));
      assertThat(probe.lines()).containsExactly("started a", "started b", "started c");
      assertThat(events.lines()).containsExactly("CHILD_STARTED a", "CHILD_STARTED b", "CHILD_STARTED c", "SUPERVISOR_STARTED");
      assertThat(Supervisors.statuses(sup)).containsExactly(
          Map.entry("a", ChildStatus.RUNNING), Map.entry("b", ChildStatus.RUNNING), Map.entry("c", ChildStatus.RUNNING));
    }

    @Test
    void abortsAndStopsStartedChildrenInReverseOrderWhenOneFails(Vertx vertx) {
      ProbeChild.Behaviour failing = new ProbeChild.Behaviour();
      failing.failAllStarts = true;
      Supervisor sup = new Supervisor(options().setName("aborted"),
          List.of(probe("a", probe), probe("b", probe), probe("c", probe, failing), probe("d", probe)));
      sup.addListener(events);
      SupervisorException e = Await.error(vertx.deployVerticle(sup), SupervisorError.START_FAILED);
      assertThat(e).hasMessageContaining("'c'");
      assertThat(probe.lines()).containsExactly(
          "started a", "started b", "start-failed c", "stopping b", "stopped b", "stopping a", "stopped a");
      assertThat(events.lines()).containsExactly(
          "CHILD_STARTED a", "CHILD_STARTED b", "START_FAILED c", "CHILD_TERMINATED b", "CHILD_TERMINATED a");
      assertThat(SupervisorBase.lookup(vertx, "aborted")).isEmpty();
      assertThat(vertx.deploymentIDs()).isEmpty();
    }

    static Stream<Arguments> badSpecs() {
      Probe unused = new Probe();
      ChildSpec ok = probe("ok", unused);
      return Stream.of(
          Arguments.of("null id", new SupervisorOptions(), List.of(ok, probe("x", unused).withId(null)), "id"),
          Arguments.of("empty id", new SupervisorOptions(), List.of(ok, probe("x", unused).withId("")), "id"),
          Arguments.of("duplicate id", new SupervisorOptions(), List.of(ok, probe("ok", unused)), "id"),
          Arguments.of("no start", new SupervisorOptions(), List.of(ok, ChildSpec.worker("x", null)), "start"),
          Arguments.of("blank verticle", new SupervisorOptions(), List.of(ok, ChildSpec.verticle("x", " ")), "start"),
          Arguments.of("two instances", new SupervisorOptions(),
              List.of(ok, probe("x", unused).withDeploymentOptions(new DeploymentOptions().setInstances(2))), "deploymentOptions.instances"),
          Arguments.of("ha", new SupervisorOptions(),
              List.of(ok, probe("x", unused).withDeploymentOptions(new DeploymentOptions().setHa(true))), "deploymentOptions.ha"),
          Arguments.of("significant permanent", new SupervisorOptions().setAutoShutdown(AutoShutdown.ANY_SIGNIFICANT),
              List.of(ok, probe("x", unused).withSignificant(true)), "significant"),
          Arguments.of("significant without auto-shutdown", new SupervisorOptions(),
              List.of(ok, probe("x", unused).withRestart(RestartType.TRANSIENT).withSignificant(true)), "significant"),
          Arguments.of("negative intensity", new SupervisorOptions().setIntensity(-1), List.of(ok), "intensity"),
          Arguments.of("zero period", new SupervisorOptions().setPeriod(Duration.ZERO), List.of(ok), "period"),
          Arguments.of("negative period", new SupervisorOptions().setPeriod(Duration.ofSeconds(-1)), List.of(ok), "period"),
          Arguments.of("blank name", new SupervisorOptions().setName(" "), List.of(ok), "name"),
          Arguments.of("no events address", new SupervisorOptions().setEventsAddress(null), List.of(ok), "eventsAddress"));
    }

    @ParameterizedTest(name = "{0} is rejected naming {3}")
    @MethodSource("badSpecs")
    void rejectsABadSpecOrOptionBeforeAnythingStarts(String label, SupervisorOptions options, List<ChildSpec> specs, String field,
                                                   Vertx vertx) {
      Supervisor sup = new Supervisor(options, specs);
      sup.addListener(events);
      SupervisorException e = Await.error(vertx.deployVerticle(sup), SupervisorError.INVALID_SPEC);
      assertThat(e.getMessage()).startsWith("invalid_spec: " + field + ":");
      assertThat(events.events()).isEmpty();
      assertThat(vertx.deploymentIDs()).isEmpty();
    }

    @Test
    void startsWithNoChildren(Vertx vertx) {
      Supervisor sup = start(vertx, options());
      assertThat(Await.result(sup.whichChildren())).isEmpty();
      assertThat(Await.result(sup.countChildren())).isEqualTo(new ChildCount(0, 0, 0, 0));
      assertThat(events.lines()).containsExactly("SUPERVISOR_STARTED");
    }

    @Test
    void rejectsASecondSupervisorWithTheSameNameAndLeavesTheFirstRunning(Vertx vertx) {
      Supervisor first = start(vertx, options().setName("twin"), probe("a", probe));
      Probe other = new Probe();
      SupervisorException e = Await.error(
          Supervisor.start(vertx, options().setName("twin"), List.of(probe("b", other))), SupervisorError.INVALID_SPEC);
      assertThat(e).hasMessageContaining("name").hasMessageContaining("twin");
      assertThat(other.lines()).isEmpty();
      assertThat(SupervisorBase.lookup(vertx, "twin")).containsSame(first);
      assertThat(Supervisors.statuses(first)).containsExactly(Map.entry("a", ChildStatus.RUNNING));
    }

    @Test
    void freesTheNameWhenStopped(Vertx vertx) {
      Supervisor first = start(vertx, options().setName("reused"), probe("a", probe));
      Await.result(first.shutdown());
      Supervisor second = Await.result(Supervisor.start(vertx, options().setName("reused"), List.of(probe("b", probe))));
      assertThat(SupervisorBase.lookup(vertx, "reused")).containsSame(second);
      assertThat(SupervisorBase.all(vertx)).containsExactly(second);
    }

    @Test
    void cannotBeDeployedTwice(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      assertThat(Await.failure(vertx.deployVerticle(sup))).isInstanceOf(IllegalStateException.class);
      assertThat(probe.count("started a"::equals)).isEqualTo(1);
    }
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  class Stop {

    @Test
    void stopsChildrenInReverseOrder(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe), probe("b", probe), probe("c", probe));
      Await.result(sup.shutdown());
      assertThat(linesAfter(3)).containsExactly(
          "stopping c", "stopped c", "stopping b", "stopped b", "stopping a", "stopped a");
      assertThat(Await.result(sup.terminationFuture())).isEqualTo(ExitReason.shutdown());
      assertThat(events.await(SUPERVISOR_STOPPED, null).reason()).isEqualTo(ExitReason.shutdown());
      assertThat(vertx.deploymentIDs()).isEmpty();
    }

    @Test
    void waitsForASlowStopWithInfinity(Vertx vertx) {
      ProbeChild.Behaviour slow = new ProbeChild.Behaviour();
      slow.stopDelayMillis = 300;
      Supervisor sup = start(vertx, options(), probe("a", probe, slow).withShutdown(Shutdown.infinity()));
      long t0 = System.nanoTime();
      Await.result(sup.terminateChild("a"));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(probe.lines()).containsExactly("started a", "stopping a", "stopped a");
      assertThat(events.count(SHUTDOWN_ERROR, null)).isZero();
    }

    @Test
    void waitsForASlowStopWithinItsTimeout(Vertx vertx) {
      ProbeChild.Behaviour slow = new ProbeChild.Behaviour();
      slow.stopDelayMillis = 100;
      Supervisor sup = start(vertx, options(), probe("a", probe, slow).withShutdown(Shutdown.timeout(Duration.ofSeconds(5))));
      Await.result(sup.terminateChild("a"));
      assertThat(probe.lines()).containsExactly("started a", "stopping a", "stopped a");
      assertThat(events.count(SHUTDOWN_ERROR, null)).isZero();
    }

    @Test
    void killsAStopThatNeverCompletesAfterItsTimeout(Vertx vertx) {
      ProbeChild.Behaviour hanging = new ProbeChild.Behaviour();
      hanging.hangOnStop = true;
      Supervisor sup = start(vertx, options(), probe("a", probe, hanging).withShutdown(Shutdown.timeout(Duration.ofMillis(200))));
      long t0 = System.nanoTime();
      Await.result(sup.terminateChild("a"));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
      assertThat(probe.lines()).containsExactly("started a", "stopping a");
      SupervisorEvent error = events.await(SHUTDOWN_ERROR, "a");
      assertThat(error.reason().cause()).isInstanceOf(java.util.concurrent.TimeoutException.class)
          .hasMessageContaining("200 ms");
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.STOPPED));
      assertThat(requestFailure(vertx, "a")).isEqualTo(ReplyFailure.NO_HANDLERS);
    }

    @Test
    void reportsAStopThatFailsAsAShutdownError(Vertx vertx) {
      ProbeChild.Behaviour failing = new ProbeChild.Behaviour();
      failing.failStop = true;
      Supervisor sup = start(vertx, options(), probe("a", probe, failing));
      Await.result(sup.terminateChild("a"));
      assertThat(events.await(SHUTDOWN_ERROR, "a").reason().cause()).hasMessageContaining("stop of a failed");
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.STOPPED));
    }

    @Test
    void brutalKillDoesNotRunStop(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe).withShutdown(Shutdown.brutalKill()), probe("b", probe));
      Await.result(sup.shutdown());
      assertThat(probe.lines()).containsExactly("started a", "started b", "stopping b", "stopped b");
      assertThat(events.count(SHUTDOWN_ERROR, null)).isZero();
      assertThat(vertx.deploymentIDs()).isEmpty();
    }

    static Stream<Arguments> kills() {
      ProbeChild.Behaviour hanging = new ProbeChild.Behaviour();
      hanging.hangOnStop = true;
      hanging.tickMillis = 10;
      ProbeChild.Behaviour ticking = new ProbeChild.Behaviour();
      ticking.tickMillis = 10;
      return Stream.of(
          Arguments.of("brutal kill", Shutdown.brutalKill(), ticking),
          Arguments.of("expired timeout", Shutdown.timeout(Duration.ofMillis(100)), hanging));
    }

    @ParameterizedTest(name = "after a {0}")
    @MethodSource("kills")
    void aKilledChildReceivesNoMoreMessagesAndItsTimersStop(String label, Shutdown shutdown, ProbeChild.Behaviour behaviour,
                                                            Vertx vertx) {
      ProbeChild.Behaviour witnessTicks = new ProbeChild.Behaviour();
      witnessTicks.tickMillis = 10;
      Supervisor sup = start(vertx, options(), probe("a", probe, behaviour).withShutdown(shutdown),
          probe("witness", probe, witnessTicks));
      probe.await("tick a"::equals, 3);
      assertThat(Await.result(vertx.eventBus().request(ProbeChild.address("a"), "before"))).isNotNull();
      Await.result(sup.terminateChild("a"));
      long ticks = probe.count("tick a"::equals);
      long messages = probe.count(l -> l.startsWith("got a"));
      assertThat(requestFailure(vertx, "a")).isEqualTo(ReplyFailure.NO_HANDLERS);
      vertx.eventBus().publish(ProbeChild.address("a"), "after");
      // The witness runs the same timer: ten of its ticks are ten periods in which the killed child's timer could have fired.
      long witnessed = probe.count("tick witness"::equals);
      probe.await("tick witness"::equals, (int) witnessed + 10);
      assertThat(probe.count("tick a"::equals)).isEqualTo(ticks);
      assertThat(probe.count(l -> l.startsWith("got a"))).isEqualTo(messages).isEqualTo(1);
    }

    @Test
    void stopsAChildWithAHangingStopDuringSupervisorShutdown(Vertx vertx) {
      ProbeChild.Behaviour hanging = new ProbeChild.Behaviour();
      hanging.hangOnStop = true;
      Supervisor sup = start(vertx, options(), probe("a", probe), probe("b", probe, hanging).withShutdown(Shutdown.timeout(Duration.ofMillis(100))));
      Await.result(sup.shutdown());
      assertThat(linesAfter(2)).containsExactly("stopping b", "stopping a", "stopped a");
      assertThat(events.count(SHUTDOWN_ERROR, "b")).isEqualTo(1);
      assertThat(vertx.deploymentIDs()).isEmpty();
    }
  }

  // ------------------------------------------------------------------------------------------

  /** OTP's grid: exit reason x restart type. */
  @Nested
  class Termination {

    enum Trigger {
      EXIT_NORMAL("exit-normal", ExitReason.Kind.NORMAL),
      UNDEPLOY_SELF("undeploy-self", ExitReason.Kind.NORMAL),
      EXIT_SHUTDOWN("exit-shutdown", ExitReason.Kind.SHUTDOWN),
      EXIT_FAILURE("exit-failure", ExitReason.Kind.FAILURE),
      THROW_IN_HANDLER("crash", ExitReason.Kind.FAILURE),
      THROW_IN_TIMER("crash-timer", ExitReason.Kind.FAILURE);

      final String command;
      final ExitReason.Kind kind;

      Trigger(String command, ExitReason.Kind kind) {
        this.command = command;
        this.kind = kind;
      }
    }

    static Stream<Arguments> grid() {
      List<Arguments> grid = new ArrayList<>();
      for (Trigger trigger : Trigger.values()) {
        for (RestartType type : RestartType.values()) {
          boolean restarted = type == RestartType.PERMANENT || (type == RestartType.TRANSIENT && trigger.kind == ExitReason.Kind.FAILURE);
          grid.add(Arguments.of(trigger, type, restarted));
        }
      }
      return grid.stream();
    }

    @ParameterizedTest(name = "{1} child after {0}: restarted = {2}")
    @MethodSource("grid")
    void restartsOrNotByRestartTypeAndExitReason(Trigger trigger, RestartType type, boolean restarted, Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe).withRestart(type), probe("b", probe));
      send(vertx, "a", trigger.command);
      SupervisorEvent exited = events.await(CHILD_EXITED, "a");
      assertThat(exited.reason().kind()).isEqualTo(trigger.kind);
      if (restarted) {
        events.await(CHILD_RESTARTED, "a");
        Map<String, ChildInfo> rows = Supervisors.children(sup);
        assertThat(rows.get("a").status()).isEqualTo(ChildStatus.RUNNING);
        assertThat(rows.get("a").restartCount()).isEqualTo(1);
        assertThat(probe.count("started a"::equals)).isEqualTo(2);
        assertThat(sup.intensityUsed()).isEqualTo(1);
      } else {
        Map<String, ChildInfo> rows = Supervisors.children(sup);
        if (type == RestartType.TEMPORARY) {
          assertThat(rows).doesNotContainKey("a");
        } else {
          assertThat(rows.get("a").status()).isEqualTo(ChildStatus.STOPPED);
          assertThat(rows.get("a").lastExit().kind()).isEqualTo(trigger.kind);
        }
        assertThat(probe.count("started a"::equals)).isEqualTo(1);
        assertThat(events.count(CHILD_RESTARTED, null)).isZero();
        assertThat(sup.intensityUsed()).isZero();
      }
      assertThat(probe.lines()).doesNotContain("stopping b");
      assertThat(Supervisors.statuses(sup).get("b")).isEqualTo(ChildStatus.RUNNING);
    }

    @Test
    void killsACrashedChildWhoseStopHangsAndRestartsIt(Vertx vertx) {
      ProbeChild.Behaviour hanging = new ProbeChild.Behaviour();
      hanging.hangOnStop = true;
      Supervisor sup = start(vertx, options(), probe("a", probe, hanging).withShutdown(Shutdown.timeout(Duration.ofMillis(100))));
      send(vertx, "a", "crash");
      events.await(CHILD_RESTARTED, "a");
      assertThat(events.lines()).containsSubsequence("CHILD_EXITED a", "SHUTDOWN_ERROR a", "CHILD_RESTARTED a");
      assertThat(probe.lines()).containsExactly("started a", "stopping a", "started a");
      Await.result(sup.shutdown());
    }

    @Test
    void killsAChildThatUndeployedItselfWhenItsStopHangsAndRestartsIt(Vertx vertx) {
      ProbeChild.Behaviour hanging = new ProbeChild.Behaviour();
      hanging.hangOnStop = true;
      Supervisor sup = start(vertx, options(), probe("a", probe, hanging).withShutdown(Shutdown.timeout(Duration.ofMillis(100))));
      send(vertx, "a", "undeploy-self");
      events.await(CHILD_RESTARTED, "a");
      assertThat(events.lines()).containsSubsequence("CHILD_EXITED a", "SHUTDOWN_ERROR a", "CHILD_RESTARTED a");
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.RUNNING));
      Await.result(sup.shutdown());
    }

    @ParameterizedTest(name = "after {0}")
    @ValueSource(strings = {"crash", "undeploy-self"})
    void reportsTheFailedStopOfAnExitedChildAndRestartsIt(String exit, Vertx vertx) {
      ProbeChild.Behaviour failing = new ProbeChild.Behaviour();
      failing.failStop = true;
      start(vertx, options(), probe("a", probe, failing));
      send(vertx, "a", exit);
      events.await(CHILD_RESTARTED, "a");
      assertThat(events.lines()).containsSubsequence("CHILD_EXITED a", "SHUTDOWN_ERROR a", "CHILD_RESTARTED a");
    }

    @Test
    void runsTheStopOfACrashedChildBeforeRestartingIt(Vertx vertx) {
      start(vertx, options(), probe("a", probe));
      send(vertx, "a", "crash");
      events.await(CHILD_RESTARTED, "a");
      assertThat(probe.lines()).containsExactly("started a", "stopping a", "stopped a", "started a");
    }

    @Test
    void aRestartedChildIsAFreshInstanceThatGetsTheNextMessages(Vertx vertx) {
      List<ProbeChild> instances = new java.util.concurrent.CopyOnWriteArrayList<>();
      start(vertx, options(), ChildSpec.worker("a", () -> {
        ProbeChild c = new ProbeChild("a", probe);
        instances.add(c);
        return c;
      }));
      send(vertx, "a", "crash");
      events.await(CHILD_RESTARTED, "a");
      assertThat(instances).hasSize(2);
      assertThat(instances.get(0)).isNotSameAs(instances.get(1));
      assertThat(Await.result(vertx.eventBus().request(ProbeChild.address("a"), "hello")).body()).isEqualTo("pong");
    }
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  class Strategies {

    static Stream<Arguments> grid() {
      return Stream.of(
          Arguments.of(RestartStrategy.ONE_FOR_ONE, List.of("stopping b", "stopped b", "started b"), List.of("b")),
          Arguments.of(RestartStrategy.ONE_FOR_ALL, List.of("stopping b", "stopped b",
              "stopping d", "stopped d", "stopping c", "stopped c", "stopping a", "stopped a",
              "started a", "started b", "started c", "started d"), List.of("a", "b", "c", "d")),
          Arguments.of(RestartStrategy.REST_FOR_ONE, List.of("stopping b", "stopped b",
              "stopping d", "stopped d", "stopping c", "stopped c",
              "started b", "started c", "started d"), List.of("b", "c", "d")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("grid")
    void restartsTheAffectedSiblingsStoppingInReverseAndStartingInSpecOrder(RestartStrategy strategy, List<String> expected,
                                                                            List<String> restarted, Vertx vertx) {
      Supervisor sup = start(vertx, options().setStrategy(strategy),
          probe("a", probe), probe("b", probe), probe("c", probe), probe("d", probe));
      send(vertx, "b", "crash");
      events.await(CHILD_RESTARTED, restarted.get(restarted.size() - 1));
      assertThat(linesAfter(4)).containsExactlyElementsOf(expected);
      assertThat(events.events().stream().filter(e -> e.type() == CHILD_RESTARTED).map(SupervisorEvent::childId))
          .containsExactlyElementsOf(restarted);
      // The siblings the supervisor stopped (not the crashed child, which exited by itself), in reverse order.
      List<String> terminated = new ArrayList<>(restarted);
      terminated.remove("b");
      java.util.Collections.reverse(terminated);
      assertThat(events.events().stream().filter(e -> e.type() == SupervisorEvent.Type.CHILD_TERMINATED).map(SupervisorEvent::childId))
          .containsExactlyElementsOf(terminated);
      Map<String, ChildInfo> rows = Supervisors.children(sup);
      assertThat(rows.keySet()).containsExactly("a", "b", "c", "d");
      assertThat(rows.values()).allMatch(r -> r.status() == ChildStatus.RUNNING);
      for (ChildInfo row : rows.values()) {
        assertThat(row.restartCount()).as(row.id()).isEqualTo(restarted.contains(row.id()) ? 1 : 0);
      }
      assertThat(sup.intensityUsed()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RestartStrategy.class, names = {"ONE_FOR_ALL", "REST_FOR_ONE"})
    void dropsATemporarySiblingStoppedByAGroupRestart(RestartStrategy strategy, Vertx vertx) {
      Supervisor sup = start(vertx, options().setStrategy(strategy),
          probe("a", probe), probe("t", probe).withRestart(RestartType.TEMPORARY), probe("c", probe));
      send(vertx, "a", "crash");
      events.await(CHILD_RESTARTED, "c");
      assertThat(Supervisors.statuses(sup)).containsExactly(
          Map.entry("a", ChildStatus.RUNNING), Map.entry("c", ChildStatus.RUNNING));
      assertThat(probe.count("started t"::equals)).isEqualTo(1);
    }

    /** OTP's {@code start_children/2} starts every child of the group, a terminated one included. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RestartStrategy.class, names = {"ONE_FOR_ALL", "REST_FOR_ONE"})
    void startsATerminatedSiblingWithTheGroupAsOtpDoes(RestartStrategy strategy, Vertx vertx) {
      Supervisor sup = start(vertx, options().setStrategy(strategy), probe("a", probe), probe("b", probe), probe("c", probe));
      Await.result(sup.terminateChild("c"));
      send(vertx, "a", "crash");
      events.await(CHILD_RESTARTED, "c");
      assertThat(Supervisors.statuses(sup)).containsExactly(
          Map.entry("a", ChildStatus.RUNNING), Map.entry("b", ChildStatus.RUNNING), Map.entry("c", ChildStatus.RUNNING));
      assertThat(probe.count("started c"::equals)).isEqualTo(2);
      assertThat(probe.count("stopping c"::equals)).isEqualTo(1);
    }
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  class Escalation {

    @ParameterizedTest(name = "{0}")
    @EnumSource(RestartStrategy.class)
    void stopsAllChildrenAndFailsWithMaxIntensityPastTheIntensity(RestartStrategy strategy, Vertx vertx) {
      Supervisor sup = start(vertx, new SupervisorOptions().setName("esc").setStrategy(strategy).setIntensity(1),
          probe("a", probe), probe("b", probe), probe("c", probe));
      send(vertx, "b", "crash");
      events.await(CHILD_RESTARTED, "b");
      send(vertx, "b", "crash");
      SupervisorEvent max = events.await(MAX_INTENSITY_REACHED, "b");
      assertThat(((SupervisorException) max.reason().cause()).error()).isEqualTo(SupervisorError.MAX_INTENSITY);
      SupervisorException failure = Await.error(sup.terminationFuture(), SupervisorError.MAX_INTENSITY);
      assertThat(failure).isSameAs(max.reason().cause());
      assertThat(events.await(SUPERVISOR_STOPPED, null).reason().cause()).isSameAs(failure);
      List<String> stops = probe.lines().stream().filter(l -> l.startsWith("stopping")).toList();
      assertThat(stops.subList(stops.size() - 2, stops.size())).containsExactly("stopping c", "stopping a");
      assertNoChildDeployments(vertx, sup);
    }

    @Test
    void forgetsRestartsOlderThanThePeriod(Vertx vertx) {
      Supervisor sup = start(vertx, new SupervisorOptions().setIntensity(1).setPeriod(Duration.ofMillis(200)), probe("a", probe));
      send(vertx, "a", "crash");
      events.await(CHILD_RESTARTED, "a");
      assertThat(sup.intensityUsed()).isEqualTo(1);
      // Once the period has passed, the first restart has left the window and the next one is allowed.
      Await.until(vertx, () -> sup.intensityUsed() == 0);
      send(vertx, "a", "crash");
      events.await(CHILD_RESTARTED, "a", 2);
      assertThat(events.count(MAX_INTENSITY_REACHED, null)).isZero();
      assertThat(sup.terminationFuture().isComplete()).isFalse();
    }

    @Test
    void escalatesOnTheFirstRestartWithIntensityZero(Vertx vertx) {
      Supervisor sup = start(vertx, new SupervisorOptions().setIntensity(0), probe("a", probe));
      send(vertx, "a", "crash");
      events.await(MAX_INTENSITY_REACHED, "a");
      Await.error(sup.terminationFuture(), SupervisorError.MAX_INTENSITY);
      assertThat(probe.count("started a"::equals)).isEqualTo(1);
    }

    @Test
    void doesNotCountExitsThatAreNotRestarted(Vertx vertx) {
      Supervisor sup = start(vertx, new SupervisorOptions().setIntensity(0),
          probe("t", probe).withRestart(RestartType.TRANSIENT), probe("tmp", probe).withRestart(RestartType.TEMPORARY));
      send(vertx, "t", "exit-normal");
      send(vertx, "tmp", "crash");
      events.await(CHILD_EXITED, "t");
      events.await(CHILD_EXITED, "tmp");
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("t", ChildStatus.STOPPED));
      assertThat(sup.terminationFuture().isComplete()).isFalse();
    }

    @Test
    void aChildSupervisorThatGivesUpIsRestartedByItsParent(Vertx vertx) {
      BusEvents bus = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      Supervisor top = start(vertx, new SupervisorOptions().setName("top").setIntensity(5),
          ChildSpec.supervisor("inner", () -> new Supervisor(new SupervisorOptions().setName("inner").setIntensity(0),
              List.of(probe("x", probe)))),
          probe("bystander", probe));
      send(vertx, "x", "crash");
      bus.await("MAX_INTENSITY_REACHED inner/x");
      bus.await("CHILD_RESTARTED top/inner");
      probe.await("started x"::equals, 2);
      SupervisorEvent exited = events.await(CHILD_EXITED, "inner");
      assertThat(((SupervisorException) exited.reason().cause()).error()).isEqualTo(SupervisorError.MAX_INTENSITY);
      Map<String, ChildInfo> rows = Supervisors.children(top);
      assertThat(rows.get("inner").status()).isEqualTo(ChildStatus.RUNNING);
      assertThat(rows.get("inner").supervisorName()).isEqualTo("inner");
      assertThat(probe.count("started bystander"::equals)).isEqualTo(1);
      assertThat(SupervisorBase.lookup(vertx, "inner")).isPresent();
      assertThat(top.terminationFuture().isComplete()).isFalse();
    }

    @Test
    void escalatesThroughEveryLevelThatGivesUp(Vertx vertx) {
      BusEvents bus = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      Supervisor root = start(vertx, new SupervisorOptions().setName("root").setIntensity(5),
          ChildSpec.supervisor("middle", () -> new Supervisor(new SupervisorOptions().setName("middle").setIntensity(0),
              List.of(ChildSpec.supervisor("inner", () -> new Supervisor(new SupervisorOptions().setName("inner").setIntensity(0),
                  List.of(probe("x", probe))))))));
      send(vertx, "x", "crash");
      bus.await("MAX_INTENSITY_REACHED inner/x");
      bus.await("MAX_INTENSITY_REACHED middle/inner");
      bus.await("CHILD_RESTARTED root/middle");
      probe.await("started x"::equals, 2);
      assertThat(Supervisors.statuses(root)).containsExactly(Map.entry("middle", ChildStatus.RUNNING));
      assertThat(root.terminationFuture().isComplete()).isFalse();
    }

    @Test
    void escalatesToTheTopWhenNoLevelCanRestart(Vertx vertx) {
      Supervisor root = start(vertx, new SupervisorOptions().setName("root").setIntensity(0),
          ChildSpec.supervisor("inner", () -> new Supervisor(new SupervisorOptions().setName("inner").setIntensity(0),
              List.of(probe("x", probe)))));
      send(vertx, "x", "crash");
      SupervisorException failure = Await.error(root.terminationFuture(), SupervisorError.MAX_INTENSITY);
      assertThat(failure).hasMessageContaining("'inner'");
      assertNoChildDeployments(vertx, root);
    }
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  class NestedSupervisors {

    private ChildSpec inner(String name, ChildSpec... children) {
      return ChildSpec.supervisor(name, () -> new Supervisor(new SupervisorOptions().setName(name), List.of(children)));
    }

    @Test
    void stopsTheTreeDepthFirstInReverseOrder(Vertx vertx) {
      Supervisor top = start(vertx, options(), probe("a", probe), inner("mid", probe("x", probe), probe("y", probe)), probe("b", probe));
      assertThat(probe.lines()).containsExactly("started a", "started x", "started y", "started b");
      Await.result(top.shutdown());
      assertThat(linesAfter(4)).containsExactly(
          "stopping b", "stopped b", "stopping y", "stopped y", "stopping x", "stopped x", "stopping a", "stopped a");
      assertThat(vertx.deploymentIDs()).isEmpty();
      assertThat(SupervisorBase.all(vertx)).isEmpty();
    }

    @Test
    void terminatingAChildSupervisorStopsItsChildrenAndItCanBeRestarted(Vertx vertx) {
      Supervisor top = start(vertx, options(), inner("mid", probe("x", probe), probe("y", probe)));
      SupervisorBase mid = SupervisorBase.lookup(vertx, "mid").orElseThrow();
      Await.result(top.terminateChild("mid"));
      assertThat(linesAfter(2)).containsExactly("stopping y", "stopped y", "stopping x", "stopped x");
      assertThat(Await.result(mid.terminationFuture())).isEqualTo(ExitReason.shutdown());
      Await.result(top.restartChild("mid"));
      assertThat(SupervisorBase.lookup(vertx, "mid")).isPresent().get().isNotSameAs(mid);
      assertThat(probe.count("started x"::equals)).isEqualTo(2);
    }

    @Test
    void killingAChildSupervisorKillsItsChildrenWithoutTheirStopAndFreesItsName(Vertx vertx) {
      Supervisor top = start(vertx, options(),
          inner("mid", probe("x", probe), probe("y", probe)).withShutdown(Shutdown.brutalKill()));
      Await.result(top.terminateChild("mid"));
      assertThat(probe.lines()).containsExactly("started x", "started y");
      assertThat(requestFailure(vertx, "x")).isEqualTo(ReplyFailure.NO_HANDLERS);
      assertThat(requestFailure(vertx, "y")).isEqualTo(ReplyFailure.NO_HANDLERS);
      assertThat(SupervisorBase.lookup(vertx, "mid")).isEmpty();
      Await.result(top.restartChild("mid"));
      assertThat(probe.count("started x"::equals)).isEqualTo(2);
      assertThat(vertx.deploymentIDs()).hasSize(4);
    }

    @Test
    void aChildSupervisorWhoseShutdownTimesOutIsKilledWithItsHangingChild(Vertx vertx) {
      BusEvents bus = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      ProbeChild.Behaviour hanging = new ProbeChild.Behaviour();
      hanging.hangOnStop = true;
      Supervisor top = start(vertx, options().setName("top"),
          inner("mid", probe("x", probe, hanging).withShutdown(Shutdown.infinity()), probe("y", probe))
              .withShutdown(Shutdown.timeout(Duration.ofMillis(200))));
      Await.result(top.terminateChild("mid"));
      assertThat(probe.lines()).containsExactly("started x", "started y", "stopping y", "stopped y", "stopping x");
      assertThat(events.await(SHUTDOWN_ERROR, "mid").reason().cause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
      assertThat(requestFailure(vertx, "x")).isEqualTo(ReplyFailure.NO_HANDLERS);
      assertThat(vertx.deploymentIDs()).containsExactly(top.deploymentId());
      Await.result(top.restartChild("mid"));
      assertThat(probe.count("started x"::equals)).isEqualTo(2);
      Supervisors.settle(top);
      // published on the event bus, delivered to the listener a moment later: wait for it, then
      // check there was one
      bus.probe().await("SUPERVISOR_STOPPED mid"::equals, 1);
      assertThat(bus.probe().count("SUPERVISOR_STOPPED mid"::equals)).isEqualTo(1);
      // The new x hangs on stop too: shut down in order (vertx.close() would wait for it forever).
      Await.result(top.shutdown());
      assertThat(vertx.deploymentIDs()).isEmpty();
    }

    /**
     * Divergence from OTP (listed in {@link Supervisor}'s Javadoc): OTP's supervisor exits with
     * {@code shutdown} after too many restarts, so a transient parent spec does not restart it;
     * Overseer's exits with a {@code MAX_INTENSITY} failure, which every restart type but temporary restarts.
     */
    @Test
    void aTransientChildSupervisorThatGivesUpIsRestartedUnlikeOtp(Vertx vertx) {
      Supervisor top = start(vertx, options(),
          ChildSpec.supervisor("mid", () -> new Supervisor(new SupervisorOptions().setName("mid").setIntensity(0),
              List.of(probe("x", probe)))).withRestart(RestartType.TRANSIENT));
      send(vertx, "x", "crash");
      assertThat(events.await(CHILD_EXITED, "mid").reason().isAbnormal()).isTrue();
      events.await(CHILD_RESTARTED, "mid");
      assertThat(Supervisors.statuses(top)).containsExactly(Map.entry("mid", ChildStatus.RUNNING));
    }
  }

  // ------------------------------------------------------------------------------------------

  /** OTP's {@code one_for_all_other_child_fails_restart} and {@code rest_for_one_other_child_fails_restart}. */
  @Nested
  class SiblingFailsDuringGroupRestart {

    @Test
    void oneForAllRetriesTheGroupAndCountsTheRetry(Vertx vertx) {
      ProbeChild.Behaviour b = new ProbeChild.Behaviour();
      Supervisor sup = start(vertx, options().setStrategy(RestartStrategy.ONE_FOR_ALL), probe("a", probe), probe("b", probe, b));
      b.failNextStarts(1);
      send(vertx, "a", "crash");
      events.await(START_FAILED, "b");
      events.await(CHILD_RESTARTED, "b");
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.RUNNING), Map.entry("b", ChildStatus.RUNNING));
      assertThat(sup.intensityUsed()).isEqualTo(2);
      assertThat(probe.count("started a"::equals)).isEqualTo(3);
      assertThat(probe.count("started b"::equals)).isEqualTo(2);
      assertThat(probe.count("start-failed b"::equals)).isEqualTo(1);
    }

    @Test
    void restForOneRetriesTheFailedChildAndCountsTheRetry(Vertx vertx) {
      ProbeChild.Behaviour c = new ProbeChild.Behaviour();
      Supervisor sup = start(vertx, options().setStrategy(RestartStrategy.REST_FOR_ONE),
          probe("a", probe), probe("b", probe), probe("c", probe, c));
      c.failNextStarts(1);
      send(vertx, "b", "crash");
      events.await(START_FAILED, "c");
      events.await(CHILD_RESTARTED, "c");
      assertThat(Supervisors.statuses(sup)).containsExactly(
          Map.entry("a", ChildStatus.RUNNING), Map.entry("b", ChildStatus.RUNNING), Map.entry("c", ChildStatus.RUNNING));
      assertThat(sup.intensityUsed()).isEqualTo(2);
      assertThat(probe.count("started a"::equals)).isEqualTo(1);
      assertThat(probe.count("started b"::equals)).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = RestartStrategy.class, names = {"ONE_FOR_ALL", "REST_FOR_ONE"})
    void escalatesWhenTheRetryExceedsTheIntensity(RestartStrategy strategy, Vertx vertx) {
      ProbeChild.Behaviour b = new ProbeChild.Behaviour();
      Supervisor sup = start(vertx, new SupervisorOptions().setStrategy(strategy).setIntensity(1), probe("a", probe), probe("b", probe, b));
      b.failNextStarts(1);
      send(vertx, "a", "crash");
      events.await(START_FAILED, "b");
      events.await(MAX_INTENSITY_REACHED, "b");
      Await.error(sup.terminationFuture(), SupervisorError.MAX_INTENSITY);
      assertNoChildDeployments(vertx, sup);
    }
  }

  // ------------------------------------------------------------------------------------------

  /** OTP's {@code hanging_restart_loop} cases: a child that never starts again. */
  @Nested
  class HangingRestartLoop {

    @Test
    void keepsAnsweringWhileRetryingAndTerminateChildStopsTheRetries(Vertx vertx) {
      ProbeChild.Behaviour a = new ProbeChild.Behaviour();
      Supervisor sup = start(vertx, new SupervisorOptions().setIntensity(1_000_000).setPeriod(Duration.ofSeconds(60)),
          probe("a", probe, a), probe("b", probe));
      a.failAllStarts = true;
      send(vertx, "a", "crash");
      events.await(START_FAILED, "a", 5);
      ChildInfo row = Await.result(sup.whichChildren()).get(0);
      assertThat(row.status()).isIn(ChildStatus.RESTARTING, ChildStatus.STARTING);
      assertThat(Await.result(sup.countChildren())).isEqualTo(new ChildCount(2, 1, 0, 2));
      Await.result(sup.terminateChild("b"));
      Await.error(sup.restartChild("a"), SupervisorError.RESTARTING);
      Await.error(sup.deleteChild("a"), SupervisorError.RESTARTING);
      Await.result(sup.terminateChild("a"));
      int attempts = a.startAttempts.get();
      Supervisors.settle(sup);
      Supervisors.settle(sup);
      assertThat(a.startAttempts.get()).isEqualTo(attempts);
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.STOPPED), Map.entry("b", ChildStatus.STOPPED));
      a.failAllStarts = false;
      Await.result(sup.restartChild("a"));
      assertThat(Supervisors.statuses(sup).get("a")).isEqualTo(ChildStatus.RUNNING);
      assertThat(sup.terminationFuture().isComplete()).isFalse();
    }

    @Test
    void shutdownCancelsARestartWaitingForItsBackoff(Vertx vertx) {
      Supervisor sup = start(vertx, options().setBackoff(Backoff.exponential(Duration.ofSeconds(30), Duration.ofSeconds(30))),
          probe("a", probe), probe("b", probe));
      send(vertx, "a", "crash");
      events.await(CHILD_EXITED, "a");
      long t0 = System.nanoTime();
      Await.result(sup.shutdown());
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(probe.count("started a"::equals)).isEqualTo(1);
      assertThat(vertx.deploymentIDs()).isEmpty();
    }

    @Test
    void endsInMaxIntensity(Vertx vertx) {
      ProbeChild.Behaviour a = new ProbeChild.Behaviour();
      Supervisor sup = start(vertx, new SupervisorOptions().setIntensity(20).setPeriod(Duration.ofSeconds(60)),
          probe("a", probe, a), probe("b", probe));
      a.failAllStarts = true;
      send(vertx, "a", "crash");
      events.await(MAX_INTENSITY_REACHED, "a");
      Await.error(sup.terminationFuture(), SupervisorError.MAX_INTENSITY);
      // intensity 20: the crash's restart and 19 retries are allowed, the 20th retry is not
      assertThat(events.count(START_FAILED, "a")).isEqualTo(20);
      assertThat(probe.lines()).endsWith("stopping b", "stopped b");
      assertNoChildDeployments(vertx, sup);
    }

    @Test
    void terminateChildCancelsARestartWaitingForItsBackoff(Vertx vertx) {
      ProbeChild.Behaviour a = new ProbeChild.Behaviour();
      Supervisor sup = start(vertx, options().setBackoff(Backoff.exponential(Duration.ofMillis(150), Duration.ofSeconds(1)).withJitter(0)),
          probe("a", probe, a), probe("witness", probe, new ProbeChild.Behaviour()));
      send(vertx, "a", "crash");
      events.await(CHILD_EXITED, "a");
      assertThat(Supervisors.statuses(sup).get("a")).isEqualTo(ChildStatus.RESTARTING);
      Await.result(sup.terminateChild("a"));
      int attempts = a.startAttempts.get();
      // Twice the backoff: the cancelled restart would have started by then. (Proving that
      // something does not happen takes waiting for the moment it would have.)
      Await.result(vertx.timer(300));
      Supervisors.settle(sup);
      assertThat(a.startAttempts.get()).isEqualTo(attempts);
      assertThat(Supervisors.statuses(sup).get("a")).isEqualTo(ChildStatus.STOPPED);
    }
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  class StartChild {

    @Test
    void startsANewChildAfterTheOthers(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      assertThat(Await.result(sup.startChild(probe("b", probe)))).isEqualTo("b");
      assertThat(Supervisors.statuses(sup).keySet()).containsExactly("a", "b");
      assertThat(events.lines()).endsWith("CHILD_STARTED b");
      Await.result(sup.shutdown());
      assertThat(linesAfter(2)).containsExactly("stopping b", "stopped b", "stopping a", "stopped a");
    }

    @Test
    void failsWithAlreadyStartedForARunningChild(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      Await.error(sup.startChild(probe("a", probe)), SupervisorError.ALREADY_STARTED);
      assertThat(probe.lines()).containsExactly("started a");
    }

    @Test
    void failsWithAlreadyPresentForAStoppedChild(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      Await.result(sup.terminateChild("a"));
      Await.error(sup.startChild(probe("a", probe)), SupervisorError.ALREADY_PRESENT);
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.STOPPED));
    }

    @Test
    void failsWithStartFailedAndKeepsNoSpec(Vertx vertx) {
      ProbeChild.Behaviour failing = new ProbeChild.Behaviour();
      failing.failAllStarts = true;
      Supervisor sup = start(vertx, options(), probe("a", probe));
      SupervisorException e = Await.error(sup.startChild(probe("b", probe, failing)), SupervisorError.START_FAILED);
      assertThat(e.getCause()).hasMessageContaining("start of b refused");
      assertThat(Supervisors.statuses(sup).keySet()).containsExactly("a");
      assertThat(events.await(START_FAILED, "b").reason().isAbnormal()).isTrue();
    }

    @Test
    void failsWithStartFailedWhenTheSupplierThrows(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      Await.error(sup.startChild(ChildSpec.worker("b", () -> {
        throw new IllegalStateException("no instance");
      })), SupervisorError.START_FAILED);
      Await.error(sup.startChild(ChildSpec.worker("c", () -> null)), SupervisorError.START_FAILED);
      Await.error(sup.startChild(ChildSpec.verticle("d", "no.such.Verticle")), SupervisorError.INVALID_SPEC);
      assertThat(Supervisors.statuses(sup).keySet()).containsExactly("a");
    }

    @Test
    void failsWithStartFailedWhenStartThrows(Vertx vertx) {
      ProbeChild.Behaviour throwing = new ProbeChild.Behaviour();
      throwing.throwOnStart = true;
      Supervisor sup = start(vertx, options(), probe("a", probe));
      assertThat(Await.error(sup.startChild(probe("b", probe, throwing)), SupervisorError.START_FAILED).getCause())
          .hasMessageContaining("start of b threw");
      assertThat(Supervisors.statuses(sup).keySet()).containsExactly("a");
    }

    @Test
    void rejectsAnInvalidSpecAndChangesNothing(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      SupervisorException e = Await.error(sup.startChild(probe("b", probe).withRestart(RestartType.TRANSIENT).withSignificant(true)),
          SupervisorError.INVALID_SPEC);
      assertThat(e).hasMessageContaining("significant");
      Await.error(sup.startChild(null), SupervisorError.INVALID_SPEC);
      assertThat(Supervisors.statuses(sup).keySet()).containsExactly("a");
      assertThat(probe.lines()).containsExactly("started a");
    }

    @Test
    void failsWithShuttingDownOnceStopped(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      Await.result(sup.shutdown());
      Await.error(sup.startChild(probe("b", probe)), SupervisorError.SHUTTING_DOWN);
      assertThat(probe.lines()).doesNotContain("started b");
    }
  }

  @Nested
  class TerminateChild {

    @Test
    void stopsAPermanentChildKeepsItsSpecAndDoesNotRestartIt(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe), probe("b", probe));
      Await.result(sup.terminateChild("a"));
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.STOPPED), Map.entry("b", ChildStatus.RUNNING));
      assertThat(Await.result(sup.countChildren())).isEqualTo(new ChildCount(2, 1, 0, 2));
      assertThat(events.count(CHILD_EXITED, null)).isZero();
      assertThat(sup.intensityUsed()).isZero();
      assertThat(requestFailure(vertx, "a")).isEqualTo(ReplyFailure.NO_HANDLERS);
    }

    @Test
    void deletesATemporaryChild(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe).withRestart(RestartType.TEMPORARY));
      Await.result(sup.terminateChild("a"));
      assertThat(Supervisors.statuses(sup)).isEmpty();
    }

    @Test
    void succeedsOnAStoppedChild(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      Await.result(sup.terminateChild("a"));
      Await.result(sup.terminateChild("a"));
      assertThat(probe.count("stopping a"::equals)).isEqualTo(1);
    }

    @Test
    void failsWithNotFound(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      assertThat(Await.error(sup.terminateChild("zz"), SupervisorError.NOT_FOUND)).hasMessageContaining("zz");
      Await.error(sup.terminateChild(null), SupervisorError.NOT_FOUND);
    }
  }

  @Nested
  class RestartChild {

    @Test
    void startsAStoppedChildAgain(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      Await.result(sup.terminateChild("a"));
      Await.result(sup.restartChild("a"));
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.RUNNING));
      assertThat(events.count(CHILD_STARTED, "a")).isEqualTo(2);
      assertThat(Await.result(vertx.eventBus().request(ProbeChild.address("a"), "hi")).body()).isEqualTo("pong");
    }

    @Test
    void failsWithRunning(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      Await.error(sup.restartChild("a"), SupervisorError.RUNNING);
      assertThat(probe.lines()).containsExactly("started a");
    }

    @Test
    void failsWithRestartingWhileARestartWaits(Vertx vertx) {
      Supervisor sup = start(vertx, options().setBackoff(Backoff.exponential(Duration.ofSeconds(30), Duration.ofSeconds(30))),
          probe("a", probe));
      send(vertx, "a", "crash");
      events.await(CHILD_EXITED, "a");
      assertThat(Supervisors.statuses(sup).get("a")).isEqualTo(ChildStatus.RESTARTING);
      Await.error(sup.restartChild("a"), SupervisorError.RESTARTING);
    }

    @Test
    void failsWithNotFound(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      Await.error(sup.restartChild("zz"), SupervisorError.NOT_FOUND);
    }

    @Test
    void failsWithStartFailedAndLeavesTheChildStopped(Vertx vertx) {
      ProbeChild.Behaviour a = new ProbeChild.Behaviour();
      Supervisor sup = start(vertx, options(), probe("a", probe, a));
      Await.result(sup.terminateChild("a"));
      a.failNextStarts(1);
      Await.error(sup.restartChild("a"), SupervisorError.START_FAILED);
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.STOPPED));
      Await.result(sup.restartChild("a"));
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.RUNNING));
    }
  }

  @Nested
  class DeleteChild {

    @Test
    void forgetsAStoppedChild(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe), probe("b", probe));
      Await.result(sup.terminateChild("a"));
      Await.result(sup.deleteChild("a"));
      assertThat(Supervisors.statuses(sup).keySet()).containsExactly("b");
      Await.error(sup.getChildSpec("a"), SupervisorError.NOT_FOUND);
      assertThat(Await.result(sup.startChild(probe("a", probe)))).isEqualTo("a");
    }

    @Test
    void failsWithRunning(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      Await.error(sup.deleteChild("a"), SupervisorError.RUNNING);
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.RUNNING));
    }

    @Test
    void failsWithRestartingWhileARestartWaits(Vertx vertx) {
      Supervisor sup = start(vertx, options().setBackoff(Backoff.exponential(Duration.ofSeconds(30), Duration.ofSeconds(30))),
          probe("a", probe));
      send(vertx, "a", "crash");
      events.await(CHILD_EXITED, "a");
      Await.error(sup.deleteChild("a"), SupervisorError.RESTARTING);
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.RESTARTING));
    }

    @Test
    void failsWithNotFound(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      Await.error(sup.deleteChild("zz"), SupervisorError.NOT_FOUND);
    }
  }

  @Nested
  class WhichChildren {

    @Test
    void listsEveryChildInStartOrderWithItsState(Vertx vertx) {
      Supervisor sup = start(vertx, options(),
          probe("a", probe).withRestart(RestartType.TRANSIENT),
          ChildSpec.supervisor("s", () -> new Supervisor(new SupervisorOptions().setName("nested"), List.of(probe("x", probe)))),
          probe("c", probe));
      Await.result(sup.terminateChild("c"));
      List<ChildInfo> rows = Await.result(sup.whichChildren());
      assertThat(rows).extracting(ChildInfo::id).containsExactly("a", "s", "c");
      assertThat(rows.get(0).type()).isEqualTo(ChildType.WORKER);
      assertThat(rows.get(0).restart()).isEqualTo(RestartType.TRANSIENT);
      assertThat(rows.get(0).deploymentId()).isIn(vertx.deploymentIDs());
      assertThat(rows.get(1).type()).isEqualTo(ChildType.SUPERVISOR);
      assertThat(rows.get(1).supervisorName()).isEqualTo("nested");
      assertThat(rows.get(2).status()).isEqualTo(ChildStatus.STOPPED);
      assertThat(rows.get(2).deploymentId()).isNull();
      JsonObject json = rows.get(1).toJson();
      assertThat(json.getString("status")).isEqualTo("RUNNING");
      assertThat(json.getString("supervisorName")).isEqualTo("nested");
    }

    @Test
    void answersWhileAnOperationIsUnderWay(Vertx vertx) {
      ProbeChild.Behaviour slow = new ProbeChild.Behaviour();
      slow.stopDelayMillis = 300;
      Supervisor sup = start(vertx, options(), probe("a", probe, slow).withShutdown(Shutdown.infinity()));
      io.vertx.core.Future<Void> stopping = sup.terminateChild("a");
      probe.await("stopping a");
      assertThat(Await.result(sup.whichChildren()).get(0).status()).isEqualTo(ChildStatus.TERMINATING);
      assertThat(stopping.isComplete()).isFalse();
      Await.result(stopping);
    }
  }

  @Nested
  class CountChildren {

    @Test
    void countsSpecsActiveSupervisorsAndWorkers(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe), probe("b", probe),
          ChildSpec.supervisor("s", () -> new Supervisor(List.of(probe("x", probe)))));
      Await.result(sup.terminateChild("b"));
      ChildCount count = Await.result(sup.countChildren());
      assertThat(count).isEqualTo(new ChildCount(3, 2, 1, 2));
      assertThat(count.toJson()).isEqualTo(new JsonObject().put("specs", 3).put("active", 2).put("supervisors", 1).put("workers", 2));
    }
  }

  @Nested
  class GetChildSpec {

    @Test
    void returnsTheSpecAsGiven(Vertx vertx) {
      ChildSpec spec = probe("a", probe).withRestart(RestartType.TRANSIENT).withShutdown(Shutdown.brutalKill());
      Supervisor sup = start(vertx, options(), spec);
      ChildSpec got = Await.result(sup.getChildSpec("a"));
      assertThat(got.toJson()).isEqualTo(spec.toJson());
    }

    @Test
    void failsWithNotFound(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      Await.error(sup.getChildSpec("zz"), SupervisorError.NOT_FOUND);
    }
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  class AutoShutdowns {

    private SupervisorOptions auto(AutoShutdown mode) {
      return options().setAutoShutdown(mode);
    }

    @Test
    void anySignificantShutsDownWhenOneSignificantChildExits(Vertx vertx) {
      Supervisor sup = start(vertx, auto(AutoShutdown.ANY_SIGNIFICANT),
          probe("bystander", probe), probe("s1", probe).withRestart(RestartType.TRANSIENT).withSignificant(true),
          probe("s2", probe).withRestart(RestartType.TRANSIENT).withSignificant(true));
      send(vertx, "s1", "exit-normal");
      assertThat(Await.result(sup.terminationFuture())).isEqualTo(ExitReason.shutdown());
      assertThat(linesAfter(3)).containsExactly("stopping s1", "stopped s1",
          "stopping s2", "stopped s2", "stopping bystander", "stopped bystander");
      assertNoChildDeployments(vertx, sup);
    }

    @Test
    void allSignificantWaitsForTheLastSignificantChild(Vertx vertx) {
      Supervisor sup = start(vertx, auto(AutoShutdown.ALL_SIGNIFICANT),
          probe("s1", probe).withRestart(RestartType.TEMPORARY).withSignificant(true),
          probe("s2", probe).withRestart(RestartType.TRANSIENT).withSignificant(true),
          probe("bystander", probe));
      send(vertx, "s1", "exit-normal");
      events.await(CHILD_EXITED, "s1");
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("s2", ChildStatus.RUNNING), Map.entry("bystander", ChildStatus.RUNNING));
      assertThat(sup.terminationFuture().isComplete()).isFalse();
      send(vertx, "s2", "exit-shutdown");
      assertThat(Await.result(sup.terminationFuture())).isEqualTo(ExitReason.shutdown());
      assertThat(probe.lines()).endsWith("stopping bystander", "stopped bystander");
    }

    @Test
    void aSignificantChildThatIsRestartedDoesNotShutDown(Vertx vertx) {
      Supervisor sup = start(vertx, auto(AutoShutdown.ANY_SIGNIFICANT),
          probe("s", probe).withRestart(RestartType.TRANSIENT).withSignificant(true));
      send(vertx, "s", "crash");
      events.await(CHILD_RESTARTED, "s");
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("s", ChildStatus.RUNNING));
      assertThat(sup.terminationFuture().isComplete()).isFalse();
    }

    @Test
    void aBystanderExitingDoesNotShutDown(Vertx vertx) {
      Supervisor sup = start(vertx, auto(AutoShutdown.ANY_SIGNIFICANT),
          probe("s", probe).withRestart(RestartType.TRANSIENT).withSignificant(true),
          probe("b", probe).withRestart(RestartType.TEMPORARY));
      send(vertx, "b", "exit-normal");
      events.await(CHILD_EXITED, "b");
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("s", ChildStatus.RUNNING));
      assertThat(sup.terminationFuture().isComplete()).isFalse();
    }

    @Test
    void terminatingASignificantChildDoesNotShutDown(Vertx vertx) {
      Supervisor sup = start(vertx, auto(AutoShutdown.ANY_SIGNIFICANT),
          probe("s", probe).withRestart(RestartType.TRANSIENT).withSignificant(true));
      Await.result(sup.terminateChild("s"));
      assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("s", ChildStatus.STOPPED));
      assertThat(sup.terminationFuture().isComplete()).isFalse();
    }

    static Stream<Arguments> parentSpecs() {
      return Stream.of(Arguments.of(RestartType.TRANSIENT, false), Arguments.of(RestartType.PERMANENT, true));
    }

    @ParameterizedTest(name = "a {0} child supervisor is restarted = {1}")
    @MethodSource("parentSpecs")
    void aChildSupervisorThatShutsItselfDownExitsWithShutdown(RestartType parentSpec, boolean restarted, Vertx vertx) {
      Supervisor parent = start(vertx, options(),
          ChildSpec.supervisor("inner", () -> new Supervisor(new SupervisorOptions().setAutoShutdown(AutoShutdown.ANY_SIGNIFICANT),
              List.of(probe("s", probe).withRestart(RestartType.TRANSIENT).withSignificant(true)))).withRestart(parentSpec));
      send(vertx, "s", "exit-normal");
      assertThat(events.await(CHILD_EXITED, "inner").reason()).isEqualTo(ExitReason.shutdown());
      if (restarted) {
        events.await(CHILD_RESTARTED, "inner");
        probe.await("started s"::equals, 2);
        assertThat(Supervisors.statuses(parent)).containsExactly(Map.entry("inner", ChildStatus.RUNNING));
      } else {
        assertThat(Supervisors.statuses(parent)).containsExactly(Map.entry("inner", ChildStatus.STOPPED));
        assertThat(probe.count("started s"::equals)).isEqualTo(1);
      }
      assertThat(parent.terminationFuture().isComplete()).isFalse();
    }
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  class Backoffs {

    private long delay(SupervisorEvent exited, SupervisorEvent restarted) {
      return Duration.between(exited.timestamp(), restarted.timestamp()).toMillis();
    }

    @Test
    void delaysGrowExponentially(Vertx vertx) {
      Supervisor sup = start(vertx, options().setBackoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(2))
              .withJitter(0).withResetAfter(Duration.ofSeconds(30))), probe("a", probe));
      List<Long> delays = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        send(vertx, "a", "crash");
        SupervisorEvent exited = events.await(CHILD_EXITED, "a", i);
        SupervisorEvent restarted = events.await(CHILD_RESTARTED, "a", i);
        delays.add(delay(exited, restarted));
      }
      assertThat(delays.get(0)).isGreaterThanOrEqualTo(50);
      assertThat(delays.get(1)).isGreaterThanOrEqualTo(100);
      assertThat(delays.get(2)).isGreaterThanOrEqualTo(200);
      assertThat(sup.intensityUsed()).isEqualTo(3);
    }

    @Test
    void resetsAfterTheChildRanLongEnough(Vertx vertx) {
      ProbeChild.Behaviour a = new ProbeChild.Behaviour();
      a.tickMillis = 20;
      start(vertx, options().setBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5))
          .withJitter(0).withResetAfter(Duration.ofMillis(150))), probe("a", probe, a));
      long last = 0;
      for (int i = 1; i <= 3; i++) {
        send(vertx, "a", "crash");
        last = delay(events.await(CHILD_EXITED, "a", i), events.await(CHILD_RESTARTED, "a", i));
      }
      assertThat(last).as("third consecutive restart").isGreaterThanOrEqualTo(400);
      // Let the child run well past resetAfter: 15 ticks of 20 ms after its restart.
      long ticks = probe.count("tick a"::equals);
      probe.await("tick a"::equals, (int) ticks + 15);
      send(vertx, "a", "crash");
      long afterRun = delay(events.await(CHILD_EXITED, "a", 4), events.await(CHILD_RESTARTED, "a", 4));
      // Without the reset this restart would wait 800 ms.
      assertThat(afterRun).as("restart after a long run").isBetween(100L, 600L);
    }
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  class Events {

    @Test
    void everyLifecycleChangeReachesListenersAndTheEventBusAlike(Vertx vertx) {
      BusEvents bus = BusEvents.listen(vertx, "test.events");
      ProbeChild.Behaviour hanging = new ProbeChild.Behaviour();
      ProbeChild.Behaviour failing = new ProbeChild.Behaviour();
      failing.failAllStarts = true;
      Supervisor sup = start(vertx, new SupervisorOptions().setName("ev").setIntensity(2).setEventsAddress("test.events"),
          probe("a", probe, hanging).withShutdown(Shutdown.timeout(Duration.ofMillis(50))), probe("b", probe));
      send(vertx, "a", "crash");
      events.await(CHILD_RESTARTED, "a");
      Await.error(sup.startChild(probe("c", probe, failing)), SupervisorError.START_FAILED);
      hanging.hangOnStop = true;
      Await.result(sup.terminateChild("a"));
      send(vertx, "b", "crash");
      events.await(CHILD_RESTARTED, "b");
      send(vertx, "b", "crash");
      Await.error(sup.terminationFuture(), SupervisorError.MAX_INTENSITY);
      bus.await("SUPERVISOR_STOPPED ev");
      List<String> expected = List.of(
          "CHILD_STARTED ev/a", "CHILD_STARTED ev/b", "SUPERVISOR_STARTED ev",
          "CHILD_EXITED ev/a", "CHILD_RESTARTED ev/a",
          "START_FAILED ev/c",
          "CHILD_TERMINATED ev/a", "SHUTDOWN_ERROR ev/a",
          "CHILD_EXITED ev/b", "CHILD_RESTARTED ev/b",
          "CHILD_EXITED ev/b", "MAX_INTENSITY_REACHED ev/b", "SUPERVISOR_STOPPED ev");
      assertThat(bus.probe().lines()).containsExactlyElementsOf(expected);
      assertThat(events.events()).extracting(e -> e.type() + " ev" + (e.childId() == null ? "" : "/" + e.childId()))
          .containsExactlyElementsOf(expected);
      // Every type a local supervisor can publish (handoff and failover are the distributed supervisor's).
      assertThat(SupervisorEvent.Type.values())
          .filteredOn(t -> t != SupervisorEvent.Type.CHILD_HANDED_OFF && t != SupervisorEvent.Type.CHILD_FAILED_OVER)
          .allMatch(t -> expected.stream().anyMatch(l -> l.startsWith(t + " ")));
    }

    @Test
    void publishesTheDocumentedJsonShape(Vertx vertx) {
      BusEvents bus = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      start(vertx, new SupervisorOptions().setName("shape").setIntensity(5), probe("a", probe));
      send(vertx, "a", "crash");
      bus.await("CHILD_RESTARTED shape/a");
      JsonObject exited = bus.body("CHILD_EXITED", "a");
      assertThat(exited.fieldNames()).containsExactlyInAnyOrder("type", "supervisor", "childId", "reason", "restartCount", "timestamp",
          "nodeId", "deploymentId");
      assertThat(exited.getString("supervisor")).isEqualTo("shape");
      assertThat(exited.getString("nodeId")).isEqualTo(Overseer.nodeId(vertx));
      assertThat(SupervisorEvent.fromJson(exited).toJson()).isEqualTo(exited);
      assertThat(exited.getInteger("restartCount")).isZero();
      assertThat(java.time.Instant.parse(exited.getString("timestamp"))).isNotNull();
      JsonObject reason = exited.getJsonObject("reason");
      assertThat(reason.getString("kind")).isEqualTo("FAILURE");
      assertThat(reason.getString("error")).isEqualTo(IllegalStateException.class.getName());
      assertThat(reason.getString("message")).isEqualTo("crash requested for a");
      assertThat(reason.getJsonArray("stack")).isNotEmpty();
      assertThat(bus.body("CHILD_RESTARTED", "a").getInteger("restartCount")).isEqualTo(1);
      assertThat(bus.body("SUPERVISOR_STARTED", null).containsKey("childId")).isFalse();
      assertThat(bus.body("CHILD_STARTED", "a").containsKey("reason")).isFalse();
    }

    @Test
    void publishesNothingOnTheBusWhenDisabledButStillTellsListeners(Vertx vertx) {
      BusEvents bus = BusEvents.listen(vertx, SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
      Supervisor sup = start(vertx, options().setPublishEvents(false), probe("a", probe));
      send(vertx, "a", "crash");
      events.await(CHILD_RESTARTED, "a");
      Await.result(sup.shutdown());
      // A second, publishing supervisor's event arrives after anything the first could have sent.
      start(vertx, options().setName("marker"), probe("m", probe));
      bus.await("SUPERVISOR_STARTED marker");
      assertThat(bus.probe().lines()).allMatch(l -> l.contains("marker"));
      assertThat(events.count(SUPERVISOR_STOPPED, null)).isEqualTo(1);
    }

    @Test
    void aThrowingListenerDoesNotDisturbTheSupervisor(Vertx vertx) {
      Supervisor sup = new Supervisor(options(), List.of(probe("a", probe)));
      sup.addListener(e -> {
        throw new IllegalStateException("listener bug");
      });
      sup.addListener(events);
      Await.result(vertx.deployVerticle(sup));
      send(vertx, "a", "crash");
      events.await(CHILD_RESTARTED, "a");
      sup.removeListener(events);
      Await.result(sup.shutdown());
      assertThat(events.count(SUPERVISOR_STOPPED, null)).isZero();
    }

    @Test
    void reportsStartedChildrenBeforeTheSupervisor(Vertx vertx) {
      start(vertx, options(), probe("a", probe));
      assertThat(events.lines()).containsExactly("CHILD_STARTED a", "SUPERVISOR_STARTED");
      assertThat(events.events().get(1).supervisor()).startsWith("supervisor-");
      assertThat(events.events().get(0).timestamp()).isBeforeOrEqualTo(events.events().get(1).timestamp());
    }
  }

  // ------------------------------------------------------------------------------------------

  @Nested
  class Accessors {

    @Test
    void reportNameOptionsAndDeployment(Vertx vertx) {
      Supervisor sup = start(vertx, options().setName("acc").setStrategy(RestartStrategy.REST_FOR_ONE), probe("a", probe));
      assertThat(sup.name()).isEqualTo("acc");
      assertThat(sup.options().getStrategy()).isEqualTo(RestartStrategy.REST_FOR_ONE);
      sup.options().setStrategy(RestartStrategy.ONE_FOR_ALL);
      assertThat(sup.options().getStrategy()).isEqualTo(RestartStrategy.REST_FOR_ONE);
      assertThat(sup.deploymentId()).isIn(vertx.deploymentIDs());
    }

    @Test
    void generateANameWhenNoneIsGiven(Vertx vertx) {
      Supervisor sup = start(vertx, options(), probe("a", probe));
      assertThat(sup.name()).startsWith("supervisor-");
      assertThat(SupervisorBase.lookup(vertx, sup.name())).containsSame(sup);
    }

    @Test
    void refuseShutdownBeforeDeployment() {
      Supervisor sup = new Supervisor(List.of());
      assertThat(Await.failure(sup.shutdown())).isInstanceOf(IllegalStateException.class);
      assertThat(Await.failure(sup.whichChildren())).isInstanceOf(IllegalStateException.class);
      assertThat(Await.failure(sup.startChild(probe("a", new Probe())))).isInstanceOf(IllegalStateException.class);
    }
  }

}
