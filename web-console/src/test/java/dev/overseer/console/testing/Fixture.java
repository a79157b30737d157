package dev.overseer.console.testing;

import dev.overseer.ChildInfo;
import dev.overseer.ChildSpec;
import dev.overseer.DynamicSupervisor;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.RestartStrategy;
import dev.overseer.RestartType;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorBase;
import dev.overseer.SupervisorOptions;
import dev.overseer.console.Console;
import dev.overseer.console.ConsoleOptions;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tree every console test looks at, on one Vert.x instance:
 *
 * <pre>
 * app (one_for_one, intensity 50 / 5 s)
 *   db      worker
 *   cache   worker
 *   counter server "counter" (write-through stash, schema version 2)
 *   jobs    supervisor (rest_for_one)
 *     mailer   worker
 *     indexer  worker (transient)
 * sessions (dynamic), template "session" registered in the console
 * </pre>
 *
 * and a console on a free port with a fixed token.
 */
public final class Fixture {

  /** The token every test console uses. */
  public static final String TOKEN = "test-token-0123456789abcdef";

  public final Vertx vertx;
  public final Supervisor app;
  public final DynamicSupervisor sessions;
  public final Console console;
  private final AtomicInteger sessionIds = new AtomicInteger();

  private Fixture(Vertx vertx, Supervisor app, DynamicSupervisor sessions, Console console) {
    this.vertx = vertx;
    this.app = app;
    this.sessions = sessions;
    this.console = console;
  }

  /** Starts the supervisors and a console with {@code options} (port 0 and the test token are set here). */
  public static Fixture start(Vertx vertx, ConsoleOptions options) {
    Supervisor app = Supervisor.start(vertx, new SupervisorOptions().setName("app").setIntensity(50).setPeriod(Duration.ofSeconds(5)),
        List.of(
            ChildSpec.worker("db", CrashableChild::new),
            ChildSpec.worker("cache", CrashableChild::new),
            ChildSpec.worker("counter", CounterServer::new),
            ChildSpec.supervisor("jobs", () -> new Supervisor(
                new SupervisorOptions().setName("jobs").setStrategy(RestartStrategy.REST_FOR_ONE).setIntensity(5),
                List.of(ChildSpec.worker("mailer", CrashableChild::new),
                    ChildSpec.worker("indexer", CrashableChild::new).withRestart(RestartType.TRANSIENT))))))
        .await();
    DynamicSupervisor sessions = DynamicSupervisor.start(vertx, new DynamicSupervisorOptions().setName("sessions").setMaxChildren(100))
        .await();
    Console console = new Console(new ConsoleOptions(options).setPort(0).setToken(TOKEN));
    Fixture fixture = new Fixture(vertx, app, sessions, console);
    console.registerStartable("sessions", "session",
        () -> ChildSpec.worker("session-" + fixture.sessionIds.incrementAndGet(), CrashableChild::new).withRestart(RestartType.TRANSIENT));
    vertx.deployVerticle(console).await();
    return fixture;
  }

  /** @return the child's row in its supervisor, or {@code null} */
  public ChildInfo child(String supervisor, String id) {
    SupervisorBase sup = SupervisorBase.lookup(vertx, supervisor).orElseThrow();
    return sup.whichChildren().await().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }

  /** @return the ids of the supervisor's children, in order */
  public List<String> childIds(String supervisor) {
    SupervisorBase sup = SupervisorBase.lookup(vertx, supervisor).orElseThrow();
    return sup.whichChildren().await().stream().map(ChildInfo::id).toList();
  }

  /** Crashes a running child through its event-bus address. */
  public void crash(String supervisor, String id) {
    vertx.eventBus().send(CrashableChild.address(supervisor, id), "crash");
  }
}
