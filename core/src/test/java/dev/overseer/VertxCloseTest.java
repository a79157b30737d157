package dev.overseer;

import dev.overseer.testing.Probe;
import dev.overseer.testing.ProbeChild;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vertx.close()} undeploys children behind their supervisor's back (a documented
 * divergence); their shutdown still bounds their stop, so a stop that never completes does not
 * hang Vert.x, except under {@code Shutdown.infinity()}, which waits as long as the stop takes.
 */
class VertxCloseTest {

  @Test
  void closingVertxDoesNotHangOnAChildWhoseStopNeverCompletes() throws Exception {
    Vertx vertx = Vertx.vertx();
    Probe probe = new Probe();
    ProbeChild.Behaviour hangs = new ProbeChild.Behaviour();
    hangs.hangOnStop = true;
    Supervisor.start(vertx, new SupervisorOptions(), List.of(
        ChildSpec.worker("stuck", () -> new ProbeChild("stuck", probe, hangs)).withShutdown(Shutdown.timeout(Duration.ofMillis(200))),
        ChildSpec.worker("killed", () -> new ProbeChild("killed", probe, hangs)).withShutdown(Shutdown.brutalKill())))
        .await();
    vertx.close().await(10, TimeUnit.SECONDS);
    assertThat(probe.lines()).contains("stopping stuck").doesNotContain("stopping killed");
  }

  /**
   * {@code Shutdown.infinity()} means what it says under {@code vertx.close()} too: Vert.x waits
   * for the child's stop however long it takes (as the docs say: a stop that never completes
   * would hang the close; give such children a timeout).
   */
  @Test
  void closingVertxWaitsForTheStopOfAnInfinityChild() throws Exception {
    Vertx vertx = Vertx.vertx();
    Probe probe = new Probe();
    ProbeChild.Behaviour slow = new ProbeChild.Behaviour();
    slow.stopDelayMillis = 400;
    Supervisor.start(vertx, new SupervisorOptions(), List.of(
        ChildSpec.worker("patient", () -> new ProbeChild("patient", probe, slow)).withShutdown(Shutdown.infinity()),
        ChildSpec.worker("bounded", () -> new ProbeChild("bounded", probe, slow)).withShutdown(Shutdown.timeout(Duration.ofMillis(50)))))
        .await();
    vertx.close().await(10, TimeUnit.SECONDS);
    assertThat(probe.lines()).contains("stopping patient", "stopped patient", "stopping bounded").doesNotContain("stopped bounded");
  }
}
