package dev.overseer.impl;

import dev.overseer.ChildSpec;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorEvent;
import dev.overseer.SupervisorOptions;
import dev.overseer.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Events cost only what is used: no JSON, no stack-trace strings, unless someone takes them. */
@ExtendWith(VertxExtension.class)
class SupervisorEventsTest {

  /** Counts how often its stack trace is read: what rendering a reason as JSON does. */
  static final class CountedFailure extends IllegalStateException {
    static final AtomicInteger READS = new AtomicInteger();

    CountedFailure() {
      super("counted");
    }

    @Override
    public StackTraceElement[] getStackTrace() {
      READS.incrementAndGet();
      return super.getStackTrace();
    }
  }

  /** Crashes with a {@link CountedFailure} when it receives anything on "crash-me". */
  static final class Crasher extends VerticleBase {
    @Override
    public Future<?> start() {
      return vertx.eventBus().localConsumer("crash-me", m -> {
        throw new CountedFailure();
      }).completion();
    }
  }

  private Supervisor supervise(Vertx vertx, List<SupervisorEvent> events) {
    Supervisor sup = new Supervisor(new SupervisorOptions().setIntensity(10), List.of(ChildSpec.worker("c", Crasher::new)));
    sup.addListener(events::add);
    vertx.deployVerticle(sup).await();
    return sup;
  }

  @Test
  void withNobodyOnTheEventsAddressNoEventIsRenderedAsJson(Vertx vertx) {
    List<SupervisorEvent> events = new CopyOnWriteArrayList<>();
    supervise(vertx, events);
    CountedFailure.READS.set(0);
    vertx.eventBus().send("crash-me", "now");
    Await.until(vertx, () -> events.stream().anyMatch(e -> e.type() == SupervisorEvent.Type.CHILD_RESTARTED));
    assertThat(events).anyMatch(e -> e.type() == SupervisorEvent.Type.CHILD_EXITED && e.reason().cause() instanceof CountedFailure);
    assertThat(CountedFailure.READS.get()).isZero();
  }

  @Test
  void aConsumerOfTheEventsAddressReceivesEachEventAsJson(Vertx vertx) {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer(SupervisorOptions.DEFAULT_EVENTS_ADDRESS, m -> received.add(m.body())).completion().await();
    List<SupervisorEvent> events = new CopyOnWriteArrayList<>();
    supervise(vertx, events);
    vertx.eventBus().send("crash-me", "now");
    Await.until(vertx, () -> received.stream().anyMatch(j -> "CHILD_RESTARTED".equals(j.getString("type"))));
    JsonObject exited = received.stream().filter(j -> "CHILD_EXITED".equals(j.getString("type"))).findFirst().orElseThrow();
    assertThat(exited.getJsonObject("reason").getString("error")).isEqualTo(CountedFailure.class.getName());
    assertThat(exited.getJsonObject("reason").getJsonArray("stack")).isNotEmpty();
    assertThat(received.stream().map(j -> j.getString("type")).toList())
        .containsSubsequence("SUPERVISOR_STARTED", "CHILD_EXITED", "CHILD_RESTARTED");
  }
}
