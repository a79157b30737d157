package dev.overseer;

import dev.overseer.testing.Await;
import dev.overseer.testing.EventLog;
import dev.overseer.testing.Probe;
import dev.overseer.testing.ProbeChild;
import dev.overseer.testing.Supervisors;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class ChildHandleTest {

  private final Probe probe = new Probe();

  @Nested
  class Current {

    @Test
    void tellsAChildItsIdAndSupervisor(Vertx vertx) {
      Await.result(Supervisor.start(vertx, new SupervisorOptions().setName("owner"), List.of(Supervisors.probe("a", probe))));
      assertThat(Await.result(vertx.eventBus().request(ProbeChild.address("a"), "whoami")).body()).isEqualTo("a@owner");
    }

    @Test
    void failsOffASupervisedContext(Vertx vertx) {
      assertThatThrownBy(ChildHandle::current).isInstanceOf(IllegalStateException.class);
      assertThat(ChildHandle.of(null)).isEmpty();
      assertThat(ChildHandle.of(vertx.getOrCreateContext())).isEmpty();
    }
  }

  @Nested
  class Exit {

    @Test
    void countsOnlyTheFirstExitOfAnIncarnation(Vertx vertx) {
      EventLog events = new EventLog();
      Supervisor sup = new Supervisor(new SupervisorOptions().setIntensity(5),
          List.of(Supervisors.probe("a", probe).withRestart(RestartType.TRANSIENT)));
      sup.addListener(events);
      Await.result(vertx.deployVerticle(sup));
      vertx.eventBus().send(ProbeChild.address("a"), "exit-twice");
      events.await(SupervisorEvent.Type.CHILD_EXITED, "a");
      ChildInfo row = Supervisors.children(sup).get("a");
      assertThat(row.status()).isEqualTo(ChildStatus.STOPPED);
      assertThat(row.lastExit()).isEqualTo(ExitReason.normal());
      assertThat(events.count(SupervisorEvent.Type.CHILD_EXITED, "a")).isEqualTo(1);
      assertThat(events.count(SupervisorEvent.Type.CHILD_RESTARTED, "a")).isZero();
    }
  }
}
