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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * Options: {@code --port N} (default 8088), {@code --token T} (default generated), {@code --help}.
 * Ctrl-C or SIGTERM shuts the tree down in order, then the process exits.
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

  /** What {@code --help} prints. */
  static final String USAGE = String.join("\n",
      "usage: java -jar overseer-samples.jar [demo] [--port N] [--token T]",
      "       java -jar overseer-samples.jar tree | sequence | handoff [--console]",
      "",
      "  demo (default)  a lively supervision tree with the web console, until Ctrl-C",
      "  --port N        the console's port on 127.0.0.1 (default 8088, 0 for a free one)",
      "  --token T       the console's access token, 16+ characters from A-Z a-z 0-9 . _ ~ + -",
      "                  (default: generated and logged once with the console's URL;",
      "                  a token you set is never printed)",
      "  tree            a nested tree whose worker crashes on a timer: restarts, then an escalation",
      "  sequence        the sequence server: 0, 1, 2, a crash, then 3, 4, 5 from the stashed state",
      "  --help          this text");

  /** Bad command-line arguments: the message says which, and the usage follows it. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Parses the demo's arguments.
   *
   * @return the console options, or {@code null} when {@code --help} was asked
   * @throws UsageException naming an unknown argument or a missing or bad value
   */
  static ConsoleOptions parse(String[] args) throws UsageException {
    ConsoleOptions options = new ConsoleOptions();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return null;
      }
      if (!arg.equals("--port") && !arg.equals("--token")) {
        throw new UsageException("unknown argument '" + arg + "'");
      }
      if (i + 1 >= args.length) {
        throw new UsageException(arg + " needs a value");
      }
      String value = args[++i];
      if (arg.equals("--port")) {
        try {
          options.setPort(Integer.parseInt(value));
        } catch (NumberFormatException e) {
          throw new UsageException("--port: not a number: '" + value + "'");
        }
      } else {
        options.setToken(value);
      }
    }
    try {
      options.validate();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    return options;
  }

  /**
   * Runs the demo until the JVM is asked to stop (Ctrl-C, SIGTERM): then the tree shuts down in
   * order, Vert.x closes, and this returns; a shutdown that hangs is abandoned after
   * {@link #SHUTDOWN_LIMIT} so the process always exits.
   *
   * @return the exit status: 0, or 2 for bad arguments
   */
  public static int run(String[] args) throws Exception {
    ConsoleOptions consoleOptions;
    try {
      consoleOptions = parse(args);
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    if (consoleOptions == null) {
      System.out.println(USAGE);
      return 0;
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
    // the console logs its URL (with a generated token) once, through System.Logger
    Console console = Console.start(vertx, consoleOptions).await();
    console.registerStartable("sessions", "session", Demo::session);

    ServerRef sequence = ServerRef.of(vertx, SequenceServer.NAME);
    vertx.setPeriodic(3000, id -> sequence.call("next_number"));
    vertx.setPeriodic(15_000, id -> sessions.startChild(session()));
    vertx.setPeriodic(25_000, id -> sequence.cast(new JsonObject().put("increment_number", "cat")));

    System.out.println();
    System.out.println("Overseer demo running: open the console at the URL logged above.");
    System.out.println("The sequence server answers event-bus requests at '" + SequenceServer.NAME
        + "' (\"next_number\"); every 25 s it is sent a bad cast and crashes, keeping its number.");
    System.out.println("Ctrl-C to stop.");
    System.out.println();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping: the tree in order, then Vert.x");
      long deadline = System.nanoTime() + SHUTDOWN_LIMIT.toNanos();
      try {
        // both waits on this thread, not in a callback: vertx.close() called from one of
        // Vert.x's own event loops cannot complete while that loop is being shut down
        app.shutdown().toCompletionStage().toCompletableFuture()
            .get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        vertx.close().toCompletionStage().toCompletableFuture()
            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        System.out.println("stopped");
      } catch (TimeoutException e) {
        System.err.println("shutdown did not finish within " + SHUTDOWN_LIMIT.toSeconds() + " s; exiting anyway");
      } catch (ExecutionException e) {
        System.err.println("shutdown failed: " + e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stopped.countDown();
      }
    }, "overseer-demo-shutdown"));
    stopped.await();
    return 0;
  }

  /** How long the shutdown hook waits for the ordered shutdown before the JVM exits anyway. */
  static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(10);
}
