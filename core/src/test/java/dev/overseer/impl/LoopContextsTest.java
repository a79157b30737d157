package dev.overseer.impl;

import dev.overseer.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LoopContexts}: the launcher shares its supervisor's event loop and belongs to no deployment. */
class LoopContextsTest {

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(4));

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  /** A verticle that hands out its context. */
  static final class Holder extends VerticleBase {
    final Promise<Context> ctx = Promise.promise();

    @Override
    public Future<?> start() {
      ctx.complete(context);
      return Future.succeededFuture();
    }
  }

  @Test
  void theLauncherIsOnTheSameEventLoopOnEveryLoopAndBelongsToNoDeployment() {
    // Four deployments land on four different loops (round-robin): each gets a launcher on its own.
    for (int i = 0; i < 4; i++) {
      Holder owner = new Holder();
      Await.result(vertx.deployVerticle(owner));
      Context near = Await.result(owner.ctx.future());
      Context launcher = LoopContexts.detachedOn(near);
      assertThat(launcher).isNotNull().isNotSameAs(near);
      assertThat(((ContextInternal) launcher).nettyEventLoop()).isSameAs(((ContextInternal) near).nettyEventLoop());
      assertThat(launcher.deploymentID()).isNull();
      assertThat(launcher.isEventLoopContext()).isTrue();
    }
  }

  @Test
  void aDeploymentMadeFromTheLauncherOutlivesTheDeploymentItsLoopCameFrom() {
    Holder owner = new Holder();
    String ownerId = Await.result(vertx.deployVerticle(owner));
    Context launcher = LoopContexts.detachedOn(Await.result(owner.ctx.future()));
    Promise<String> deployed = Promise.promise();
    launcher.runOnContext(v -> vertx.deployVerticle(new Holder()).onComplete(deployed));
    String childId = Await.result(deployed.future());
    Await.result(vertx.undeploy(ownerId));
    // A child deployment of the owner would have been undeployed with it.
    assertThat(vertx.deploymentIDs()).containsExactly(childId);
  }
}
