package dev.overseer.health;

import dev.overseer.Overseer;
import dev.overseer.SupervisorEvent;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registers one vertx-health-check procedure per supervisor, named {@code overseer/<name>}: OK
 * while {@link SupervisorHealth} says UP, KO with the reason when DOWN. Supervisors started later
 * get theirs when they start; one that stops normally loses its procedure; one that gave up keeps
 * a KO procedure until a supervisor of that name starts again.
 *
 * <pre>{@code
 * HealthChecks checks = HealthChecks.create(vertx);
 * OverseerHealthChecks.register(vertx, checks);
 * router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(checks));
 * // clustered: beside vertx-hazelcast's ClusterHealthCheck
 * checks.register("cluster-health", ClusterHealthCheck.createProcedure(vertx, false));
 * }</pre>
 */
public final class OverseerHealthChecks implements AutoCloseable {

  /** Prefix of every procedure's name: {@value}. */
  public static final String PREFIX = "overseer/";

  private final Vertx vertx;
  private final HealthChecks checks;
  private final SupervisorHealth health;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final Handler<SupervisorEvent> listener = this::onEvent;

  private OverseerHealthChecks(Vertx vertx, HealthChecks checks, SupervisorHealth health) {
    this.vertx = vertx;
    this.checks = checks;
    this.health = health;
  }

  /**
   * Registers a procedure for every supervisor of {@code vertx}, now and later, with the default
   * restarting threshold.
   *
   * @param vertx the Vert.x instance
   * @param checks where procedures are registered
   * @return the registration; {@link #close()} removes the procedures
   */
  public static OverseerHealthChecks register(Vertx vertx, HealthChecks checks) {
    return register(vertx, checks, SupervisorHealth.watch(vertx));
  }

  /**
   * Registers a procedure for every supervisor of {@code vertx}, now and later.
   *
   * @param vertx the Vert.x instance
   * @param checks where procedures are registered
   * @param health the rule and its threshold ({@link SupervisorHealth#watch(Vertx, java.time.Duration)})
   * @return the registration; {@link #close()} removes the procedures and closes {@code health}
   */
  public static OverseerHealthChecks register(Vertx vertx, HealthChecks checks, SupervisorHealth health) {
    OverseerHealthChecks registration = new OverseerHealthChecks(Objects.requireNonNull(vertx, "vertx"),
        Objects.requireNonNull(checks, "checks"), Objects.requireNonNull(health, "health"));
    Overseer.addEventListener(vertx, registration.listener);
    health.names().forEach(registration::add);
    return registration;
  }

  private void add(String supervisor) {
    if (registered.add(supervisor)) {
      checks.register(PREFIX + supervisor, promise -> health.check(supervisor)
          .onSuccess(result -> promise.complete(status(result)))
          .onFailure(err -> promise.complete(Status.KO(new JsonObject().put("reason", err.getMessage())))));
    }
  }

  static Status status(JsonObject result) {
    JsonObject data = result.copy();
    data.remove("supervisor");
    data.remove("status");
    return "UP".equals(result.getString("status")) ? Status.OK(data) : Status.KO(data);
  }

  private void onEvent(SupervisorEvent event) {
    if (event.type() == SupervisorEvent.Type.SUPERVISOR_STARTED) {
      add(event.supervisor());
    } else if (event.type() == SupervisorEvent.Type.SUPERVISOR_STOPPED
        && (event.reason() == null || !event.reason().isAbnormal()) && registered.remove(event.supervisor())) {
      checks.unregister(PREFIX + event.supervisor());
    }
  }

  /** Removes every procedure this registered and stops watching. */
  @Override
  public void close() {
    Overseer.removeEventListener(vertx, listener);
    registered.forEach(name -> checks.unregister(PREFIX + name));
    registered.clear();
    health.close();
  }
}
