package dev.overseer.impl;

import dev.overseer.Shutdown;
import dev.overseer.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ChildHost} running its child on its supervisor's loop: the hops between the two contexts. */
class ChildHostLoopTest {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  /** A child that counts its stops and never completes one. */
  static final class Child implements Deployable {
    final AtomicInteger stops = new AtomicInteger();

    @Override
    public Future<?> deploy(Context context) {
      return Future.succeededFuture();
    }

    @Override
    public Future<?> undeploy(Context context) {
      stops.incrementAndGet();
      return Promise.promise().future();
    }
  }

  /** Deploys the host and hands out the context Vert.x made for the deployment. */
  static final class Wrapper implements Deployable {
    final ChildHost host;
    final Promise<Context> deployed = Promise.promise();

    Wrapper(ChildHost host) {
      this.host = host;
    }

    @Override
    public Future<?> deploy(Context context) {
      deployed.complete(context);
      return host.deploy(context);
    }

    @Override
    public Future<?> undeploy(Context context) {
      return host.undeploy(context);
    }
  }

  @Test
  void aKillArrivingWhileTheStopHopsToTheSupervisorsLoopRunsNoStop() throws Exception {
    LoopContextsTest.Holder supervisor = new LoopContextsTest.Holder();
    Await.result(vertx.deployVerticle(supervisor));
    Context near = Await.result(supervisor.ctx.future());
    Child child = new Child();
    ChildHost host = new ChildHost(child, "c", "s", 1, Shutdown.timeout(Duration.ofSeconds(30)),
        (h, reason, undeploying) -> { }, near);
    Wrapper wrapper = new Wrapper(host);
    String id = Await.result(vertx.deployVerticle(wrapper));
    Context deployed = Await.result(wrapper.deployed.future());
    // Round-robin put the deployment on another loop: its stop hops to the supervisor's.
    assertThat(((ContextInternal) deployed).nettyEventLoop()).isNotSameAs(((ContextInternal) near).nettyEventLoop());

    Promise<Void> undeployed = Promise.promise();
    CountDownLatch undeployBegan = new CountDownLatch(1);
    near.runOnContext(v -> {
      host.requestStop();
      vertx.undeploy(id).onComplete(undeployed);
      // Queued behind the host's undeploy on the deployment's loop: once it runs, the stop's hop
      // is queued on this loop, behind this task.
      deployed.runOnContext(x -> undeployBegan.countDown());
      try {
        assertThat(undeployBegan.await(10, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      // The shutdown timeout expiring now, on the supervisor's loop, before the stop has begun.
      host.kill();
    });
    Await.result(undeployed.future());
    assertThat(vertx.deploymentIDs()).doesNotContain(id);
    // Whatever was queued on the supervisor's loop has run by the time this does.
    Promise<Void> drained = Promise.promise();
    near.runOnContext(v -> drained.complete());
    Await.result(drained.future());
    assertThat(child.stops).as("stop run after the kill, on a closed context").hasValue(0);
  }
}
