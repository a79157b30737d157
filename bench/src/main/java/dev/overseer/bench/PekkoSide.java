package dev.overseer.bench;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Apache Pekko typed: the counter as a supervised actor (restart, calls via ask) and N supervised
 * idle actors under one parent (scale). Default dispatcher, logging off (as on every side).
 */
final class PekkoSide implements Side {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private ActorSystem<SpawnProtocol.Command> system;
  /**
   * The caller: one thread outside the actor system, like the Vert.x side's client event loop.
   * Each reply is handed to it before the next ask. Asks issued straight from the completing
   * thread (a dispatcher thread), or by a client actor with {@code ActorContext.ask}, took 100 to
   * 400 us each on the 2-core machine, 20 to 60 times slower: that would measure a poor client,
   * not Pekko's supervision.
   */
  private final ExecutorService client = Executors.newSingleThreadExecutor(r -> new Thread(r, "pekko-bench-client"));

  @Override
  public String version() {
    return "pekko-actor-typed " + Versions.pekko();
  }

  @Override
  public Figures run(Mode mode, String part) throws Exception {
    Figures figures = new Figures();
    system = ActorSystem.create(SpawnProtocol.create(), "bench", ConfigFactory.parseString(
        "pekko.loglevel = OFF\npekko.stdout-loglevel = OFF\npekko.log-dead-letters = off\n"
            + "pekko.log-dead-letters-during-shutdown = off").withFallback(ConfigFactory.load()));
    try {
      if (part.equals("scale")) {
        scale(mode, figures);
      } else {
        restart(mode, figures);
        calls(mode, figures);
        storm(mode, figures);
        figures.skip("oneForAll.restart.p50", "Pekko typed has no one-for-all strategy (only per-actor supervision); "
            + "it would need a hand-written parent, which would measure that code rather than Pekko");
      }
    } finally {
      system.terminate();
      client.shutdown();
    }
    return figures;
  }

