package dev.overseer.bench;

import dev.overseer.ChildLoop;
import dev.overseer.ChildSpec;
import dev.overseer.DynamicSupervisor;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.server.Persistence;
import dev.overseer.RestartStrategy;
import dev.overseer.server.ServerRef;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorEvent;
import dev.overseer.SupervisorOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Overseer: a counter verticle under a {@link Supervisor} (restart, calls), idle children under a
 * {@link DynamicSupervisor} (scale) and under a {@code ONE_FOR_ALL} supervisor (group restart).
 */
final class OverseerSide implements Side {

  /**
   * One event loop per core, as OTP runs one scheduler per core. Vert.x's default is two per
   * core: on 2 cores, which of 4 loops the client and the server landed on moved call figures by
   * up to 2x between runs of the same code.
   */
  static final int EVENT_LOOPS = Runtime.getRuntime().availableProcessors();

  /** Enough restarts that the intensity limit never ends a run: latency is measured, not escalation. */
  private static final int INTENSITY = Mode.UNPACED_INTENSITY;

  /** More restarts than a crash storm can do in its measurement. */
  static final int STORM_CAP = 1_000_000;

  @Override
  public String version() {
    return "overseer " + Versions.overseer() + " on vert.x " + Versions.vertx();
  }

  @Override
  public Figures run(Mode mode, String part) throws Exception {
    Figures figures = new Figures();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
    figures.info("eventLoops", EVENT_LOOPS, "count");
    if (part.equals("scale")) {
      scale(vertx, mode, figures);
      return figures;
    }
    EventBusLoad load = new EventBusLoad(vertx);
    restart(vertx, load, mode, figures);
    calls(vertx, load, mode, figures);
    storm(vertx, load, mode, figures);
    oneForAll(vertx, mode, figures);
    oneForAllServers(vertx, mode, figures);
    figures.skip("state.hazelcast", "measured by the cluster figure (cluster.writeThrough.*)");
    figures.skip("failover", "measured by FailoverBench, outside bench/run (distributed supervisor against Vert.x HA: docs/benchmarks.md)");
    return figures;
  }

  private static SupervisorOptions options(String name) {
    return options(name, INTENSITY);
  }

  private static SupervisorOptions options(String name, int intensity) {
    return new SupervisorOptions().setName(name).setIntensity(intensity).setPeriod(Duration.ofSeconds(1));
  }

