package dev.overseer;

import dev.overseer.testing.Await;
import dev.overseer.testing.Probe;
import dev.overseer.testing.ProbeChild;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static dev.overseer.testing.Supervisors.probe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SupervisorRef}: found through the name registry; the local ref is the supervisor object,
 * the remote one speaks the control protocol (here to a supervisor of the same Vert.x, which is
 * what another member's ref does over a clustered bus).
 */
@ExtendWith(VertxExtension.class)
class SupervisorRefTest {

  private final Probe probe = new Probe();

  private static SupervisorOptions options(String name) {
    return new SupervisorOptions().setName(name).setIntensity(10).setPeriod(Duration.ofSeconds(30))
        .setAllowList(ChildAllowList.none().withVerticle(dev.overseer.testing.NamedChild.class));
  }

  private static SupervisorRef remote(Vertx vertx, String name) {
    return SupervisorRef.remote(vertx, name, Overseer.nodeId(vertx), SupervisorOptions.CONTROL_ADDRESS_PREFIX + name,
        Duration.ofSeconds(5));
  }

  @Nested
  class Lookup {

    @Test
    void findsTheLocalSupervisorObject(Vertx vertx) {
      Supervisor sup = Await.result(Supervisor.start(vertx, options("here"), List.of()));
      assertThat(Await.result(SupervisorRef.lookup(vertx, "here"))).isSameAs(sup);
    }

    @Test
    void failsWithNotFoundForAnUnknownNameOrANonSupervisor(Vertx vertx) {
      Await.error(SupervisorRef.lookup(vertx, "nobody"), SupervisorError.NOT_FOUND);
      Await.error(SupervisorRef.lookup(vertx, null), SupervisorError.NOT_FOUND);
      Await.result(Overseer.nameRegistry(vertx).register(new NameRecord("srv", "server", Overseer.nodeId(vertx),
          Await.result(vertx.deployVerticle(new ProbeChild("p", probe))))));
      Await.error(SupervisorRef.lookup(vertx, "srv"), SupervisorError.NOT_FOUND);
    }
  }

  @Nested
  class Remote {

    @Test
    void runsTheSevenOperations(Vertx vertx) {
      Supervisor sup = Await.result(Supervisor.start(vertx, options("r7"), List.of(probe("a", probe))));
      SupervisorRef ref = remote(vertx, "r7");
      ChildSpec b = ChildSpec.verticle("b", dev.overseer.testing.NamedChild.class.getName()).withShutdown(Shutdown.timeout(Duration.ofMillis(300)));
      assertThat(Await.result(ref.startChild(b))).isEqualTo("b");
      assertThat(Await.result(ref.countChildren())).isEqualTo(new ChildCount(2, 2, 0, 2));
      assertThat(Await.result(ref.getChildSpec("b")).shutdown()).isEqualTo(Shutdown.timeout(Duration.ofMillis(300)));
      Await.result(ref.terminateChild("b"));
      assertThat(Await.result(ref.whichChildren())).extracting(ChildInfo::id, ChildInfo::status)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("a", ChildStatus.RUNNING),
              org.assertj.core.groups.Tuple.tuple("b", ChildStatus.STOPPED));
      Await.result(ref.restartChild("b"));
      Await.result(ref.terminateChild("b"));
      Await.result(ref.deleteChild("b"));
      assertThat(Await.result(sup.whichChildren())).extracting(ChildInfo::id).containsExactly("a");
    }

    @Test
    void mapsFailureCodesBackToTheSameErrors(Vertx vertx) {
      Await.result(Supervisor.start(vertx, options("errs"), List.of(probe("a", probe))));
      SupervisorRef ref = remote(vertx, "errs");
      Await.error(ref.terminateChild("zzz"), SupervisorError.NOT_FOUND);
      Await.error(ref.restartChild("a"), SupervisorError.RUNNING);
      SupervisorException e = Await.error(ref.startChild(ChildSpec.verticle("a", dev.overseer.testing.NamedChild.class.getName())),
          SupervisorError.ALREADY_STARTED);
      assertThat(e).hasMessage("already_started: child 'a' is already started");
      Await.error(ref.startChild(probe("s", probe)), SupervisorError.INVALID_SPEC);
      Await.error(ref.getChildSpec("a"), SupervisorError.UNSUPPORTED);
      Await.error(remote(vertx, "nobody-here").countChildren(), SupervisorError.NOT_FOUND);
    }

    @ParameterizedTest(name = "dynamic={0}")
    @ValueSource(booleans = {false, true})
    void describesKindFlagsAndIntensity(boolean dynamic, Vertx vertx) {
      SupervisorBase sup = dynamic
          ? Await.result(DynamicSupervisor.start(vertx, new DynamicSupervisorOptions().setName("d").setMaxChildren(3)))
          : Await.result(Supervisor.start(vertx, options("d").setStrategy(RestartStrategy.REST_FOR_ONE), List.of(probe("a", probe))));
      if (!dynamic) {
        vertx.eventBus().send(ProbeChild.address("a"), "crash");
        probe.await("started a"::equals, 2);
      }
      SupervisorDescription local = Await.result(sup.describe());
      SupervisorDescription far = Await.result(remote(vertx, "d").describe());
      assertThat(far.toJson()).isEqualTo(local.toJson());
      assertThat(far.kind()).isEqualTo(dynamic ? SupervisorDescription.Kind.DYNAMIC : SupervisorDescription.Kind.STATIC);
      assertThat(far.nodeId()).isEqualTo(Overseer.nodeId(vertx));
      assertThat(far.name()).isEqualTo("d");
      assertThat(far.intensityUsed()).isEqualTo(dynamic ? 0 : 1);
      assertThat(far.strategy()).isEqualTo(dynamic ? RestartStrategy.ONE_FOR_ONE : RestartStrategy.REST_FOR_ONE);
      if (dynamic) {
        assertThat(((DynamicSupervisorOptions) far.options()).getMaxChildren()).isEqualTo(3);
      }
    }
  }
}
