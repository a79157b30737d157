package dev.overseer.samples;

import dev.overseer.ChildSpec;
import dev.overseer.DynamicSupervisor;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.RestartStrategy;
import dev.overseer.RestartType;
import dev.overseer.server.ServerRef;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import dev.overseer.console.Console;
import dev.overseer.console.ConsoleOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The main demo: a small but lively system with the web console, running until interrupted.
 *
 * <pre>
 * app (one_for_one, 5 restarts in 30 s)
 * ├── sequence              the seed's sequence server (stashed on terminate)
 * ├── workers               rest_for_one, 3 restarts in 20 s
 * │   ├── steady
 * │   ├── sometimes-crashes crashes 4 to 12 s after each start
 * │   └── after-it          restarted with it (rest_for_one)
 * └── sessions              dynamic supervisor; the console can start sessions
 *     └── session-1 …       transient; each ends normally after a while
 * </pre>
 *
 * Options: {@code --port N} (default 8088), {@code --token T} (default generated).
 * Ctrl-C shuts the tree down in order.
 */
public final class Demo {

  private static final AtomicInteger SESSIONS = new AtomicInteger();

  private Demo() {
  }

  /** A worker that crashes at a random moment 4 to 12 s after it starts. */
  public static final class SometimesCrashes extends VerticleBase {
    @Override
    public Future<?> start() {
      vertx.setTimer(ThreadLocalRandom.current().nextLong(4000, 12000), id -> {
        throw new IllegalStateException("random crash");
      });
      return Future.succeededFuture();
    }
  }

  /** A session: lives 20 to 60 s, then ends normally (a transient child is not restarted). */
  public static final class Session extends VerticleBase {
    @Override
    public Future<?> start() {
      vertx.setTimer(ThreadLocalRandom.current().nextLong(20_000, 60_000),
          id -> dev.overseer.ChildHandle.current().exit(dev.overseer.ExitReason.normal()));
      return Future.succeededFuture();
    }
  }

  static ChildSpec session() {
    return ChildSpec.worker("session-" + SESSIONS.incrementAndGet(), Session::new).withRestart(RestartType.TRANSIENT);
  }

  static Supervisor app() {
    return new Supervisor(new SupervisorOptions().setName("app").setIntensity(5).setPeriod(Duration.ofSeconds(30)),
        List.of(ChildSpec.worker("sequence", SequenceServer::new),
            ChildSpec.supervisor("workers", () -> new Supervisor(
                new SupervisorOptions().setName("workers").setStrategy(RestartStrategy.REST_FOR_ONE)
                    .setIntensity(3).setPeriod(Duration.ofSeconds(20)),
                List.of(ChildSpec.worker("steady", TreeSample.Steady::new),
                    ChildSpec.worker("sometimes-crashes", SometimesCrashes::new),
                    ChildSpec.worker("after-it", TreeSample.Steady::new)))),
            ChildSpec.supervisor("sessions", () -> new DynamicSupervisor(
                new DynamicSupervisorOptions().setName("sessions").setMaxChildren(20)))));
  }

  public static int run(String[] args) throws Exception {
    ConsoleOptions consoleOptions = new ConsoleOptions();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port":
          consoleOptions.setPort(Integer.parseInt(args[i + 1]));
          break;
        case "--token":
          consoleOptions.setToken(args[i + 1]);
          break;
        default:
          System.err.println("unknown option " + args[i] + "; expected --port N or --token T");
          return 2;
      }
    }
    Vertx vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(SupervisorOptions.DEFAULT_EVENTS_ADDRESS,
        msg -> System.out.println(EventPrinter.format(msg.body())));
    Supervisor app = app();
    vertx.deployVerticle(app).await();
    dev.overseer.SupervisorBase sessions = dev.overseer.SupervisorBase.lookup(vertx, "sessions").orElseThrow();
    for (int i = 0; i < 3; i++) {
      sessions.startChild(session()).await();
    }
    Console console = Console.start(vertx, consoleOptions).await();
    console.registerStartable("sessions", "session", Demo::session);

    ServerRef sequence = ServerRef.of(vertx, SequenceServer.NAME);
    vertx.setPeriodic(3000, id -> sequence.call("next_number"));
    vertx.setPeriodic(15_000, id -> sessions.startChild(session()));
    vertx.setPeriodic(25_000, id -> sequence.cast(new JsonObject().put("increment_number", "cat")));

    System.out.println();
    System.out.println("Overseer demo running. Open the console:");
    System.out.println("    " + console.url());
    System.out.println("The sequence server answers event-bus requests at '" + SequenceServer.NAME
        + "' (\"next_number\"); every 25 s it is sent a bad cast and crashes, keeping its number.");
    System.out.println("Ctrl-C to stop.");
    System.out.println();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.shutdown().eventually(() -> vertx.close()).onComplete(ar -> stopped.countDown());
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    new CountDownLatch(1).await();
    return 0;
  }
}