  /**
   * Cold restarts first (a fresh JVM), then unpaced restarts on another supervisor (JIT warm-up;
   * their second half gives the sustained rate), then the paced warm restarts. Cold and warm are
   * timed from send(crash) to the new incarnation's init (it announces itself: no polling).
   */
  private void restart(Vertx vertx, EventBusLoad load, Mode mode, Figures figures) {
    Supervisor paced = Supervisor.start(vertx, options("bench-restart", Mode.PACED_INTENSITY),
        List.of(ChildSpec.worker("counter", () -> new CounterServer("bench.restart", Persistence.writeThrough())))).await();
    EventBusLoad.Restarts cold = load.pacedRestarts("bench.restart", mode.coldCrashes(), mode.paceMillis()).await();
    figures.latencies("restart.cold", cold.nanos());

    Supervisor sup = Supervisor.start(vertx, options("bench-warm"),
        List.of(ChildSpec.worker("counter", () -> new CounterServer("bench.warm", Persistence.writeThrough())))).await();
    ConcurrentLinkedQueue<long[]> events = new ConcurrentLinkedQueue<>();
    sup.addListener(e -> {
      if (e.type() == SupervisorEvent.Type.CHILD_EXITED || e.type() == SupervisorEvent.Type.CHILD_RESTARTED) {
        events.add(new long[] {System.nanoTime(), e.type() == SupervisorEvent.Type.CHILD_EXITED ? 0 : 1});
      }
    });
    EventBusLoad.Restarts r = load.restarts("bench.warm", mode.warmupCrashes()).await();
    sustained(r, figures);
    int half = r.nanos().length / 2;
    figures.latencies("restart.firstReply", java.util.Arrays.copyOfRange(r.nanos(), half, r.nanos().length));
    phases(r, new ArrayList<>(events), figures);
    figures.info("restart.retries", r.retries(), "count");

    EventBusLoad.Restarts warm = load.pacedRestarts("bench.restart", mode.crashes(), mode.paceMillis()).await();
    figures.latencies("restart", warm.nanos());
    figures.info("restart.stateLost", cold.stateLost() + r.stateLost() + warm.stateLost(), "count");
    EventBusLoad.Restarts viaRef = load.restarts("bench.warm", mode.crashes() / 2, ServerRef.of(vertx, "bench.warm")).await();
    figures.latencies("restart.serverRef", viaRef.nanos());
    figures.info("restart.serverRef.stateLost", viaRef.stateLost(), "count");
    figures.note("restart", "CounterServer (Server<Long>, WRITE_THROUGH to the shared LocalStash) under Supervisor ONE_FOR_ONE "
        + "(intensity " + Mode.PACED_INTENSITY + "/1 s), crashes at least " + mode.paceMillis() + " ms apart; time from "
        + "send(crash) to the new incarnation's init (announced, not polled). restart.cold.*: the first "
        + mode.coldCrashes() + " restarts of a fresh JVM; restart.*: " + mode.crashes() + " restarts after "
        + (mode.coldCrashes() + mode.warmupCrashes()) + " (JIT settled). restart.firstReply.* and restart.sustained: "
        + "unpaced crash-then-call loop on a supervisor of intensity " + INTENSITY + "/1 s, time to the first reply of "
        + "the new incarnation, calls retried at once (second half of " + mode.warmupCrashes() + "). restart.serverRef.*: "
        + "the same through ServerRef.call, which waits and retries with its own pauses");
    restartByChildLoop(vertx, load, mode, figures, paced);
    sup.shutdown().await();
    paced.shutdown().await();
  }