  private <T> ActorRef<T> spawn(Behavior<T> behavior, String name) throws Exception {
    return AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
        r -> new SpawnProtocol.Spawn<>(behavior, name, Props.empty(), r), TIMEOUT, system.scheduler())
        .toCompletableFuture().get();
  }

  private CompletableFuture<PekkoCounter.Count> incr(ActorRef<PekkoCounter.Msg> ref) {
    return AskPattern.<PekkoCounter.Msg, PekkoCounter.Count>ask(ref, r -> new PekkoCounter.Incr(1, r), TIMEOUT,
        system.scheduler()).toCompletableFuture();
  }

  private void restart(Mode mode, Figures figures) throws Exception {
    Map<String, Long> store = new ConcurrentHashMap<>();
    ActorRef<PekkoCounter.Msg> paced = spawn(PekkoCounter.counter("restart", store), "restart");
    long[] lost = {0};
    figures.latencies("restart.cold", pacedRestarts(paced, "restart", mode.coldCrashes(), mode.paceMillis(), lost));
    ActorRef<PekkoCounter.Msg> ref = spawn(PekkoCounter.counter("warm", store), "warm");
    long[] starts = new long[mode.warmupCrashes()];
    long[] nanos = restarts(ref, mode.warmupCrashes(), lost, starts);
    OverseerSide.sustained(new EventBusLoad.Restarts(starts, nanos, 0, 0), figures);
    figures.latencies("restart.firstReply", java.util.Arrays.copyOfRange(nanos, nanos.length / 2, nanos.length));
    figures.latencies("restart", pacedRestarts(paced, "restart", mode.crashes(), mode.paceMillis(), lost));
    figures.info("restart.stateLost", lost[0], "count");
    figures.info("restart.retries", 0, "count");
    figures.note("restart", "Behaviors.supervise(counter).onFailure(restart()); counter restored from a ConcurrentHashMap in setup; "
        + "crashes at least " + mode.paceMillis() + " ms apart, time from tell(Crash) to the new incarnation's setup (announced, "
        + "not polled); cold = first " + mode.coldCrashes() + " restarts of a fresh JVM, warm after " + mode.warmupCrashes()
        + " more. restart.firstReply.* / restart.sustained: unpaced loop, tell(Crash) then ask until the new incarnation answers");
  }

  /**
   * Crashes {@code ref} {@code crashes} times at least {@code paceMillis} apart; each time from
   * tell(Crash) to the new incarnation's setup, which announces itself. Between two crashes,
   * untimed, an ask checks the count survived.
   */
  private long[] pacedRestarts(ActorRef<PekkoCounter.Msg> ref, String key, int crashes, int paceMillis, long[] lost)
      throws Exception {
    long[] nanos = new long[crashes];
    PekkoCounter.Count last = incr(ref).get();
    for (int i = 0; i < crashes; i++) {
      CompletableFuture<Long> began = new CompletableFuture<>();
      Announce.listen(key, (inc, at) -> began.complete(at));
      long t0 = System.nanoTime();
      ref.tell(PekkoCounter.Crash.INSTANCE);
      nanos[i] = began.get(10, TimeUnit.SECONDS) - t0;
      Announce.stop(key);
      PekkoCounter.Count now = incr(ref).get(10, TimeUnit.SECONDS);
      if (now.n() != last.n() + 1 || now.inc() == last.inc()) {
        lost[0]++;
      }
      last = now;
      long wait = paceMillis - (System.nanoTime() - t0) / 1_000_000;
      if (wait > 0) {
        Thread.sleep(wait); // pacing, not waiting for a condition
      }
    }
    return nanos;
  }

  private long[] restarts(ActorRef<PekkoCounter.Msg> ref, int crashes) throws Exception {
    return restarts(ref, crashes, new long[1], new long[crashes]);
  }

  /** Same loop as the Vert.x one: crash, then ask until an incarnation other than the crashed one answers. */
  private long[] restarts(ActorRef<PekkoCounter.Msg> ref, int crashes, long[] lost, long[] starts) throws Exception {
    return restarts(ref, crashes, lost, starts, null);
  }

  /** As above; with {@code stop}, ends as soon as it is set (returns the restarts done so far). */
  private long[] restarts(ActorRef<PekkoCounter.Msg> ref, int crashes, long[] lost, long[] starts,
                          java.util.concurrent.atomic.AtomicBoolean stop) throws Exception {
    long[] nanos = new long[crashes];
    CompletableFuture<Void> done = new CompletableFuture<>();
    PekkoCounter.Count first = incr(ref).get();
    long[] last = {first.n()};
    long[] inc = {first.inc()};
    int[] round = {0};
    long[] t0 = {0};
    Runnable[] attempt = new Runnable[1];
    Runnable crash = () -> {
      t0[0] = System.nanoTime();
      ref.tell(PekkoCounter.Crash.INSTANCE);
      attempt[0].run();
    };
    attempt[0] = () -> incr(ref).whenCompleteAsync((c, err) -> {
      if (err != null) {
        done.completeExceptionally(err);
        return;
      }
      if (c.inc() == inc[0]) {
        last[0] = c.n();
        attempt[0].run();
        return;
      }
      starts[round[0]] = t0[0];
      nanos[round[0]++] = System.nanoTime() - t0[0];
      if (c.n() != last[0] + 1) {
        lost[0]++;
      }
      last[0] = c.n();
      inc[0] = c.inc();
      if (round[0] == crashes || (stop != null && stop.get())) {
        done.complete(null);
      } else {
        crash.run();
      }
    }, client);
    client.execute(crash);
    done.get(10, TimeUnit.MINUTES);
    return java.util.Arrays.copyOf(nanos, round[0]);
  }

  private void calls(Mode mode, Figures figures) throws Exception {
    ActorRef<PekkoCounter.Msg> ref = spawn(PekkoCounter.counter("calls", null), "calls");
    List<Double> rates = new ArrayList<>();
    load(ref, mode, mode.rounds(), rates);
    figures.higher("call.throughput", CallFigures.median(rates), "calls/s");
    figures.info("call.throughput.rounds", rates.size(), "count");
    figures.info("call.throughput.min", rates.stream().mapToDouble(d -> d).min().orElse(0), "calls/s");
    figures.info("call.throughput.max", rates.stream().mapToDouble(d -> d).max().orElse(0), "calls/s");
    latencies(ref, mode.latencyCalls() / 5);
    figures.latencies("call.latency", latencies(ref, mode.latencyCalls()));
    figures.note("call", "AskPattern.ask from outside the actor system (a temporary reply actor per call), "
        + mode.window() + " asks in flight for throughput, one at a time for latency; replies handled on one client thread");
  }

  /**
   * {@code window} asks in flight: after the warm-up, {@code rounds} measurements (rates added to
   * {@code rates}); @return the round trip of every ask completed while measuring
   */
  private long[] load(ActorRef<PekkoCounter.Msg> ref, Mode mode, int rounds, List<Double> rates) throws Exception {
    AtomicLong ops = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicBoolean measuring = new java.util.concurrent.atomic.AtomicBoolean();
    long[][] samples = {new long[1 << 16]};
    int[] sampled = {0};
    CompletableFuture<Void> drained = new CompletableFuture<>();
    int[] outstanding = {mode.window()};
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> {
      long sent = System.nanoTime();
      incr(ref).whenCompleteAsync((c, err) -> {
        if (err != null) {
          failures.incrementAndGet();
        } else {
          ops.incrementAndGet();
          if (measuring.get()) {
            if (sampled[0] == samples[0].length) {
              samples[0] = java.util.Arrays.copyOf(samples[0], samples[0].length * 2);
            }
            samples[0][sampled[0]++] = System.nanoTime() - sent;
          }
        }
        if (!stop.get()) {
          loop[0].run();
        } else if (--outstanding[0] == 0) {
          drained.complete(null);
        }
      }, client);
    };
    for (int i = 0; i < mode.window(); i++) {
      client.execute(loop[0]);
    }
    Thread.sleep(mode.warmupMillis()); // a measurement window, not a wait for a condition
    measuring.set(true);
    for (int round = 0; round < rounds; round++) {
      long c0 = ops.get();
      long t0 = System.nanoTime();
      Thread.sleep(mode.measureMillis());
      rates.add((ops.get() - c0) / ((System.nanoTime() - t0) / 1e9));
    }
    measuring.set(false);
    stop.set(true);
    drained.get(1, TimeUnit.MINUTES);
    if (failures.get() > 0) {
      throw new IllegalStateException("throughput run had " + failures.get() + " failed asks");
    }
    CompletableFuture<long[]> copy = new CompletableFuture<>();
    client.execute(() -> copy.complete(java.util.Arrays.copyOf(samples[0], sampled[0])));
    return copy.get();
  }

  /** Asks to one counter while another is crashed again as soon as it answers. */
  private void storm(Mode mode, Figures figures) throws Exception {
    ActorRef<PekkoCounter.Msg> victim = spawn(PekkoCounter.counter("storm.victim", null), "stormVictim");
    ActorRef<PekkoCounter.Msg> calls = spawn(PekkoCounter.counter("storm.calls", null), "stormCalls");
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    ExecutorService driver = Executors.newSingleThreadExecutor();
    try {
      java.util.concurrent.Future<long[]> storm = driver.submit(() -> restarts(victim, OverseerSide.STORM_CAP, new long[1],
          new long[OverseerSide.STORM_CAP], stop));
      List<Double> rates = new ArrayList<>();
      long[] nanos;
      try {
        nanos = load(calls, mode, 1, rates);
      } finally {
        stop.set(true);
      }
      int restarts = storm.get(1, TimeUnit.MINUTES).length;
      OverseerSide.stormFigures(figures, rates.get(0), nanos, restarts, (mode.warmupMillis() + mode.measureMillis()) / 1000.0);
      figures.note("storm", "a counter asked with " + mode.window() + " in flight while another supervised counter is "
          + "crashed again as soon as it answers (tell(Crash), then ask until the new incarnation answers)");
    } finally {
      driver.shutdown();
    }
  }

  private long[] latencies(ActorRef<PekkoCounter.Msg> ref, int calls) throws Exception {
    long[] nanos = new long[calls];
    CompletableFuture<Void> done = new CompletableFuture<>();
    int[] i = {0};
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      long t0 = System.nanoTime();
      incr(ref).whenCompleteAsync((c, err) -> {
        if (err != null) {
          done.completeExceptionally(err);
          return;
        }
        nanos[i[0]++] = System.nanoTime() - t0;
        if (i[0] == calls) {
          done.complete(null);
        } else {
          next[0].run();
        }
      }, client);
    };
    client.execute(next[0]);
    done.get(10, TimeUnit.MINUTES);
    return nanos;
  }

  private void scale(Mode mode, Figures figures) throws Exception {
    ActorRef<PekkoCounter.StartRange> parent = spawn(PekkoCounter.parent(), "scale");
    long before = Heap.usedAfterGc();
    long rssBefore = Heap.rss();
    long limit = (long) (Heap.max() * 0.85);
    int target = mode.children();
    int started = 0;
    String stopReason = null;
    long t0 = System.nanoTime();
    while (started < target) {
      if (Heap.used() > limit) {
        stopReason = "heap above 85% of -Xmx (" + Heap.max() / (1 << 20) + " MiB) after " + started + " children";
        break;
      }
      int count = Math.min(1024, target - started);
      CountDownLatch latch = new CountDownLatch(count);
      parent.tell(new PekkoCounter.StartRange(started, count, latch));
      if (!latch.await(60, TimeUnit.SECONDS)) {
        stopReason = "children " + started + ".." + (started + count) + " did not start within 60 s";
        break;
      }
      started += count;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    long after = Heap.usedAfterGc();
    figures.rss(started, rssBefore, Heap.rss());
    figures.scale(started, seconds, before, after);
    figures.note("scale", "one parent actor spawns named, supervised idle children in batches of 1024; "
        + "started = each child's setup ran" + (stopReason == null ? "" : "; STOPPED EARLY: " + stopReason));
    if (stopReason != null) {
      figures.skip("scale.target", "reached " + started + " of " + target + ": " + stopReason);
    }
  }
}
