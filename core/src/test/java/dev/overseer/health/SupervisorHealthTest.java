package dev.overseer.health;

import dev.overseer.Backoff;
import dev.overseer.ChildSpec;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import dev.overseer.testing.Await;
import dev.overseer.testing.Probe;
import dev.overseer.testing.ProbeChild;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class SupervisorHealthTest {

  final Probe probe = new Probe();

  /** Checks again every 10 ms until the answer satisfies {@code condition}; fails after 10 s. */
  static void awaitStatus(Vertx vertx, SupervisorHealth health, String name, java.util.function.Predicate<JsonObject> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      last = health.check(name).await();
      if (condition.test(last)) {
        return;
      }
      vertx.timer(10).await();
    }
    throw new AssertionError("health of " + name + " never matched; last: " + last);
  }

  /** Invokes the procedure every 10 ms until it is up (or down); fails after 10 s. */
  static void awaitUp(Vertx vertx, HealthChecks checks, String name, boolean up) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      CheckResult result = checks.checkStatus(name).otherwise((CheckResult) null).await();
      if (result != null && result.getUp() == up) {
        return;
      }
      vertx.timer(10).await();
    }
    throw new AssertionError(name + " never became " + (up ? "up" : "down"));
  }

  @ParameterizedTest
  @CsvSource(nullValues = "null", value = {
      // gave up, restarting for, threshold, DOWN?
      "null,      0,     1000, false",
      "null,      1000,  1000, false",
      "null,      1001,  1000, true",
      "too many,  0,     1000, true",
  })
  void isDownOnlyOnceItGaveUpOrAChildRestartsPastTheThreshold(String gaveUp, long restartingFor, long threshold, boolean down) {
    assertThat(SupervisorHealth.verdict(gaveUp, restartingFor, threshold) != null).isEqualTo(down);
  }

  @Test
  void isUpWhileRunningAndDownOnceItGaveUp(Vertx vertx) {
    SupervisorHealth health = SupervisorHealth.watch(vertx);
    try {
      Supervisor sup = Supervisor.start(vertx, new SupervisorOptions().setName("h1").setIntensity(0),
          List.of(ChildSpec.worker("w", () -> new ProbeChild("h1w", probe)))).await();
      JsonObject up = health.check("h1").await();
      assertThat(up.getString("status")).isEqualTo("UP");
      assertThat(health.checkAll().await().getString("status")).isEqualTo("UP");

      vertx.eventBus().send(ProbeChild.address("h1w"), "crash");
      Await.failure(sup.terminationFuture());
      awaitStatus(vertx, health, "h1", s -> "DOWN".equals(s.getString("status")));
      JsonObject down = health.check("h1").await();
      assertThat(down.getString("reason")).startsWith("gave up");
      JsonObject all = health.checkAll().await();
      assertThat(all.getString("status")).isEqualTo("DOWN");
      assertThat(all.getInteger("down")).isEqualTo(1);
    } finally {
      health.close();
    }
  }

  @Test
  void isDownWhileAChildRestartsPastTheThreshold(Vertx vertx) {
    AtomicLong now = new AtomicLong(1_000_000);
    SupervisorHealth health = SupervisorHealth.watch(vertx, Duration.ofSeconds(30), now::get);
    try {
      ProbeChild.Behaviour behaviour = new ProbeChild.Behaviour();
      Supervisor.start(vertx, new SupervisorOptions().setName("h2").setIntensity(100)
              .setBackoff(Backoff.exponential(Duration.ofSeconds(60), Duration.ofSeconds(60))),
          List.of(ChildSpec.worker("w", () -> new ProbeChild("h2w", probe, behaviour)))).await();
      vertx.eventBus().send(ProbeChild.address("h2w"), "crash");
      // the restart waits out its backoff: the child is RESTARTING
      awaitStatus(vertx, health, "h2", s -> s.containsKey("restarting"));
      assertThat(health.check("h2").await().getString("status")).isEqualTo("UP");
      now.addAndGet(30_001);
      JsonObject down = health.check("h2").await();
      assertThat(down.getString("status")).isEqualTo("DOWN");
      assertThat(down.getJsonArray("restarting")).containsExactly("w");
    } finally {
      health.close();
    }
  }

  @Test
  void registersAProcedurePerSupervisorNowAndLater(Vertx vertx) {
    Supervisor.start(vertx, new SupervisorOptions().setName("h3"), List.of(ChildSpec.worker("w", () -> new ProbeChild("h3w", probe))))
        .await();
    HealthChecks checks = HealthChecks.create(vertx);
    OverseerHealthChecks registration = OverseerHealthChecks.register(vertx, checks);
    try {
      assertThat(checks.checkStatus("overseer/h3").await().getUp()).isTrue();
      Supervisor later = Supervisor.start(vertx, new SupervisorOptions().setName("h4").setIntensity(0),
          List.of(ChildSpec.worker("w", () -> new ProbeChild("h4w", probe)))).await();
      awaitUp(vertx, checks, "overseer/h4", true);
      vertx.eventBus().send(ProbeChild.address("h4w"), "crash");
      Await.failure(later.terminationFuture());
      awaitUp(vertx, checks, "overseer/h4", false);
      assertThat(checks.checkStatus().await().getUp()).isFalse();
      assertThat(checks.checkStatus("overseer/h3").await().getUp()).isTrue();
    } finally {
      registration.close();
    }
  }
}