  /**
   * The warm restart of the same CounterServer with its supervisor's children on the loops Vert.x
   * picks ({@code ChildLoop.ANY}, the supervisor of {@code restart.*}) and on the supervisor's own
   * ({@code ChildLoop.SUPERVISOR}): {@code mode.crashes()} paced restarts each, in four chunks
   * alternating ABBA, so that neither variant always runs first or with a warmer JIT.
   */
  private void restartByChildLoop(Vertx vertx, EventBusLoad load, Mode mode, Figures figures, Supervisor any) {
    Supervisor same = Supervisor.start(vertx, options("bench-restart-sl", Mode.PACED_INTENSITY).setChildLoop(ChildLoop.SUPERVISOR),
        List.of(ChildSpec.worker("counter", () -> new CounterServer("bench.restart.sl", Persistence.writeThrough())))).await();
    Thread[] anySupervisor = new Thread[1];
    Thread[] sameSupervisor = new Thread[1];
    any.addListener(e -> anySupervisor[0] = Thread.currentThread());
    same.addListener(e -> sameSupervisor[0] = Thread.currentThread());
    load.pacedRestarts("bench.restart.sl", mode.coldCrashes(), mode.paceMillis()).await(); // its first restarts are not timed
    int chunk = Math.max(1, mode.crashes() / 4);
    List<long[]> anyNanos = new ArrayList<>();
    List<long[]> sameNanos = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      boolean anyFirst = i == 0 || i == 3;
      for (int k = 0; k < 2; k++) {
        boolean runAny = (k == 0) == anyFirst;
        long[] nanos = load.pacedRestarts(runAny ? "bench.restart" : "bench.restart.sl", chunk, mode.paceMillis()).await().nanos();
        (runAny ? anyNanos : sameNanos).add(nanos);
      }
    }
    figures.latencies("restart.childLoop.any", concat(anyNanos));
    figures.latencies("restart.childLoop.supervisor", concat(sameNanos));
    boolean shared = CounterVerticle.THREADS.get("bench.restart") == anySupervisor[0];
    figures.info("restart.childLoop.any.sharesSupervisorLoop", shared ? 1 : 0, "boolean");
    figures.info("restart.childLoop.supervisor.sharesSupervisorLoop",
        CounterVerticle.THREADS.get("bench.restart.sl") == sameSupervisor[0] ? 1 : 0, "boolean");
    figures.note("restart.childLoop", "restart.* again, paired: the same CounterServer (WRITE_THROUGH) under a paced "
        + "Supervisor with ChildLoop.ANY (the supervisor of restart.*; its child is on the supervisor's loop only when "
        + "Vert.x's round-robin puts it there: sharesSupervisorLoop) and with ChildLoop.SUPERVISOR (always on it), "
        + mode.crashes() + " paced restarts each in 4 chunks alternating ABBA; time from send(crash) to the new "
        + "incarnation's init");
    same.shutdown().await();
  }

  private static long[] concat(List<long[]> parts) {
    return parts.stream().flatMapToLong(java.util.Arrays::stream).toArray();
  }

  /** Restarts per second over the second half of an unpaced crash-then-call loop. */
  static void sustained(EventBusLoad.Restarts r, Figures figures) {
    int n = r.nanos().length;
    int half = n / 2;
    double seconds = (r.starts()[n - 1] + r.nanos()[n - 1] - r.starts()[half]) / 1e9;
    figures.higher("restart.sustained", (n - half) / seconds, "restarts/s");
  }

  /**
   * Splits each restart at the supervisor's events: crash sent → CHILD_EXITED (the crash
   * reached the supervisor), → CHILD_RESTARTED (old instance stopped, new one deployed and
   * started), → first reply (the caller's retry found it). Medians, to say where the time goes.
   */
  private static void phases(EventBusLoad.Restarts r, List<long[]> events, Figures figures) {
    int n = r.nanos().length;
    long[] detect = new long[n];
    long[] redeploy = new long[n];
    long[] reply = new long[n];
    int matched = 0;
    int e = 0;
    for (int i = 0; i < n; i++) {
      long start = r.starts()[i];
      long end = start + r.nanos()[i];
      while (e < events.size() && (events.get(e)[0] < start || events.get(e)[1] != 0)) {
        e++;
      }
      if (e >= events.size()) {
        break;
      }
      long exited = events.get(e)[0];
      int f = e;
      while (f < events.size() && events.get(f)[1] != 1) {
        f++;
      }
      if (f >= events.size() || events.get(f)[0] > end) {
        continue;
      }
      long restarted = events.get(f)[0];
      detect[matched] = exited - start;
      redeploy[matched] = restarted - exited;
      reply[matched] = end - restarted;
      matched++;
      e = f;
    }
    figures.info("restart.phase.crashToExited.p50", median(detect, matched) / 1e3, "us");
    figures.info("restart.phase.exitedToRestarted.p50", median(redeploy, matched) / 1e3, "us");
    figures.info("restart.phase.restartedToReply.p50", median(reply, matched) / 1e3, "us");
    figures.info("restart.phase.samples", matched, "count");
  }

  private static double median(long[] values, int count) {
    long[] sorted = java.util.Arrays.copyOf(values, count);
    java.util.Arrays.sort(sorted);
    return Figures.percentile(sorted, 50);
  }

  /**
   * Every call variant in one JVM: the Server without persistence, the plain verticle under a
   * supervisor, ON_TERMINATE and WRITE_THROUGH servers, and the plain Vert.x peer (no supervisor,
   * without and with a map write per call). Throughput rounds are interleaved across variants and
   * the median kept, so neither JIT warm-up order nor a noisy minute favours one of them.
   */
  private void calls(Vertx vertx, EventBusLoad load, Mode mode, Figures figures) {
    Supervisor sup = Supervisor.start(vertx, options("bench-calls"), List.of(
        ChildSpec.worker("server", () -> new CounterServer("bench.calls", Persistence.none())),
        ChildSpec.worker("verticle", () -> new CounterVerticle("bench.verticle", null)),
        ChildSpec.worker("onTerminate", () -> new CounterServer("bench.onTerminate", Persistence.onTerminate())),
        ChildSpec.worker("writeThrough", () -> new CounterServer("bench.writeThrough", Persistence.writeThrough()))))
        .await();
    vertx.deployVerticle(new CounterVerticle("bench.plain", null)).await();
    vertx.deployVerticle(new CounterVerticle("bench.rawMap", new java.util.concurrent.ConcurrentHashMap<>())).await();
    Map<String, String> variants = new LinkedHashMap<>();
    variants.put("bench.calls", "call");
    variants.put("bench.plain", "vertx.call");
    variants.put("bench.verticle", "call.supervisedVerticle");
    variants.put("bench.rawMap", "vertx.state.rawMap");
    variants.put("bench.onTerminate", "state.onTerminate");
    variants.put("bench.writeThrough", "state.writeThrough");
    CallFigures.measureAll(load, variants, mode, figures);
    load.latencies("bench.calls", mode.latencyCalls() / 5, true).await();
    figures.latencies("call.sameLoop.latency", load.latencies("bench.calls", mode.latencyCalls(), true).await());
    load.latencies("bench.plain", mode.latencyCalls() / 5, true).await();
    figures.latencies("vertx.call.sameLoop.latency", load.latencies("bench.plain", mode.latencyCalls(), true).await());
    figures.note("call.sameLoop", "the same sequential calls, with the caller on the server's own event loop");
    figures.note("call", "CounterServer (Server<Long>, persistence NONE) under Supervisor, called with eventBus().request "
        + "from an event loop other than the server's, " + mode.window() + " calls in flight for throughput (median of "
        + mode.rounds() + " interleaved rounds), one at a time for latency");
    figures.note("call.supervisedVerticle", "the plain CounterVerticle, but deployed under Supervisor: the cost of "
        + "supervision alone, without the Server mailbox");
    figures.note("vertx.call", "plain Vert.x peer, same JVM: CounterVerticle deployed with vertx.deployVerticle (no supervisor)");
    figures.note("vertx.state.rawMap", "plain Vert.x peer, same JVM: the same CounterVerticle writing its count to a "
        + "ConcurrentHashMap on every call (the raw map operation)");
    figures.note("state", "the same calls on CounterServer with persistence ON_TERMINATE (saved only when stopped) and "
        + "WRITE_THROUGH (each changed state JSON-encoded and put in the LocalStash before the reply)");
    sup.shutdown().await();
  }

  /**
   * Calls to one server while its sibling under the same supervisor is crashed as fast as it
   * comes back (an unpaced crash-then-call loop): throughput and the latency of every call.
   */
  private void storm(Vertx vertx, EventBusLoad load, Mode mode, Figures figures) {
    Supervisor sup = Supervisor.start(vertx, options("bench-storm"), List.of(
        ChildSpec.worker("victim", () -> new CounterServer("bench.storm.victim", Persistence.none())),
        ChildSpec.worker("calls", () -> new CounterServer("bench.storm.calls", Persistence.none())))).await();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    Future<EventBusLoad.Restarts> storm = load.restarts("bench.storm.victim", STORM_CAP, null, stop);
    EventBusLoad.Loaded loaded = load.loaded("bench.storm.calls", mode.window(), mode.warmupMillis(), mode.measureMillis())
        .eventually(() -> {
          stop.set(true);
          return Future.succeededFuture();
        }).await();
    EventBusLoad.Restarts crashes = storm.await();
    stormFigures(figures, loaded.perSecond(), loaded.nanos(), crashes.nanos().length,
        (mode.warmupMillis() + mode.measureMillis()) / 1000.0);
    figures.note("storm", "CounterServer (persistence NONE) called with " + mode.window() + " in flight while its sibling "
        + "under the same Supervisor (intensity " + INTENSITY + "/1 s) is crashed again as soon as it answers");
    sup.shutdown().await();
  }

  static void stormFigures(Figures figures, double perSecond, long[] nanos, int restarts, double seconds) {
    figures.higher("storm.call.throughput", perSecond, "calls/s");
    figures.latencies("storm.call.latency", nanos);
    figures.info("storm.restartsPerSecond", restarts / seconds, "restarts/s");
  }

  private void oneForAll(Vertx vertx, Mode mode, Figures figures) throws Exception {
    int n = mode.oneForAllChildren();
    List<ChildSpec> specs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String address = "bench.ofa." + i;
      specs.add(ChildSpec.worker("c" + i, () -> new IdleChild(address)));
    }
    Supervisor sup = Supervisor.start(vertx, options("bench-ofa").setStrategy(RestartStrategy.ONE_FOR_ALL), specs).await();
    AtomicInteger restarted = new AtomicInteger();
    CountDownLatch[] done = new CountDownLatch[1];
    sup.addListener(e -> {
      if (e.type() == SupervisorEvent.Type.CHILD_RESTARTED && restarted.incrementAndGet() == n) {
        done[0].countDown();
      }
    });
    long[] nanos = new long[mode.oneForAllRounds()];
    for (int round = -1; round < nanos.length; round++) {
      restarted.set(0);
      done[0] = new CountDownLatch(1);
      long t0 = System.nanoTime();
      vertx.eventBus().send("bench.ofa.0", "crash");
      if (!done[0].await(120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("one-for-all restart of " + n + " children did not finish in 120 s");
      }
      if (round >= 0) { // round -1 warms up
        nanos[round] = System.nanoTime() - t0;
      }
    }
    long[] sorted = nanos.clone();
    java.util.Arrays.sort(sorted);
    figures.lower("oneForAll.restart.p50", Figures.percentile(sorted, 50) / 1e6, "ms");
    figures.lower("oneForAll.restart.max", sorted[sorted.length - 1] / 1e6, "ms");
    figures.info("oneForAll.children", n, "count");
    figures.note("oneForAll", "Supervisor ONE_FOR_ALL with " + n + " idle children; one crashes; time until "
        + n + " CHILD_RESTARTED events (all stopped in reverse order, then all started in order)");
    sup.shutdown().await();
  }

  /**
   * ONE_FOR_ALL of Server children (restarted in place: no redeploy), one supervisor with
   * {@code ChildLoop.ANY} and one with {@code ChildLoop.SUPERVISOR}, each with
   * {@code mode.oneForAllChildren()} {@link IdleServer}s. One warm-up round each, then
   * {@code 3 * mode.oneForAllRounds()} rounds of each, the two alternating (the order turns every
   * round). Timed from send(crash) to the last CHILD_RESTARTED event.
   */
  private void oneForAllServers(Vertx vertx, Mode mode, Figures figures) throws Exception {
    int n = mode.oneForAllChildren();
    int rounds = 3 * mode.oneForAllRounds();
    Map<ChildLoop, Supervisor> sups = new LinkedHashMap<>();
    Map<ChildLoop, AtomicInteger> restarted = new LinkedHashMap<>();
    Map<ChildLoop, CountDownLatch[]> done = new LinkedHashMap<>();
    Map<ChildLoop, long[]> nanos = new LinkedHashMap<>();
    for (ChildLoop loop : ChildLoop.values()) {
      String prefix = "bench.ofas." + loop.name().toLowerCase() + ".";
      List<ChildSpec> specs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String name = prefix + i;
        specs.add(ChildSpec.worker("c" + i, () -> new IdleServer(name)));
      }
      AtomicInteger count = new AtomicInteger();
      CountDownLatch[] latch = new CountDownLatch[1];
      Supervisor sup = Supervisor.start(vertx, options("bench-ofas-" + loop.name().toLowerCase())
          .setStrategy(RestartStrategy.ONE_FOR_ALL).setChildLoop(loop), specs).await();
      sup.addListener(e -> {
        if (e.type() == SupervisorEvent.Type.CHILD_RESTARTED && count.incrementAndGet() == n) {
          latch[0].countDown();
        }
      });
      sups.put(loop, sup);
      restarted.put(loop, count);
      done.put(loop, latch);
      nanos.put(loop, new long[rounds]);
    }
    for (int round = -1; round < rounds; round++) {
      List<ChildLoop> order = new ArrayList<>(List.of(ChildLoop.values()));
      if ((round & 1) == 1) {
        java.util.Collections.reverse(order);
      }
      for (ChildLoop loop : order) {
        restarted.get(loop).set(0);
        done.get(loop)[0] = new CountDownLatch(1);
        long t0 = System.nanoTime();
        vertx.eventBus().send("bench.ofas." + loop.name().toLowerCase() + ".0", "crash");
        if (!done.get(loop)[0].await(120, TimeUnit.SECONDS)) {
          throw new IllegalStateException("one-for-all restart of " + n + " servers (" + loop + ") did not finish in 120 s");
        }
        if (round >= 0) { // round -1 warms up
          nanos.get(loop)[round] = System.nanoTime() - t0;
        }
      }
    }
    for (ChildLoop loop : ChildLoop.values()) {
      long[] sorted = nanos.get(loop).clone();
      java.util.Arrays.sort(sorted);
      String name = "oneForAll.server." + (loop == ChildLoop.ANY ? "any" : "supervisor");
      figures.lower(name + ".restart.p50", Figures.percentile(sorted, 50) / 1e6, "ms");
      figures.lower(name + ".restart.max", sorted[sorted.length - 1] / 1e6, "ms");
      sups.get(loop).shutdown().await();
    }
    figures.info("oneForAll.server.children", n, "count");
    figures.note("oneForAll.server", "Supervisor ONE_FOR_ALL with " + n + " IdleServer children (Server, persistence "
        + "NONE: restarted in place, no redeploy), with ChildLoop.ANY (.any: each child on the loop Vert.x picks) and "
        + "ChildLoop.SUPERVISOR (.supervisor: every child on the supervisor's loop); one crashes; time until " + n
        + " CHILD_RESTARTED events; " + rounds + " rounds each, the two supervisors alternating, the order turning every round");
  }

  private void scale(Vertx vertx, Mode mode, Figures figures) throws Exception {
    DynamicSupervisor sup = DynamicSupervisor.start(vertx,
        new DynamicSupervisorOptions().setName("bench-scale").setIntensity(INTENSITY)).await();
    long before = Heap.usedAfterGc();
    long rssBefore = Heap.rss();
    int target = mode.children();
    long limit = (long) (Heap.max() * 0.85);
    Context client = vertx.getOrCreateContext();
    Promise<Integer> all = Promise.promise();
    String[] stopReason = {null};
    long t0 = System.nanoTime();
    client.runOnContext(v -> {
      int[] issued = {0};
      int[] started = {0};
      int[] inFlight = {0};
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (inFlight[0] < 256 && issued[0] < target && stopReason[0] == null) {
          if ((issued[0] & 1023) == 0 && Heap.used() > limit) {
            stopReason[0] = "heap above 85% of -Xmx (" + Heap.max() / (1 << 20) + " MiB) after " + issued[0] + " children";
            break;
          }
          String address = "bench.scale." + issued[0];
          issued[0]++;
          inFlight[0]++;
          sup.startChild(ChildSpec.worker("s" + issued[0], () -> new IdleChild(address))).onComplete(ar -> {
            inFlight[0]--;
            if (ar.failed()) {
              if (stopReason[0] == null) {
                stopReason[0] = "startChild failed after " + started[0] + " children: " + ar.cause();
              }
            } else {
              started[0]++;
            }
            if (inFlight[0] == 0 && (issued[0] == target || stopReason[0] != null)) {
              all.tryComplete(started[0]);
            } else {
              pump[0].run();
            }
          });
        }
      };
      pump[0].run();
    });
    int started = all.future().await();
    double seconds = (System.nanoTime() - t0) / 1e9;
    long after = Heap.usedAfterGc();
    figures.rss(started, rssBefore, Heap.rss());
    figures.scale(started, seconds, before, after);
    figures.note("scale", "DynamicSupervisor.startChild of IdleChild verticles (local consumer + counter), 256 in flight "
        + "(pipelined: the supervisor holds each start only while it reserves the id); mode: one deployment and context "
        + "per child, on the event loop Vert.x picks (round-robin), deployed from a launcher on the supervisor's loop; "
        + "heap = used heap after System.gc(), after minus before, divided by children"
        + (stopReason[0] == null ? "" : "; STOPPED EARLY: " + stopReason[0]));
    if (stopReason[0] != null) {
      figures.skip("scale.target", "reached " + started + " of " + target + ": " + stopReason[0]);
    }
  }
}
