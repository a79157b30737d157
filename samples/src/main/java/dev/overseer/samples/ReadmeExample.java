package dev.overseer.samples;

import dev.overseer.ChildSpec;
import dev.overseer.RestartStrategy;
import dev.overseer.RestartType;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;

/** The embedding example shown in the README; a test checks the README still shows this code. */
public final class ReadmeExample {

  private ReadmeExample() {
  }

  /** A worker that fails on a bad message; the supervisor restarts it. */
  public static final class Worker extends VerticleBase {
    @Override
    public Future<?> start() {
      return vertx.eventBus().<String>consumer("worker", msg -> msg.reply(Integer.parseInt(msg.body()) * 2)).completion();
    }
  }

  /** Starts the example tree and returns the running root supervisor. */
  public static Future<Supervisor> start(Vertx vertx) {
    // README:begin
    SupervisorOptions options = new SupervisorOptions()
        .setName("app")                           // control address: overseer.supervisor.app
        .setStrategy(RestartStrategy.REST_FOR_ONE)
        .setIntensity(3).setPeriod(Duration.ofSeconds(10));

    List<ChildSpec> children = List.of(
        ChildSpec.worker("worker", Worker::new),                 // a fresh instance per start
        ChildSpec.worker("sequence", SequenceServer::new)         // a GenServer with stashed state
            .withRestart(RestartType.PERMANENT));

    Future<Supervisor> app = Supervisor.start(vertx, options, children);

    app.onSuccess(sup -> {
      sup.addListener(event -> System.out.println(event));        // CHILD_EXITED, CHILD_RESTARTED…
      vertx.eventBus().request("worker", "oops", new DeliveryOptions().setSendTimeout(500))
          .onFailure(err -> sup.whichChildren()                   // the worker crashed without
              .onSuccess(System.out::println));                   // replying; it was restarted
    });
    // README:end
    return app;
  }
}
