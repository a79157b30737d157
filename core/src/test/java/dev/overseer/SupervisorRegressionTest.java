package dev.overseer;

import dev.overseer.testing.Await;
import dev.overseer.testing.EventLog;
import dev.overseer.testing.Probe;
import dev.overseer.testing.ProbeChild;
import dev.overseer.testing.Supervisors;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static dev.overseer.SupervisorEvent.Type.CHILD_EXITED;
import static dev.overseer.SupervisorEvent.Type.CHILD_RESTARTED;
import static dev.overseer.SupervisorEvent.Type.CHILD_STARTED;
import static dev.overseer.SupervisorEvent.Type.CHILD_TERMINATED;
import static dev.overseer.SupervisorEvent.Type.SHUTDOWN_ERROR;
import static dev.overseer.SupervisorEvent.Type.START_FAILED;
import static dev.overseer.testing.Supervisors.probe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regressions of issue 8 (supervisor items) and the name wiring of issue 9: each test failed
 * before its fix.
 */
@ExtendWith(VertxExtension.class)
class SupervisorRegressionTest {

  private final Probe probe = new Probe();
  private final EventLog events = new EventLog();

  private static SupervisorOptions options() {
    return new SupervisorOptions().setIntensity(10).setPeriod(Duration.ofSeconds(30));
  }

  private Supervisor start(Vertx vertx, SupervisorOptions options, ChildSpec... specs) {
    Supervisor supervisor = new Supervisor(options, List.of(specs));
    supervisor.addListener(events);
    Await.result(vertx.deployVerticle(supervisor));
    return supervisor;
  }

  /** A verticle whose {@code start()} returns {@code null} instead of a future. */
  static final class NullStart extends VerticleBase {
    @Override
    public Future<?> start() {
      return null;
    }
  }

  /** A {@link Deployable} whose {@code deploy} returns {@code null}. */
  static final class NullDeploy implements Deployable {
    @Override
    public Future<?> deploy(Context context) {
      return null;
    }

    @Override
    public Future<?> undeploy(Context context) {
      return Future.succeededFuture();
    }
  }

  /** A verticle whose start completes only when the test releases it. */
  static final class GatedStart extends VerticleBase {
    final io.vertx.core.Promise<Void> gate;

    GatedStart(io.vertx.core.Promise<Void> gate) {
      this.gate = gate;
    }

    @Override
    public Future<?> start() {
      return gate.future();
    }
  }

