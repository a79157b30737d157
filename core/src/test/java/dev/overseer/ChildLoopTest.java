package dev.overseer;

import dev.overseer.server.From;
import dev.overseer.server.Result;
import dev.overseer.server.Server;
import dev.overseer.server.ServerOptions;
import dev.overseer.testing.Await;
import dev.overseer.testing.EventLog;
import dev.overseer.testing.Probe;
import io.netty.channel.EventLoop;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ChildLoop#SUPERVISOR}: every child runs on its supervisor's event loop (start, handlers,
 * timers, stop, restarts in place), with its deployment's config and id, and its consumers and
 * timers released when it stops; crashes, restarts (plain and in place, one for one and in a
 * group), kills, shutdown timeouts and {@code vertx.close()} behave as with {@link ChildLoop#ANY}.
 * Real Vert.x, 4 event loops (Vert.x's default on 2 cores), so that {@code ANY} spreads children.
 */
@ExtendWith(VertxExtension.class)
class ChildLoopTest {

  /** Where each child's code last ran, by its address: thread and event loop. */
  private static final Map<String, Thread> THREADS = new ConcurrentHashMap<>();
  private static final Map<String, EventLoop> LOOPS = new ConcurrentHashMap<>();

  private Vertx vertx;
  private Probe probe;
  private EventLog events;
  private final AtomicReference<Thread> supervisorThread = new AtomicReference<>();
  private final AtomicReference<EventLoop> supervisorLoop = new AtomicReference<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.probe = new Probe();
    this.events = new EventLog();
  }

  @AfterEach
  void eventsRanOnOneThread() {
    assertThat(probe.lines()).noneMatch(l -> l.startsWith("event on another thread"));
  }

  private static EventLoop loop() {
    return ((ContextInternal) Vertx.currentContext()).nettyEventLoop();
  }

  private static void seen(String address) {
    THREADS.put(address, Thread.currentThread());
    LOOPS.put(address, loop());
  }

  /**
   * A plain verticle: a consumer on its address ("where" replies where it runs and what its
   * context says; "crash" throws in the handler; "crashLater" throws in a timer) and a periodic
   * timer. Records "start", "tick" (first one) and "stop" lines; a stop may hang.
   */
  final class LoopChild extends VerticleBase {
    final String address;
    final boolean hangOnStop;
    final AtomicLong periodic = new AtomicLong(-1);

    LoopChild(String address, boolean hangOnStop) {
      this.address = address;
      this.hangOnStop = hangOnStop;
    }

    @Override
    public Future<?> start() {
      seen(address);
      probe.record("start " + address + " on " + Thread.currentThread().getName());
      AtomicInteger ticks = new AtomicInteger();
      periodic.set(vertx.setPeriodic(5, id -> {
        if (ticks.incrementAndGet() == 1) {
          probe.record("tick " + address + " on " + Thread.currentThread().getName());
        }
      }));
      PERIODICS.put(address, periodic.get());
      return vertx.eventBus().consumer(address, m -> {
        seen(address);
        switch (String.valueOf(m.body())) {
          case "crash":
            throw new IllegalStateException("crash in handler of " + address);
          case "crashLater":
            vertx.setTimer(1, t -> {
              throw new IllegalStateException("crash in timer of " + address);
            });
            m.reply("ok");
            break;
          default:
            m.reply(new JsonObject()
                .put("thread", Thread.currentThread().getName())
                .put("config", context.config())
                .put("deploymentID", context.deploymentID())
                .put("currentDeploymentID", Vertx.currentContext().deploymentID())
                .put("isCurrent", ((ContextInternal) Vertx.currentContext()).unwrap() == context));
        }
      }).completion();
    }

    @Override
    public Future<?> stop() {
      seen(address);
      probe.record("stop " + address + " on " + Thread.currentThread().getName());
      return hangOnStop ? Promise.promise().future() : Future.succeededFuture();
    }
  }

  /** Timer ids of the children's periodic timers, by address. */
  private static final Map<String, Long> PERIODICS = new ConcurrentHashMap<>();

  /** A Server: "where" replies where it runs; "crash" throws. Records "init" with its instance number. */
  final class LoopServer extends Server<Long> {
    final int instance;

    LoopServer(String name, int instance) {
      super(new ServerOptions(name));
      this.instance = instance;
    }

    @Override
    protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
      seen(name());
      probe.record("init " + name() + "#" + instance + " on " + Thread.currentThread().getName());
      return Future.succeededFuture(0L);
    }

    @Override
    protected Result<Long> handleCall(Object request, From from, Long state) {
      seen(name());
      if ("crash".equals(request)) {
        throw new IllegalStateException("crash requested of " + name());
      }
      return Result.reply(new JsonObject().put("instance", instance).put("thread", Thread.currentThread().getName())
          .put("deploymentID", Vertx.currentContext().deploymentID()), state);
    }

    @Override
    protected void terminate(ExitReason reason, Long state) {
      probe.record("terminate " + name() + "#" + instance + " on " + Thread.currentThread().getName());
    }
  }

  private final Map<String, AtomicInteger> serverStarts = new ConcurrentHashMap<>();

  private ChildSpec server(String name) {
    return ChildSpec.worker(name, () -> new LoopServer(name, serverStarts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet()));
  }

  private ChildSpec plain(String name) {
    return plain(name, false).withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("me", name)));
  }

  private ChildSpec plain(String name, boolean hangOnStop) {
    return ChildSpec.worker(name, () -> new LoopChild(name, hangOnStop));
  }

  private Supervisor start(Vertx on, SupervisorOptions options, List<ChildSpec> specs) {
    Supervisor sup = new Supervisor(options, specs);
    sup.addListener(e -> {
      // Local listeners run on the supervisor's context: its events tell its thread and loop.
      Thread t = Thread.currentThread();
      if (!supervisorThread.compareAndSet(null, t) && supervisorThread.get() != t) {
        probe.record("event on another thread " + t.getName());
      }
      supervisorLoop.compareAndSet(null, loop());
      events.handle(e);
    });
    Await.result(on.deployVerticle(sup));
    assertThat(supervisorThread.get()).as("the supervisor published its start").isNotNull();
    return sup;
  }

  /** @return the name of the supervisor's event-loop thread */
  private String sup() {
    return supervisorThread.get().getName();
  }

  /** @return whether the child at {@code address} last ran on the supervisor's thread and loop */
  private boolean onSupervisorLoop(String address) {
    return THREADS.get(address) == supervisorThread.get() && LOOPS.get(address) == supervisorLoop.get();
  }

  private JsonObject where(String address) {
    return (JsonObject) Await.result(vertx.eventBus().request(address, "where")).body();
  }

  private static SupervisorOptions onSupervisorLoop() {
    return new SupervisorOptions().setChildLoop(ChildLoop.SUPERVISOR).setIntensity(100);
  }

  @Nested
  class Placement {

    @Test
    void everyChildStartsHandlesAndTicksOnTheSupervisorsLoop() {
      List<ChildSpec> specs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        specs.add(plain("sl.place." + i));
      }
      Supervisor sup = start(vertx, onSupervisorLoop(), specs);
      Map<String, String> deployments = new java.util.HashMap<>();
      for (ChildInfo c : Await.result(sup.whichChildren())) {
        deployments.put(c.id(), c.deploymentId());
      }
      for (int i = 0; i < 6; i++) {
        String a = "sl.place." + i;
        probe.await("start " + a + " on " + sup());
        probe.await("tick " + a + " on " + sup());
        JsonObject w = where(a);
        assertThat(w.getString("thread")).as(a).isEqualTo(sup());
        assertThat(onSupervisorLoop(a)).as(a).isTrue();
        assertThat(w.getBoolean("isCurrent")).as("the verticle's context is the one its handlers run on (event-bus handlers on a duplicate of it)").isTrue();
        assertThat(w.getJsonObject("config")).isEqualTo(new JsonObject().put("me", a));
        assertThat(w.getString("deploymentID")).isEqualTo(deployments.get(a)).isNotNull();
        assertThat(w.getString("currentDeploymentID")).isEqualTo(deployments.get(a));
        assertThat(vertx.deploymentIDs()).contains(deployments.get(a));
      }
    }

    /** The control: with ANY, Vert.x spreads the same children over its loops, as before. */
    @Test
    void withAnyTheChildrenSpreadOverTheLoops() {
      List<ChildSpec> specs = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        specs.add(plain("sl.any." + i));
      }
      start(vertx, new SupervisorOptions(), specs);
      Set<Thread> threads = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        String a = "sl.any." + i;
        JsonObject w = where(a);
        assertThat(w.getJsonObject("config")).isEqualTo(new JsonObject().put("me", a));
        threads.add(THREADS.get(a));
      }
      assertThat(threads).as("6 children deployed round-robin over 4 loops").hasSizeGreaterThan(1);
      assertThat(probe.lines()).anyMatch(l -> l.startsWith("start sl.any.") && !l.endsWith(" on " + sup()));
    }

    @Test
    void aNestedSupervisorAndItsChildrenRunOnTheRootsLoopToo() {
      Supervisor nested = new Supervisor(onSupervisorLoop().setName("sl-nested"),
          List.of(plain("sl.nested.a"), server("sl.nested.s")));
      start(vertx, onSupervisorLoop(), List.of(ChildSpec.supervisor("inner", () -> nested), plain("sl.nested.b")));
      assertThat(where("sl.nested.a").getString("thread")).isEqualTo(sup());
      assertThat(where("sl.nested.b").getString("thread")).isEqualTo(sup());
      JsonObject s = (JsonObject) Await.result(vertx.eventBus().request("sl.nested.s", "where")).body();
      assertThat(s.getString("thread")).isEqualTo(sup());
    }

    @Test
    void aDynamicSupervisorsChildrenRunOnItsLoop() {
      DynamicSupervisor dyn = new DynamicSupervisor(new DynamicSupervisorOptions().setChildLoop(ChildLoop.SUPERVISOR));
      dyn.addListener(e -> {
        supervisorThread.compareAndSet(null, Thread.currentThread());
        supervisorLoop.compareAndSet(null, loop());
      });
      Await.result(vertx.deployVerticle(dyn));
      for (int i = 0; i < 4; i++) {
        Await.result(dyn.startChild(plain("sl.dyn." + i)));
      }
      for (int i = 0; i < 4; i++) {
        String a = "sl.dyn." + i;
        assertThat(where(a).getString("thread")).as(a).isEqualTo(sup());
        assertThat(onSupervisorLoop(a)).as(a).isTrue();
      }
    }

    /** A worker child keeps the worker context Vert.x gives it: its code runs off any event loop. */
    @Test
    void aWorkerChildKeepsItsWorkerContext() {
      start(vertx, onSupervisorLoop(), List.of(ChildSpec.worker("sl.worker", () -> new LoopChild("sl.worker", false))
          .withDeploymentOptions(new DeploymentOptions().setThreadingModel(io.vertx.core.ThreadingModel.WORKER))));
      JsonObject w = where("sl.worker");
      assertThat(w.getString("thread")).isNotEqualTo(sup());
      assertThat(THREADS.get("sl.worker").getName()).contains("worker");
    }
  }

  @Nested
  class Stopping {

    @Test
    void aStoppedChildsConsumerAndTimersAreReleased() {
      Supervisor sup = start(vertx, onSupervisorLoop(), List.of(plain("sl.stop.a"), plain("sl.stop.b")));
      probe.await("tick sl.stop.a on " + sup());
      long periodic = PERIODICS.get("sl.stop.a");
      Await.result(sup.terminateChild("sl.stop.a"));
      assertThat(probe.lines()).contains("stop sl.stop.a on " + sup());
      Throwable t = Await.failure(vertx.eventBus().request("sl.stop.a", "where"));
      assertThat(t).isInstanceOf(ReplyException.class);
      assertThat(((ReplyException) t).failureType()).isEqualTo(ReplyFailure.NO_HANDLERS);
      assertThat(vertx.cancelTimer(periodic)).as("the periodic timer was already cancelled by the undeploy").isFalse();
      assertThat(where("sl.stop.b").getString("thread")).isEqualTo(sup());
      assertThat(vertx.cancelTimer(PERIODICS.get("sl.stop.b"))).as("the sibling's timer still runs").isTrue();
    }

    @Test
    void aBrutalKillAndAShutdownTimeoutEndAStopThatNeverCompletes() {
      Supervisor sup = start(vertx, onSupervisorLoop(), List.of(
          plain("sl.kill", true).withShutdown(Shutdown.brutalKill()),
          plain("sl.timeout", true).withShutdown(Shutdown.timeout(Duration.ofMillis(100)))));
      probe.await("tick sl.kill on " + sup());
      probe.await("tick sl.timeout on " + sup());
      Await.result(sup.terminateChild("sl.kill"));
      Await.result(sup.terminateChild("sl.timeout"));
      assertThat(probe.lines()).noneMatch(l -> l.startsWith("stop sl.kill ")).contains("stop sl.timeout on " + sup());
      for (String a : List.of("sl.kill", "sl.timeout")) {
        Throwable t = Await.failure(vertx.eventBus().request(a, "where"));
        assertThat(((ReplyException) t).failureType()).as(a).isEqualTo(ReplyFailure.NO_HANDLERS);
        assertThat(vertx.cancelTimer(PERIODICS.get(a))).as(a).isFalse();
      }
      assertThat(status(sup, "sl.kill")).isEqualTo(ChildStatus.STOPPED);
    }

    @Test
    void vertxCloseStopsTheChildrenInReverseOrderOnTheSupervisorsLoop() throws Exception {
      Vertx own = Vertx.vertx();
      try {
        start(own, onSupervisorLoop(), List.of(plain("sl.close.a"), plain("sl.close.b", true)
            .withShutdown(Shutdown.timeout(Duration.ofMillis(100))), server("sl.close.s")));
        probe.await("tick sl.close.a on " + sup());
        own.close().await(10, TimeUnit.SECONDS);
        List<String> stops = probe.lines().stream().filter(l -> l.startsWith("stop ") || l.startsWith("terminate ")).toList();
        assertThat(stops).containsExactly("terminate sl.close.s#1 on " + sup(), "stop sl.close.b on " + sup(), "stop sl.close.a on " + sup());
      } finally {
        own.close();
      }
    }
  }

  private static ChildStatus status(Supervisor sup, String id) {
    return Await.result(sup.whichChildren()).stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow().status();
  }

  @Nested
  class Crashes {

    @Test
    void aThrowInAHandlerOrATimerIsACrashAndTheRestartRunsOnTheSupervisorsLoop() {
      Supervisor sup = start(vertx, onSupervisorLoop(), List.of(plain("sl.crash")));
      String first = where("sl.crash").getString("deploymentID");
      vertx.eventBus().send("sl.crash", "crash");
      SupervisorEvent exited = events.await(SupervisorEvent.Type.CHILD_EXITED, "sl.crash");
      assertThat(exited.reason().isAbnormal()).isTrue();
      assertThat(exited.reason().cause()).hasMessage("crash in handler of sl.crash");
      events.await(SupervisorEvent.Type.CHILD_RESTARTED, "sl.crash");
      JsonObject w = where("sl.crash");
      assertThat(w.getString("thread")).isEqualTo(sup());
      assertThat(w.getString("deploymentID")).isNotEqualTo(first);
      assertThat(probe.count(("start sl.crash on " + sup())::equals)).isEqualTo(2);

      Await.result(vertx.eventBus().request("sl.crash", "crashLater"));
      SupervisorEvent second = events.await(SupervisorEvent.Type.CHILD_EXITED, "sl.crash", 2);
      assertThat(second.reason().cause()).hasMessage("crash in timer of sl.crash");
      events.await(SupervisorEvent.Type.CHILD_RESTARTED, "sl.crash", 2);
      assertThat(where("sl.crash").getString("thread")).isEqualTo(sup());
      assertThat(Await.result(sup.whichChildren())).hasSize(1);
    }

    @Test
    void aServerRestartsInPlaceOnTheSupervisorsLoop() {
      start(vertx, onSupervisorLoop(), List.of(server("sl.srv")));
      JsonObject before = (JsonObject) Await.result(vertx.eventBus().request("sl.srv", "where")).body();
      assertThat(before.getString("thread")).isEqualTo(sup());
      vertx.eventBus().request("sl.srv", "crash");
      events.await(SupervisorEvent.Type.CHILD_RESTARTED, "sl.srv");
      JsonObject after = (JsonObject) Await.result(vertx.eventBus().request("sl.srv", "where")).body();
      assertThat(after.getInteger("instance")).isEqualTo(2);
      assertThat(after.getString("thread")).isEqualTo(sup());
      assertThat(after.getString("deploymentID")).as("restarted in place: same deployment").isEqualTo(before.getString("deploymentID"));
      assertThat(probe.lines()).contains("init sl.srv#1 on " + sup(), "terminate sl.srv#1 on " + sup(), "init sl.srv#2 on " + sup());
    }

    @Test
    void oneForAllRestartsServersInPlaceAndPlainChildrenByRedeployAllOnTheSupervisorsLoop() {
      start(vertx, onSupervisorLoop().setStrategy(RestartStrategy.ONE_FOR_ALL),
          List.of(server("sl.ofa.s1"), plain("sl.ofa.p"), server("sl.ofa.s2")));
      String s2 = ((JsonObject) Await.result(vertx.eventBus().request("sl.ofa.s2", "where")).body()).getString("deploymentID");
      String p = where("sl.ofa.p").getString("deploymentID");
      vertx.eventBus().request("sl.ofa.s1", "crash");
      for (String id : List.of("sl.ofa.s1", "sl.ofa.p", "sl.ofa.s2")) {
        events.await(SupervisorEvent.Type.CHILD_RESTARTED, id);
      }
      JsonObject s2After = (JsonObject) Await.result(vertx.eventBus().request("sl.ofa.s2", "where")).body();
      assertThat(s2After.getInteger("instance")).isEqualTo(2);
      assertThat(s2After.getString("deploymentID")).isEqualTo(s2);
      assertThat(s2After.getString("thread")).isEqualTo(sup());
      JsonObject pAfter = where("sl.ofa.p");
      assertThat(pAfter.getString("deploymentID")).isNotEqualTo(p);
      assertThat(pAfter.getString("thread")).isEqualTo(sup());
      assertThat(probe.lines().stream().filter(l -> l.startsWith("init ") || l.startsWith("terminate ") || l.startsWith("stop ")
          || l.startsWith("start ")).toList()).allMatch(l -> l.endsWith(" on " + sup()));
      // OTP's order: the siblings stop in reverse start order, then all start in order
      assertThat(probe.lines().stream().filter(l -> l.startsWith("terminate sl.ofa.s2") || l.startsWith("stop sl.ofa.p")
          || l.startsWith("init sl.ofa.s1#2")).toList())
          .containsExactly("terminate sl.ofa.s2#1 on " + sup(), "stop sl.ofa.p on " + sup(), "init sl.ofa.s1#2 on " + sup());
    }

    @Test
    void restForOneRestartsTheLaterSiblingsOnTheSupervisorsLoop() {
      start(vertx, onSupervisorLoop().setStrategy(RestartStrategy.REST_FOR_ONE),
          List.of(server("sl.rfo.a"), server("sl.rfo.b"), plain("sl.rfo.c")));
      vertx.eventBus().request("sl.rfo.b", "crash");
      events.await(SupervisorEvent.Type.CHILD_RESTARTED, "sl.rfo.b");
      events.await(SupervisorEvent.Type.CHILD_RESTARTED, "sl.rfo.c");
      assertThat(events.count(SupervisorEvent.Type.CHILD_RESTARTED, "sl.rfo.a")).isZero();
      assertThat(((JsonObject) Await.result(vertx.eventBus().request("sl.rfo.b", "where")).body()).getInteger("instance")).isEqualTo(2);
      assertThat(where("sl.rfo.c").getString("thread")).isEqualTo(sup());
      assertThat(probe.lines()).contains("stop sl.rfo.c on " + sup(), "init sl.rfo.b#2 on " + sup())
          .doesNotContain("init sl.rfo.a#2 on " + sup());
      assertThat(probe.lines()).filteredOn(l -> l.startsWith("sl.rfo", l.indexOf(' ') + 1)).isNotEmpty()
          .allMatch(l -> l.endsWith(" on " + sup()));
    }
  }
}
