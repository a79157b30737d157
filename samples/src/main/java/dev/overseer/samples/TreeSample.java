package dev.overseer.samples;

import dev.overseer.ChildSpec;
import dev.overseer.RestartStrategy;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorEvent;
import dev.overseer.SupervisorOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tree}: a supervisor of a supervisor and workers, one of which crashes on a timer.
 *
 * <pre>
 * root (one_for_one, 3 restarts in 10 s)
 * ├── clock         worker, ticks
 * └── workers       supervisor (one_for_all, 2 restarts in 10 s)
 *     ├── steady    worker
 *     └── flaky     worker, crashes 200 ms after each start
 * </pre>
 *
 * flaky's crashes restart both workers (one_for_all); its third crash exceeds the intensity of
 * "workers", which stops its children and exits with a failure: root restarts it (escalation).
 * Prints every lifecycle event, exits 0 once it has seen restarts, the escalation and the
 * restart of "workers", or 1 after 20 s.
 */
public final class TreeSample {

  private TreeSample() {
  }

  /** A worker that does nothing but run. */
  public static final class Steady extends VerticleBase {
  }

  /** Ticks; here so the tree has a sibling the escalation does not touch. */
  public static final class Clock extends VerticleBase {
    @Override
    public Future<?> start() {
      vertx.setPeriodic(500, id -> { });
      return io.vertx.core.Future.succeededFuture();
    }
  }

  /** Crashes from a timer 200 ms after it starts: the uncaught exception is the crash. */
  public static final class Flaky extends VerticleBase {
    static final AtomicInteger STARTS = new AtomicInteger();

    @Override
    public Future<?> start() {
      int n = STARTS.incrementAndGet();
      vertx.setTimer(200, id -> {
        throw new IllegalStateException("flaky crash #" + n);
      });
      return io.vertx.core.Future.succeededFuture();
    }
  }

  static Supervisor workers() {
    return new Supervisor(new SupervisorOptions().setName("workers").setStrategy(RestartStrategy.ONE_FOR_ALL)
        .setIntensity(2).setPeriod(Duration.ofSeconds(10)),
        List.of(ChildSpec.worker("steady", Steady::new), ChildSpec.worker("flaky", Flaky::new)));
  }

  public static int run() throws Exception {
    Vertx vertx = Vertx.vertx();
    CompletableFuture<Void> seen = new CompletableFuture<>();
    AtomicInteger restarts = new AtomicInteger();
    AtomicInteger escalations = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer(SupervisorOptions.DEFAULT_EVENTS_ADDRESS, msg -> {
      JsonObject e = msg.body();
      System.out.println(EventPrinter.format(e));
      String type = e.getString("type");
      if (type.equals(SupervisorEvent.Type.CHILD_RESTARTED.name()) && "workers".equals(e.getString("supervisor"))) {
        restarts.incrementAndGet();
      }
      if (type.equals(SupervisorEvent.Type.MAX_INTENSITY_REACHED.name()) && "workers".equals(e.getString("supervisor"))) {
        escalations.incrementAndGet();
      }
      if (type.equals(SupervisorEvent.Type.CHILD_RESTARTED.name()) && "root".equals(e.getString("supervisor"))
          && "workers".equals(e.getString("childId")) && escalations.get() > 0) {
        seen.complete(null);
      }
    }).completion().await();
    System.out.println("Starting: root(clock, workers(steady, flaky)); flaky crashes 200 ms after every start\n");
    Supervisor root = Supervisor.start(vertx,
        new SupervisorOptions().setName("root").setIntensity(3).setPeriod(Duration.ofSeconds(10)),
        List.of(ChildSpec.worker("clock", Clock::new), ChildSpec.supervisor("workers", TreeSample::workers))).await();
    boolean ok;
    try {
      seen.get(20, TimeUnit.SECONDS);
      ok = restarts.get() > 0 && escalations.get() > 0;
    } catch (java.util.concurrent.TimeoutException e) {
      ok = false;
    }
    System.out.println("\nShutting down root: children stop in reverse start order");
    root.shutdown().await();
    vertx.close().await();
    System.out.println(ok
        ? "OK: saw 'workers' restart its children (" + restarts.get() + " child restarts, one_for_all), then escalate to 'root', which restarted it"
        : "FAILED: did not see restarts and an escalation within 20 s");
    return ok ? 0 : 1;
  }
}