  /**
   * Documented divergence: a start that does not complete holds the operations behind it (as
   * in OTP), but reads still answer, showing the child as STARTING.
   */
  @Test
  void aStartThatDoesNotCompleteHoldsWritesButNotReads(Vertx vertx) {
    Supervisor sup = start(vertx, options(), probe("a", probe));
    io.vertx.core.Promise<Void> gate = io.vertx.core.Promise.promise();
    Future<String> starting = sup.startChild(ChildSpec.worker("slow", () -> new GatedStart(gate)));
    // poll with a deadline: the start task reaches the mailbox a context hop after the call
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<ChildInfo> rows;
    do {
      rows = Await.result(sup.whichChildren());
    } while (rows.size() < 2 && System.nanoTime() < deadline);
    assertThat(rows).extracting(ChildInfo::id, ChildInfo::status).containsExactly(
        org.assertj.core.groups.Tuple.tuple("a", ChildStatus.RUNNING), org.assertj.core.groups.Tuple.tuple("slow", ChildStatus.STARTING));
    assertThat(Await.result(sup.countChildren()).specs()).isEqualTo(2);
    Future<Void> terminate = sup.terminateChild("a");
    assertThat(starting.isComplete()).isFalse();
    assertThat(terminate.isComplete()).isFalse();
    vertx.runOnContext(v -> gate.complete());
    assertThat(Await.result(starting)).isEqualTo("slow");
    Await.result(terminate);
    assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.STOPPED), Map.entry("slow", ChildStatus.RUNNING));
  }

  /**
   * A child that undeploys itself is restarted only once Vert.x has dropped its old deployment
   * (its consumers are gone with it), checked at the moment of every restart in a loop.
   */
  @Test
  void aSelfUndeployedChildIsRestartedOnlyAfterItsOldDeploymentIsGone(Vertx vertx) {
    ProbeChild.Behaviour slowStop = new ProbeChild.Behaviour();
    slowStop.stopDelayMillis = 2;
    ProbeChild.Behaviour tick = new ProbeChild.Behaviour();
    tick.tickMillis = 1;
    Supervisor sup = new Supervisor(new SupervisorOptions().setIntensity(1000).setPeriod(Duration.ofSeconds(60)),
        List.of(probe("a", probe), probe("b", probe, slowStop), probe("c", probe, tick)));
    List<String> stillListed = new java.util.concurrent.CopyOnWriteArrayList<>();
    String[] exitedDeployment = new String[1];
    sup.addListener(e -> {
      if (e.type() == CHILD_EXITED) {
        exitedDeployment[0] = e.deploymentId();
      } else if (e.type() == CHILD_RESTARTED && vertx.deploymentIDs().contains(exitedDeployment[0])) {
        stillListed.add(exitedDeployment[0]);
      }
    });
    sup.addListener(events);
    Await.result(vertx.deployVerticle(sup));
    for (int i = 1; i <= 30; i++) {
      for (String child : List.of("a", "b", "c")) {
        vertx.eventBus().send(ProbeChild.address(child), "undeploy-self");
        events.await(CHILD_RESTARTED, child, i);
      }
    }
    assertThat(stillListed).as("old deployments still listed when their child restarted").isEmpty();
    assertThat(vertx.deploymentIDs()).hasSize(4);
  }

  @Nested
  class NullStartFuture {

    private void assertStartFailsAndSupervisorServes(Vertx vertx, SupervisorBase sup, Supplier<? extends Deployable> start) {
      SupervisorException e = Await.error(sup.startChild(ChildSpec.worker("n", start)), SupervisorError.START_FAILED);
      assertThat(e.getCause()).hasMessageContaining("null");
      assertThat(Await.result(sup.countChildren()).specs()).isZero();
      // still serving: a good child starts after the bad one
      assertThat(Await.result(sup.startChild(probe("ok", probe)))).isEqualTo("ok");
      assertThat(Await.result(sup.whichChildren())).extracting(ChildInfo::id).containsExactly("ok");
    }

    @Test
    void aVerticleWhoseStartReturnsNullFailsItsStart(Vertx vertx) {
      assertStartFailsAndSupervisorServes(vertx, start(vertx, options()), NullStart::new);
    }

    @Test
    void aDeployableWhoseDeployReturnsNullFailsItsStart(Vertx vertx) {
      assertStartFailsAndSupervisorServes(vertx, start(vertx, options()), NullDeploy::new);
    }

    @Test
    void aDynamicSupervisorKeepsServingToo(Vertx vertx) {
      DynamicSupervisor sup = Await.result(DynamicSupervisor.start(vertx, new DynamicSupervisorOptions()));
      assertStartFailsAndSupervisorServes(vertx, sup, NullStart::new);
    }
  }

  @Test
  void startChildOfARestartingChildIsAlreadyPresent(Vertx vertx) {
    Supervisor sup = start(vertx, options().setBackoff(Backoff.exponential(Duration.ofSeconds(20), Duration.ofSeconds(20))
        .withJitter(0)), probe("a", probe));
    vertx.eventBus().send(ProbeChild.address("a"), "crash");
    events.await(CHILD_EXITED, "a");
    assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.RESTARTING));
    Await.error(sup.startChild(probe("a", probe)), SupervisorError.ALREADY_PRESENT);
    assertThat(Supervisors.statuses(sup)).containsExactly(Map.entry("a", ChildStatus.RESTARTING));
  }

  @Test
  void shutdownZeroRunsStopThenKillsAtOnce(Vertx vertx) {
    ProbeChild.Behaviour hanging = new ProbeChild.Behaviour();
    hanging.hangOnStop = true;
    Supervisor sup = start(vertx, options(), probe("a", probe, hanging).withShutdown(Shutdown.timeout(Duration.ZERO)));
    Await.result(sup.terminateChild("a"));
    assertThat(probe.lines()).containsExactly("started a", "stopping a");
    assertThat(events.await(SHUTDOWN_ERROR, "a").reason().isAbnormal()).isTrue();
    Throwable t = Await.failure(vertx.eventBus().request(ProbeChild.address("a"), "ping"));
    assertThat(((ReplyException) t).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
    assertThat(Await.result(sup.getChildSpec("a")).shutdown().timeout()).isZero();
    assertThat(ChildSpec.fromJson(ChildSpec.verticle("b", ProbeChild.class.getName())
        .withShutdown(Shutdown.timeout(Duration.ZERO)).toJson()).shutdown()).isEqualTo(Shutdown.timeout(Duration.ZERO));
  }

  @Test
  void readsFailOnceTheSupervisorStopped(Vertx vertx) {
    Supervisor sup = start(vertx, options(), probe("a", probe));
    Await.result(sup.shutdown());
    assertThat(Await.result(sup.terminationFuture())).isEqualTo(ExitReason.shutdown());
    Await.error(sup.whichChildren(), SupervisorError.SHUTTING_DOWN);
    Await.error(sup.countChildren(), SupervisorError.SHUTTING_DOWN);
    Await.error(sup.getChildSpec("a"), SupervisorError.SHUTTING_DOWN);
    Await.error(sup.describe(), SupervisorError.SHUTTING_DOWN);
    Await.error(sup.terminateChild("a"), SupervisorError.SHUTTING_DOWN);
  }

  @Test
  void terminationFutureFailsWithTheCauseWhenTheDeploymentFails(Vertx vertx) {
    ProbeChild.Behaviour failing = new ProbeChild.Behaviour();
    failing.failAllStarts = true;
    Supervisor sup = new Supervisor(options(), List.of(probe("a", probe, failing)));
    Throwable deploy = Await.failure(vertx.deployVerticle(sup));
    assertThat(Await.failure(sup.terminationFuture())).isSameAs(deploy);
    Supervisor first = start(vertx, options().setName("taken"));
    Supervisor twin = new Supervisor(options().setName("taken"), List.of());
    Throwable dup = Await.failure(vertx.deployVerticle(twin));
    assertThat(Await.failure(twin.terminationFuture())).isSameAs(dup);
    assertThat(first.terminationFuture().isComplete()).isFalse();
  }

  @Nested
  class Names {

    @Test
    void anUnnamedNestedSupervisorKeepsParentSlashChildIdAcrossRestarts(Vertx vertx) {
      Supervisor top = start(vertx, options().setName("top"),
          ChildSpec.supervisor("mid", () -> new Supervisor(new SupervisorOptions(), List.of(probe("x", probe)))));
      assertThat(Supervisors.children(top).get("mid").supervisorName()).isEqualTo("top/mid");
      SupervisorBase first = SupervisorBase.lookup(vertx, "top/mid").orElseThrow();
      // mid has intensity 1: the second crash in a row makes it give up, and top restarts it
      vertx.eventBus().send(ProbeChild.address("x"), "exit-failure");
      probe.await("started x"::equals, 2);
      vertx.eventBus().send(ProbeChild.address("x"), "exit-failure");
      events.await(CHILD_RESTARTED, "mid");
      Supervisors.settle(top);
      assertThat(Supervisors.children(top).get("mid").supervisorName()).isEqualTo("top/mid");
      assertThat(SupervisorBase.lookup(vertx, "top/mid")).isPresent().get().isNotSameAs(first);
      assertThat(Await.result(Overseer.nameRegistry(vertx).whereis("top/mid"))).isPresent();
    }

    @Test
    void supervisorsRegisterWithTheNameRegistry(Vertx vertx) {
      Supervisor sup = start(vertx, options().setName("reg"));
      NameRecord record = Await.result(Overseer.nameRegistry(vertx).whereis("reg")).orElseThrow();
      assertThat(record).isEqualTo(new NameRecord("reg", SupervisorBase.KIND, Overseer.nodeId(vertx), sup.deploymentId()));
      Await.result(sup.shutdown());
      assertThat(Await.result(Overseer.nameRegistry(vertx).whereis("reg"))).isEmpty();
      assertThat(Await.result(Overseer.nameRegistry(vertx).isExpected("reg"))).isFalse();
    }
  }

  @Test
  void eventsCarryTheNodeAndTheChildsDeployment(Vertx vertx) {
    Supervisor sup = start(vertx, options(), probe("a", probe));
    String first = Supervisors.children(sup).get("a").deploymentId();
    vertx.eventBus().send(ProbeChild.address("a"), "crash");
    SupervisorEvent exited = events.await(CHILD_EXITED, "a");
    SupervisorEvent restarted = events.await(CHILD_RESTARTED, "a");
    assertThat(events.await(CHILD_STARTED, "a").deploymentId()).isEqualTo(first);
    assertThat(exited.deploymentId()).isEqualTo(first);
    assertThat(exited.nodeId()).isEqualTo(Overseer.nodeId(vertx));
    assertThat(restarted.deploymentId()).isNotNull().isNotEqualTo(first)
        .isEqualTo(Supervisors.children(sup).get("a").deploymentId());
    Await.result(sup.terminateChild("a"));
    assertThat(events.await(CHILD_TERMINATED, "a").deploymentId()).isEqualTo(restarted.deploymentId());
    ProbeChild.Behaviour failing = new ProbeChild.Behaviour();
    failing.failAllStarts = true;
    Await.error(sup.startChild(probe("b", probe, failing)), SupervisorError.START_FAILED);
    assertThat(events.await(START_FAILED, "b").deploymentId()).isNull();
  }
}
