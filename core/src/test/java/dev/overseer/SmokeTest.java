package dev.overseer;

import dev.overseer.testing.Probe;
import dev.overseer.testing.ProbeChild;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class SmokeTest {

  @Test
  void restartsCrashedChild(Vertx vertx) throws Exception {
    Probe probe = new Probe();
    Supervisor sup = new Supervisor(new SupervisorOptions().setIntensity(3),
        List.of(ChildSpec.worker("a", () -> new ProbeChild("a", probe)),
                ChildSpec.worker("b", () -> new ProbeChild("b", probe))));
    sup.addListener(e -> probe.record("event " + e.type()));
    vertx.deployVerticle(sup).await();
    assertThat(probe.lines()).filteredOn(l -> !l.startsWith("event")).containsExactly("started a", "started b");
    vertx.eventBus().send(ProbeChild.address("a"), "crash");
    probe.await("event CHILD_RESTARTED");
    assertThat(probe.lines()).filteredOn(l -> !l.startsWith("event"))
        .containsExactly("started a", "started b", "stopping a", "stopped a", "started a");
    List<ChildInfo> which = sup.whichChildren().await();
    assertThat(which).extracting(ChildInfo::restartCount).containsExactly(1, 0);
    sup.shutdown().await();
    assertThat(probe.lines()).filteredOn(l -> !l.startsWith("event")).endsWith("stopping b", "stopped b", "stopping a", "stopped a");
  }

  @Test
  void aBrutallyKilledNestedSupervisorComesBackUnderItsName(Vertx vertx) {
    Probe probe = new Probe();
    Supervisor root = new Supervisor(new SupervisorOptions().setName("root").setIntensity(5),
        List.of(ChildSpec.supervisor("inner", () -> new Supervisor(new SupervisorOptions().setName("inner"),
            List.of(ChildSpec.worker("leaf", () -> new ProbeChild("leaf", probe))))).withShutdown(Shutdown.brutalKill())));
    vertx.deployVerticle(root).await();
    root.terminateChild("inner").await();
    root.restartChild("inner").await();
    assertThat(SupervisorBase.lookup(vertx, "inner")).isPresent();
    assertThat(SupervisorBase.lookup(vertx, "inner").get().whichChildren().await())
        .singleElement().extracting(ChildInfo::status).isEqualTo(ChildStatus.RUNNING);
    probe.await(l -> l.equals("started leaf"), 2);
  }
}
