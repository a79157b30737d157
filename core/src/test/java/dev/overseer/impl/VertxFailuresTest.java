package dev.overseer.impl;

import dev.overseer.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the Vert.x failure texts {@link VertxFailures} recognises to the Vert.x version in use:
 * each is provoked for real. If an upgrade changes one, this fails, not the supervisor.
 */
@ExtendWith(VertxExtension.class)
class VertxFailuresTest {

  /** A verticle whose stop completes only when the test says so. */
  static final class SlowStop extends VerticleBase {
    final Promise<Void> release = Promise.promise();

    @Override
    public Future<?> stop() {
      return release.future();
    }
  }

  @Test
  void undeployingAnUnknownDeploymentIsGone(Vertx vertx) {
    Throwable t = Await.failure(vertx.undeploy("no-such-deployment"));
    assertThat(t).hasMessage(VertxFailures.UNKNOWN_DEPLOYMENT);
    assertThat(VertxFailures.isGone(t)).isTrue();
  }

  @Test
  void undeployingTwiceIsGone(Vertx vertx) {
    SlowStop slow = new SlowStop();
    String id = Await.result(vertx.deployVerticle(slow));
    Future<Void> first = vertx.undeploy(id);
    Throwable second = Await.failure(vertx.undeploy(id));
    assertThat(VertxFailures.isGone(second)).as("%s", second).isTrue();
    slow.release.complete();
    Await.result(first);
  }

  @Test
  void deployingOnAClosedVertxIsVertxClosed() {
    Vertx closed = Vertx.vertx();
    Await.result(closed.close());
    Throwable t = Await.failure(closed.deployVerticle(new SlowStop()));
    assertThat(t).hasMessage(VertxFailures.VERTX_CLOSED);
    assertThat(VertxFailures.isVertxClosed(t)).isTrue();
  }

  @Test
  void aRequestQueuedInAnUnregisteredConsumerIsDiscarded(Vertx vertx) {
    MessageConsumer<String> consumer = vertx.eventBus().<String>localConsumer("vf.discard", msg -> msg.reply("late"));
    Await.result(consumer.completion());
    consumer.pause();
    Future<io.vertx.core.eventbus.Message<Object>> request = vertx.eventBus().request("vf.discard", "hello");
    Await.result(vertx.<Void>executeBlocking(() -> null).compose(v -> consumer.unregister()));
    Throwable t = Await.failure(request);
    assertThat(t).isInstanceOf(ReplyException.class);
    assertThat(((ReplyException) t).failureType()).isEqualTo(ReplyFailure.TIMEOUT);
    assertThat(VertxFailures.isDiscardedRequest(t)).as("%s", t).isTrue();
  }
}
