package dev.overseer;

import dev.overseer.testing.Await;
import dev.overseer.testing.EventLog;
import dev.overseer.testing.Probe;
import dev.overseer.testing.Supervisors;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipelined starts of a {@link DynamicSupervisor}: the mailbox is held only while a start
 * reserves its id, so starts overlap; every OTP promise about one id, capacity, stops and
 * shutdown still holds for a child that is still starting. A static {@link Supervisor} keeps
 * its starts in order.
 */
@ExtendWith(VertxExtension.class)
class PipelinedStartsTest {

  private final Probe probe = new Probe();
  private final EventLog events = new EventLog();
  /** The latest incarnation of each gated child, by id. */
  private final Map<String, GatedChild> gated = new ConcurrentHashMap<>();

  /** A child whose start completes only when the test opens its gate (or fails it). */
  final class GatedChild extends VerticleBase {
    private final String id;
    private final Promise<Void> gate = Promise.promise();
    private volatile Context ctx;

    GatedChild(String id) {
      this.id = id;
    }

    @Override
    public Future<?> start() {
      ctx = context;
      probe.record("starting " + id);
      gated.put(id, this);
      return gate.future().onSuccess(v -> probe.record("started " + id));
    }

    @Override
    public Future<?> stop() {
      probe.record("stopped " + id);
      return Future.succeededFuture();
    }

    void open() {
      ctx.runOnContext(v -> gate.tryComplete());
    }

    void fail() {
      ctx.runOnContext(v -> gate.tryFail(new IllegalStateException("gate of " + id + " failed")));
    }
  }

  private ChildSpec gatedSpec(String id) {
    return ChildSpec.worker(id, () -> new GatedChild(id));
  }

  /** Waits until the child's start has begun, and returns it. */
  private GatedChild starting(Vertx vertx, String id) {
    Await.until(vertx, () -> gated.containsKey(id));
    return gated.get(id);
  }

  private DynamicSupervisor dynamic(Vertx vertx, DynamicSupervisorOptions options) {
    DynamicSupervisor sup = new DynamicSupervisor(options);
    sup.addListener(events);
    Await.result(vertx.deployVerticle(sup));
    return sup;
  }

  private static DynamicSupervisorOptions options() {
    return new DynamicSupervisorOptions().setIntensity(10).setPeriod(Duration.ofSeconds(30));
  }

  @Nested
  class Dynamic {

    @Test
    void aStartDoesNotWaitForAnEarlierStartToFinish(Vertx vertx) {
      DynamicSupervisor sup = dynamic(vertx, options());
      Future<String> a = sup.startChild(gatedSpec("a"));
      GatedChild gateA = starting(vertx, "a");
      assertThat(Await.result(sup.startChild(Supervisors.probe("b", probe)))).isEqualTo("b");
      assertThat(a.isComplete()).isFalse();
      assertThat(Supervisors.statuses(sup)).containsExactly(
          Map.entry("a", ChildStatus.STARTING), Map.entry("b", ChildStatus.RUNNING));
      assertThat(Await.result(sup.countChildren()).active()).isEqualTo(1);
      gateA.open();
      assertThat(Await.result(a)).isEqualTo("a");
      assertThat(Supervisors.statuses(sup)).containsExactly(
          Map.entry("a", ChildStatus.RUNNING), Map.entry("b", ChildStatus.RUNNING));
    }

    @Test
    void manyStartsInFlightAllComplete(Vertx vertx) {
      DynamicSupervisor sup = dynamic(vertx, options());
      List<Future<String>> starts = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        starts.add(sup.startChild(Supervisors.probe("c" + i, probe)));
      }
      Await.result(Future.all(starts));
      assertThat(Await.result(sup.countChildren()).active()).isEqualTo(200);
      assertThat(events.count(SupervisorEvent.Type.CHILD_STARTED, null)).isEqualTo(200);
    }

