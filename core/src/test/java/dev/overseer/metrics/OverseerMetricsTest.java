package dev.overseer.metrics;

import dev.overseer.ChildSpec;
import dev.overseer.DynamicSupervisor;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import dev.overseer.server.CounterServer;
import dev.overseer.server.Persistence;
import dev.overseer.server.ServerOptions;
import dev.overseer.server.ServerRef;
import dev.overseer.stash.LocalStash;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashException;
import dev.overseer.testing.Await;
import dev.overseer.testing.Probe;
import dev.overseer.testing.ProbeChild;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class OverseerMetricsTest {

  SimpleMeterRegistry registry;
  OverseerMetrics metrics;
  Probe probe;

  @BeforeEach
  void bind(Vertx vertx) {
    registry = new SimpleMeterRegistry();
    metrics = OverseerMetrics.bind(vertx, registry);
    probe = new Probe();
  }

  @AfterEach
  void unbind() {
    metrics.close();
  }

  double count(String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  double gauge(String name, String... tags) {
    Gauge gauge = registry.find(name).tags(tags).gauge();
    return gauge == null ? -1 : gauge.value();
  }

  @Test
  void countsACrashAndItsRestartWithLatencyAndChildrenByStatus(Vertx vertx) {
    Supervisor.start(vertx, new SupervisorOptions().setName("m1").setIntensity(5),
        List.of(ChildSpec.worker("w", () -> new ProbeChild("mw", probe)),
            ChildSpec.worker("steady", () -> new ProbeChild("ms", probe)))).await();
    Await.until(vertx, () -> gauge("overseer.children", "supervisor", "m1", "status", "running") == 2);
    assertThat(count("overseer.crashes", "supervisor", "m1")).isZero();

    vertx.eventBus().send(ProbeChild.address("mw"), "crash");
    Await.until(vertx, () -> count("overseer.restarts", "supervisor", "m1", "child", "w") == 1);

    assertThat(count("overseer.crashes", "supervisor", "m1", "child", "w")).isEqualTo(1);
    Counter crash = registry.find("overseer.crashes").tags("supervisor", "m1", "child", "w").counter();
    assertThat(crash.getId().getTag("reason")).isEqualTo(IllegalStateException.class.getName());
    Timer latency = registry.find("overseer.restart.latency").tags("supervisor", "m1", "child", "w").timer();
    assertThat(latency.count()).isEqualTo(1);
    assertThat(latency.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    assertThat(count("overseer.crashes", "supervisor", "m1", "child", "steady")).isZero();
    Await.until(vertx, () -> gauge("overseer.children", "supervisor", "m1", "status", "running") == 2
        && gauge("overseer.children", "supervisor", "m1", "status", "restarting") == 0);
  }

  @Test
  void countsMaxIntensityExits(Vertx vertx) {
    Supervisor fragile = Supervisor.start(vertx, new SupervisorOptions().setName("m2").setIntensity(0),
        List.of(ChildSpec.worker("w", () -> new ProbeChild("m2w", probe)))).await();
    vertx.eventBus().send(ProbeChild.address("m2w"), "crash");
    Await.failure(fragile.terminationFuture());
    Await.until(vertx, () -> count("overseer.max.intensity", "supervisor", "m2") == 1);
    assertThat(count("overseer.restarts", "supervisor", "m2")).isZero();
  }

  @Test
  void tagsChildrenOfADynamicSupervisorAsOne(Vertx vertx) {
    DynamicSupervisor sessions = DynamicSupervisor.start(vertx, new DynamicSupervisorOptions().setName("m3").setIntensity(50)).await();
    for (int i = 0; i < 5; i++) {
      String name = "m3-" + i;
      sessions.startChild(ChildSpec.worker("session-" + i, () -> new ProbeChild(name, probe))).await();
      vertx.eventBus().send(ProbeChild.address(name), "crash");
    }
    Await.until(vertx, () -> count("overseer.restarts", "supervisor", "m3") == 5);
    Set<String> childTags = registry.find("overseer.crashes").tags("supervisor", "m3").counters().stream()
        .map(c -> c.getId().getTag("child")).collect(Collectors.toSet());
    assertThat(childTags).containsExactly(OverseerMetrics.DYNAMIC_CHILD);
    assertThat(count("overseer.crashes", "supervisor", "m3", "child", OverseerMetrics.DYNAMIC_CHILD)).isEqualTo(5);
  }

  @Test
  void timesServerCallsAndGaugesTheMailbox(Vertx vertx) {
    Stash stash = metrics.meter(new LocalStash(), "test");
    Supervisor.start(vertx, new SupervisorOptions().setName("m4").setIntensity(5),
        List.of(ChildSpec.worker("counter", () -> new CounterServer(new ServerOptions("m4-counter").setPersistence(Persistence.writeThrough()), stash, probe)))).await();
    ServerRef ref = ServerRef.of(vertx, "m4-counter");
    for (int i = 0; i < 3; i++) {
      ref.call("next", Duration.ofSeconds(5)).await();
    }
    Timer calls = registry.find("overseer.server.calls").tags("server", CounterServer.class.getName(), "outcome", "success").timer();
    assertThat(calls.count()).isEqualTo(3);
    assertThat(Await.failure(ref.call("crash", Duration.ofSeconds(5)))).isNotNull();
    assertThat(registry.find("overseer.server.calls").tags("outcome", "failure").timer().count()).isEqualTo(1);
    assertThat(gauge("overseer.server.mailbox", "server", CounterServer.class.getName())).isZero();
    // each call changed the state, saved through the metered stash
    assertThat(registry.find("overseer.stash.operations").tags("stash", "test", "operation", "put").timer().count()).isPositive();
  }

  @Test
  void timesStashCallsAndCountsFailuresAndQuarantine(Vertx vertx) {
    Stash stash = metrics.meter(new LocalStash(), "s");
    stash.claim("k").await();
    stash.put("k", "1", 1, 1).await();
    assertThat(Await.failure(stash.put("k", "2", 1, 0))).isInstanceOf(StashException.class);
    stash.quarantine("k", "bad").await();
    assertThat(registry.find("overseer.stash.operations").tags("stash", "s", "operation", "put", "outcome", "success").timer().count())
        .isEqualTo(1);
    assertThat(count("overseer.stash.failures", "stash", "s", "operation", "put", "reason", "STALE_EPOCH")).isEqualTo(1);
    Await.until(vertx, () -> gauge("overseer.stash.quarantined", "stash", "s") == 1);
  }

  @Test
  void passesABoundedClaimOnWithItsBound() {
    java.util.List<java.time.Duration> bounds = new java.util.concurrent.CopyOnWriteArrayList<>();
    LocalStash inner = new LocalStash();
    Stash recording = (Stash) java.lang.reflect.Proxy.newProxyInstance(Stash.class.getClassLoader(), new Class<?>[] {Stash.class},
        (proxy, method, args) -> {
          if (method.getName().equals("claimAndGet") && args.length == 2) {
            bounds.add((java.time.Duration) args[1]);
          }
          return method.invoke(inner, args);
        });
    Stash stash = metrics.meter(recording, "bounded");
    assertThat(stash.claimAndGet("k", java.time.Duration.ofMillis(1234)).await().epoch()).isEqualTo(1L);
    assertThat(bounds).containsExactly(java.time.Duration.ofMillis(1234));
    assertThat(registry.find("overseer.stash.operations").tags("stash", "bounded", "operation", "claimAndGet").timer().count())
        .isEqualTo(1);
  }

  @Test
  void removesItsGaugesWhenClosed(Vertx vertx) {
    metrics.meter(new LocalStash(), "gone");
    Supervisor.start(vertx, new SupervisorOptions().setName("m5"), List.of(ChildSpec.worker("w", () -> new ProbeChild("m5w", probe))))
        .await();
    Await.until(vertx, () -> gauge("overseer.children", "supervisor", "m5", "status", "running") == 1);
    metrics.close();
    assertThat(registry.getMeters().stream().filter(m -> m.getId().getType() == Meter.Type.GAUGE)).isEmpty();
  }
}
