package dev.overseer.server;

import dev.overseer.ChildSpec;
import dev.overseer.RestartType;
import dev.overseer.Shutdown;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import dev.overseer.stash.LocalStash;
import dev.overseer.testing.Probe;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code vertx.close()} right after a crashed server was restarted completes. It used to hang
 * about one run in seven: the test's call was answered by the new incarnation while Vert.x was
 * still recording its deployment, {@code close()}'s undeployAll took that deployment from the
 * "deploying" set and stopped it, Vert.x then never completed the deploy (an {@code assert} in
 * its deployment manager, on under surefire, fails inside a callback), and the supervisor's
 * mailbox waited for that deploy forever, so the supervisor's undeploy, and the close, never
 * completed. Each repetition uses its own Vert.x; a hang fails the repetition at the deadline.
 */
class CloseAfterRestartTest {

  private Vertx vertx;

  @AfterEach
  void closeIfLeftOpen() throws Exception {
    if (vertx != null) {
      // a repetition that failed before its close: don't leak event loops into the next one
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  private Supervisor crashOnce(ServerRef ref) {
    LocalStash stash = new LocalStash();
    Probe probe = new Probe();
    Supervisor sup = new Supervisor(new SupervisorOptions().setIntensity(5), List.of(ChildSpec.worker("counter",
            () -> new CounterServer(new ServerOptions("counter").setPersistence(Persistence.writeThrough()), stash, probe))
        .withRestart(RestartType.PERMANENT).withShutdown(Shutdown.timeout(Duration.ofSeconds(2)))));
    vertx.deployVerticle(sup).await();
    ref.call(new JsonObject().put("add", 3), Duration.ofSeconds(5)).await();
    assertThatThrownBy(() -> ref.call(new JsonObject().put("add", "x"), Duration.ofSeconds(5)).await())
        .isInstanceOf(ReplyException.class);
    return sup;
  }

  /** Failed (close timed out) about one repetition in forty before the fix. */
  @RepeatedTest(40)
  void closingVertxRightAfterARestartCompletes() throws Exception {
    vertx = Vertx.vertx();
    ServerRef ref = ServerRef.of(vertx, "counter");
    Supervisor sup = crashOnce(ref);
    assertThat(ref.call("get", Duration.ofSeconds(5)).await()).isEqualTo(3L);
    Vertx closing = vertx;
    vertx = null;
    closing.close().await(10, TimeUnit.SECONDS);
    assertThat(sup.terminationFuture().isComplete()).as("the supervisor stopped with Vert.x").isTrue();
  }

  /** The close meets the restart at any point: exit being handled, old incarnation stopping, new one deploying. */
  @RepeatedTest(30)
  void closingVertxWhileACrashedServerRestartsCompletes() throws Exception {
    vertx = Vertx.vertx();
    Supervisor sup = crashOnce(ServerRef.of(vertx, "counter"));
    Vertx closing = vertx;
    vertx = null;
    closing.close().await(10, TimeUnit.SECONDS);
    assertThat(sup.terminationFuture().isComplete()).as("the supervisor stopped with Vert.x").isTrue();
  }
}
