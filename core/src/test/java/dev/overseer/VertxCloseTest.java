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
 * hang Vert.x.
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
}
