package com.example.shop;

import dev.overseer.ChildSpec;
import dev.overseer.Overseer;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import dev.overseer.console.Console;
import dev.overseer.console.ConsoleOptions;
import dev.overseer.health.OverseerHealthChecks;
import dev.overseer.metrics.OverseerMetrics;
import dev.overseer.stash.LocalStash;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JksOptions;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BasicAuthHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

import java.util.List;

/** An application with Overseer's metrics, health checks and console mounted in its own router. */
public final class ShopApp {

  private ShopApp() {
  }

  /** A worker of the shop. */
  public static final class Orders extends VerticleBase {
  }

  /**
   * Starts the shop.
   *
   * @param vertx the Vert.x instance
   * @param users who may open the console (the application's own authentication)
   * @return the application's HTTPS server
   */
  public static Future<HttpServer> start(Vertx vertx, AuthenticationProvider users) {
    // README:metrics:begin
    MeterRegistry registry = new SimpleMeterRegistry();        // or Prometheus, or OverseerMetrics.bind(vertx)
    OverseerMetrics metrics = OverseerMetrics.bind(vertx, registry);   // before deploying servers
    Overseer.setDefaultStash(vertx, metrics.meter(LocalStash.shared(vertx), "local"));
    // README:metrics:end

    Supervisor.start(vertx, new SupervisorOptions().setName("shop"),
        List.of(ChildSpec.worker("orders", Orders::new)));

    // README:health:begin
    HealthChecks checks = HealthChecks.create(vertx);
    OverseerHealthChecks.register(vertx, checks);               // one procedure per supervisor: overseer/<name>
    Router router = Router.router(vertx);
    router.get("/health*").handler(HealthCheckHandler.createWithHealthChecks(checks));
    // README:health:end

    // README:mount:begin
    Future<Console> console = Console.start(vertx, new ConsoleOptions().setServe(false));
    return console.compose(c -> {
      router.route("/ops/console/*").subRouter(c.router(BasicAuthHandler.create(users)));
      return vertx.createHttpServer(new HttpServerOptions().setSsl(true)
              .setKeyCertOptions(new JksOptions().setPath("shop.jks").setPassword("changeit")))
          .requestHandler(router)
          .listen(8443);
    });
    // README:mount:end
  }
}
