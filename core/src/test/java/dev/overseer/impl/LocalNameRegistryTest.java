package dev.overseer.impl;

import dev.overseer.NameRecord;
import dev.overseer.Overseer;
import dev.overseer.SupervisorError;
import dev.overseer.testing.Await;
import dev.overseer.testing.Probe;
import dev.overseer.testing.ProbeChild;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LocalNameRegistry} against real deployments: a holder is live while its deployment is. */
@ExtendWith(VertxExtension.class)
class LocalNameRegistryTest {

  private final Probe probe = new Probe();

  private NameRecord holder(Vertx vertx, String name, String child) {
    String id = Await.result(vertx.deployVerticle(new ProbeChild(child, probe)));
    return new NameRecord(name, "server", Overseer.nodeId(vertx), id);
  }

  @Test
  void registersAndAnswersWhereisAndRegistered(Vertx vertx) {
    LocalNameRegistry registry = new LocalNameRegistry(vertx);
    NameRecord a = holder(vertx, "a", "pa");
    Await.result(registry.register(a));
    Await.result(registry.register(a));
    assertThat(Await.result(registry.whereis("a"))).contains(a);
    assertThat(Await.result(registry.registered())).containsExactly(a);
    assertThat(Await.result(registry.whereis("b"))).isEmpty();
    assertThat(registry.clusterWide()).isFalse();
  }

  @Test
  void refusesADuplicateWhileTheHolderLivesAndNamesTheHolder(Vertx vertx) {
    LocalNameRegistry registry = new LocalNameRegistry(vertx);
    NameRecord a = holder(vertx, "a", "pa");
    NameRecord other = holder(vertx, "a", "pb");
    Await.result(registry.register(a));
    assertThat(Await.error(registry.register(other), SupervisorError.ALREADY_STARTED)).hasMessageContaining(a.deploymentId());
    assertThat(Await.result(registry.whereis("a"))).contains(a);
  }

  @Test
  void aNameHeldByADeadHolderIsFreeAndExpected(Vertx vertx) {
    LocalNameRegistry registry = new LocalNameRegistry(vertx);
    NameRecord a = holder(vertx, "a", "pa");
    Await.result(registry.register(a));
    Await.result(vertx.undeploy(a.deploymentId()));
    assertThat(Await.result(registry.whereis("a"))).isEmpty();
    assertThat(Await.result(registry.registered())).isEmpty();
    assertThat(Await.result(registry.isExpected("a"))).isTrue();
    NameRecord next = holder(vertx, "a", "pb");
    Await.result(registry.register(next));
    assertThat(Await.result(registry.whereis("a"))).contains(next);
  }

  @Test
  void unregisterForgetsAndVacateKeepsTheNameExpected(Vertx vertx) {
    LocalNameRegistry registry = new LocalNameRegistry(vertx);
    NameRecord a = holder(vertx, "a", "pa");
    NameRecord b = holder(vertx, "b", "pb");
    Await.result(registry.register(a));
    Await.result(registry.register(b));
    Await.result(registry.unregister(new NameRecord("a", "server", a.nodeId(), "someone-else")));
    assertThat(Await.result(registry.whereis("a"))).contains(a);
    Await.result(registry.unregister(a));
    Await.result(registry.vacate(b));
    assertThat(Await.result(registry.isExpected("a"))).isFalse();
    assertThat(Await.result(registry.isExpected("b"))).isTrue();
    assertThat(Await.result(registry.whereis("b"))).isEmpty();
  }

  @Test
  void awaitRegisteredIsWokenByTheRegistration(Vertx vertx) {
    LocalNameRegistry registry = new LocalNameRegistry(vertx);
    Future<NameRecord> waiting = registry.awaitRegistered("late", Duration.ofSeconds(20));
    assertThat(waiting.isComplete()).isFalse();
    NameRecord late = holder(vertx, "late", "pl");
    Await.result(registry.register(late));
    assertThat(Await.result(waiting)).isEqualTo(late);
    assertThat(Await.result(registry.awaitRegistered("late", Duration.ofMillis(1)))).isEqualTo(late);
  }

  @Test
  void awaitRegisteredTimesOut(Vertx vertx) {
    LocalNameRegistry registry = new LocalNameRegistry(vertx);
    // Await.failure reads a TimeoutException as "did not complete": unwrap the cause first
    Throwable cause = Await.result(registry.awaitRegistered("never", Duration.ofMillis(50))
        .<Throwable>transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(cause).isInstanceOf(TimeoutException.class)
        .hasMessageContaining("never");
  }
}
