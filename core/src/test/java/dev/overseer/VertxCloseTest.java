package dev.overseer;

import dev.overseer.testing.Probe;
import dev.overseer.testing.ProbeChild;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vertx.close()} with supervisors deployed: the root supervisor stops its tree first, in
 * order and quietly; each child's shutdown still bounds its stop, so a stop that never completes
 * does not hang Vert.x, except under {@code Shutdown.infinity()}, which waits as long as the stop takes.
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

  /**
   * Issue 8 item 22: closing Vert.x after restarts used to log SEVERE "Undeploy failed" ("Already
   * undeployed", "Unknown deployment") because Vert.x and the supervisor undeployed the same
   * children at once, in no order. Now the root supervisor stops its tree when the close begins,
   * before Vert.x undeploys anything: quiet, and in reverse start order, a nested tree included.
   */
  @RepeatedTest(5)
  void closingVertxAfterRestartsIsQuietAndStopsTheTreeInReverseStartOrder() throws Exception {
    List<LogRecord> severe = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
          severe.add(record);
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    Vertx vertx = Vertx.vertx();
    try {
      Probe probe = new Probe();
      Supervisor sup = new Supervisor(new SupervisorOptions().setStrategy(RestartStrategy.ONE_FOR_ALL).setIntensity(10), List.of(
          ChildSpec.worker("a", () -> new ProbeChild("a", probe)),
          ChildSpec.supervisor("inner", () -> new Supervisor(new SupervisorOptions(), List.of(
              ChildSpec.worker("x", () -> new ProbeChild("x", probe)),
              ChildSpec.worker("y", () -> new ProbeChild("y", probe))))),
          ChildSpec.worker("b", () -> new ProbeChild("b", probe)),
          ChildSpec.worker("c", () -> new ProbeChild("c", probe))));
      vertx.deployVerticle(sup).await();
      for (int restarts = 1; restarts <= 3; restarts++) {
        vertx.eventBus().send("probe.b", "crash");
        probe.await("started c"::equals, restarts + 1);
      }
      int before = probe.lines().size();
      vertx.close().await(20, TimeUnit.SECONDS);
      List<String> stops = probe.lines().subList(before, probe.lines().size()).stream()
          .filter(l -> l.startsWith("stopping ")).toList();
      assertThat(stops).containsExactly("stopping c", "stopping b", "stopping y", "stopping x", "stopping a");
      assertThat(sup.terminationFuture().isComplete()).isTrue();
      assertThat(severe).as("SEVERE records while closing").extracting(r -> r.getLoggerName() + ": " + r.getMessage()
          + (r.getThrown() == null ? "" : " " + r.getThrown())).isEmpty();
    } finally {
      root.removeHandler(capture);
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }
}