    @Test
    void theSameIdWhileItStartsIsAlreadyStartedAndStartsNothing(Vertx vertx) {
      DynamicSupervisor sup = dynamic(vertx, options());
      Future<String> first = sup.startChild(gatedSpec("a"));
      GatedChild gate = starting(vertx, "a");
      Await.error(sup.startChild(gatedSpec("a")), SupervisorError.ALREADY_STARTED);
      gate.open();
      Await.result(first);
      assertThat(probe.lines()).containsExactly("starting a", "started a");
    }

    @Test
    void maxChildrenCountsStartsInFlight(Vertx vertx) {
      DynamicSupervisor sup = dynamic(vertx, options().setMaxChildren(1));
      Future<String> a = sup.startChild(gatedSpec("a"));
      GatedChild gate = starting(vertx, "a");
      Await.error(sup.startChild(Supervisors.probe("b", probe)), SupervisorError.MAX_CHILDREN);
      gate.open();
      Await.result(a);
      assertThat(probe.lines()).doesNotContain("started b");
    }

    @Test
    void aFailedStartIsNotKeptAndFreesItsIdAndRoom(Vertx vertx) {
      DynamicSupervisor sup = dynamic(vertx, options().setMaxChildren(1));
      Future<String> a = sup.startChild(gatedSpec("a"));
      starting(vertx, "a").fail();
      SupervisorException e = Await.error(a, SupervisorError.START_FAILED);
      assertThat(e).hasMessageContaining("gate of a failed");
      assertThat(Await.result(sup.whichChildren())).isEmpty();
      events.await(SupervisorEvent.Type.START_FAILED, "a");
      Future<String> again = sup.startChild(gatedSpec("a"));
      Await.until(vertx, () -> probe.count("starting a"::equals) == 2);
      gated.get("a").open();
      assertThat(Await.result(again)).isEqualTo("a");
    }

    @Test
    void terminateChildOfAStartingChildWaitsForTheStartThenStopsIt(Vertx vertx) {
      DynamicSupervisor sup = dynamic(vertx, options());
      Future<String> a = sup.startChild(gatedSpec("a"));
      GatedChild gate = starting(vertx, "a");
      Future<Void> terminated = sup.terminateChild("a");
      // The terminate holds the mailbox until the start is over: a read still answers meanwhile.
      assertThat(Await.result(sup.whichChildren())).extracting(ChildInfo::status).containsExactly(ChildStatus.STARTING);
      assertThat(terminated.isComplete()).isFalse();
      gate.open();
      Await.result(terminated);
      assertThat(Await.result(a)).isEqualTo("a");
      assertThat(probe.lines()).containsExactly("starting a", "started a", "stopped a");
      assertThat(Await.result(sup.whichChildren())).isEmpty();
      assertThat(vertx.deploymentIDs()).containsExactly(sup.deploymentId());
    }

    @Test
    void terminateChildOfAStartThatFailsLeavesNothing(Vertx vertx) {
      DynamicSupervisor sup = dynamic(vertx, options());
      Future<String> a = sup.startChild(gatedSpec("a"));
      GatedChild gate = starting(vertx, "a");
      Future<Void> terminated = sup.terminateChild("a");
      gate.fail();
      Await.result(terminated);
      Await.error(a, SupervisorError.START_FAILED);
      assertThat(Await.result(sup.whichChildren())).isEmpty();
      assertThat(vertx.deploymentIDs()).containsExactly(sup.deploymentId());
    }

    @Test
    void aCrashRightAfterItsStartIsHandledAsAnExitOfARunningChild(Vertx vertx) {
      DynamicSupervisor sup = dynamic(vertx, options());
      Future<String> a = sup.startChild(gatedSpec("a").withRestart(RestartType.TEMPORARY));
      GatedChild gate = starting(vertx, "a");
      gate.ctx.runOnContext(v -> {
        gate.gate.complete();
        throw new IllegalStateException("boom right after start");
      });
      Await.result(a);
      events.await(SupervisorEvent.Type.CHILD_EXITED, "a");
      assertThat(events.count(SupervisorEvent.Type.CHILD_STARTED, "a")).isEqualTo(1);
      assertThat(Supervisors.statuses(sup)).isEmpty();
      assertThat(vertx.deploymentIDs()).containsExactly(sup.deploymentId());
    }

