package dev.overseer.samples;

import dev.overseer.ChildSpec;
import dev.overseer.RestartStrategy;
import dev.overseer.ServerRef;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The main demo: a small but lively system that runs until interrupted. The sequence server
 * under "app", and nested supervisors of workers, one of which crashes now and then. Lifecycle
 * events are printed as they happen. Ctrl-C shuts the tree down in order.
 */
public final class Demo {

  private Demo() {
  }

  static Supervisor app() {
    return new Supervisor(new SupervisorOptions().setName("app").setIntensity(5).setPeriod(Duration.ofSeconds(30)),
        List.of(ChildSpec.worker("sequence", SequenceServer::new),
            ChildSpec.supervisor("workers", () -> new Supervisor(
                new SupervisorOptions().setName("workers").setStrategy(RestartStrategy.REST_FOR_ONE)
                    .setIntensity(3).setPeriod(Duration.ofSeconds(20)),
                List.of(ChildSpec.worker("steady", TreeSample.Steady::new),
                    ChildSpec.worker("sometimes-crashes", SometimesCrashes::new),
                    ChildSpec.worker("after-it", TreeSample.Steady::new))))));
  }

  /** A worker that crashes at a random moment 3 to 9 s after it starts. */
  public static final class SometimesCrashes extends io.vertx.core.VerticleBase {
    @Override
    public io.vertx.core.Future<?> start() {
      vertx.setTimer(3000 + (long) (Math.random() * 6000), id -> {
        throw new IllegalStateException("random crash");
      });
      return io.vertx.core.Future.succeededFuture();
    }
  }

  public static int run(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    vertx.eventBus().<JsonObject>consumer(SupervisorOptions.DEFAULT_EVENTS_ADDRESS,
        msg -> System.out.println(EventPrinter.format(msg.body())));
    Supervisor app = app();
    vertx.deployVerticle(app).await();
    ServerRef sequence = ServerRef.of(vertx, SequenceServer.NAME);
    vertx.setPeriodic(2000, id -> sequence.call("next_number")
        .onSuccess(n -> System.out.println("             sequence next_number -> " + n)));
    System.out.println("Overseer demo running. Event-bus address of the sequence server: '" + SequenceServer.NAME
        + "'. Ctrl-C to stop.");
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