    @Test
    void shutdownWhileStartsAreInFlightStopsThemAndFailsTheirCallers(Vertx vertx) {
      DynamicSupervisor sup = dynamic(vertx, options());
      Await.result(sup.startChild(Supervisors.probe("b", probe)));
      Future<String> a = sup.startChild(gatedSpec("a"));
      GatedChild gate = starting(vertx, "a");
      Future<Void> undeployed = vertx.undeploy(sup.deploymentId());
      Await.until(vertx, () -> probe.lines().contains("stopped b"));
      Await.error(sup.startChild(Supervisors.probe("c", probe)), SupervisorError.SHUTTING_DOWN);
      assertThat(undeployed.isComplete()).isFalse();
      gate.open();
      Await.result(undeployed);
      Await.error(a, SupervisorError.SHUTTING_DOWN);
      assertThat(probe.lines()).contains("started a", "stopped a").doesNotContain("started c");
      assertThat(vertx.deploymentIDs()).isEmpty();
      assertThat(Await.result(sup.terminationFuture())).isEqualTo(ExitReason.shutdown());
    }
  }

  @Nested
  class Killed {

    @Test
    void aBrutallyKilledDynamicSupervisorKillsAChildStillStartingOnceItHasStarted(Vertx vertx) {
      DynamicSupervisor[] nested = new DynamicSupervisor[1];
      Supervisor parent = new Supervisor(new SupervisorOptions().setIntensity(10).setPeriod(Duration.ofSeconds(30)),
          List.of(ChildSpec.supervisor("dyn", () -> nested[0] = new DynamicSupervisor(options()))
              .withShutdown(dev.overseer.Shutdown.brutalKill())));
      String parentId = Await.result(vertx.deployVerticle(parent));
      Await.result(nested[0].startChild(Supervisors.probe("b", probe)));
      String b = Supervisors.children(nested[0]).get("b").deploymentId();
      Future<String> a = nested[0].startChild(gatedSpec("a"));
      GatedChild gate = starting(vertx, "a");
      Future<Void> terminated = parent.terminateChild("dyn");
      Await.until(vertx, () -> !vertx.deploymentIDs().contains(b));
      // The running child is gone at once, without its stop; the one starting waits for its start.
      assertThat(probe.lines()).doesNotContain("stopped b");
      assertThat(terminated.isComplete()).isFalse();
      gate.open();
      Await.result(terminated);
      Await.failure(a);
      assertThat(probe.lines()).contains("started a").doesNotContain("stopped a", "stopped b");
      assertThat(vertx.deploymentIDs()).containsExactly(parentId);
    }
  }

  @Nested
  class Static {

    @Test
    void startChildStillWaitsForTheChildBeforeTheNextMessage(Vertx vertx) {
      Supervisor sup = new Supervisor(new SupervisorOptions().setIntensity(10).setPeriod(Duration.ofSeconds(30)), List.of());
      Await.result(vertx.deployVerticle(sup));
      Future<String> a = sup.startChild(gatedSpec("a"));
      GatedChild gate = starting(vertx, "a");
      Future<String> b = sup.startChild(Supervisors.probe("b", probe));
      assertThat(Await.result(sup.whichChildren())).extracting(ChildInfo::id).containsExactly("a");
      assertThat(b.isComplete()).isFalse();
      gate.open();
      Await.result(b);
      Await.result(a);
      assertThat(probe.lines()).containsExactly("starting a", "started a", "started b");
      assertThat(Supervisors.statuses(sup)).containsExactly(
          Map.entry("a", ChildStatus.RUNNING), Map.entry("b", ChildStatus.RUNNING));
    }
  }
}
