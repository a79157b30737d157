package dev.overseer.stash;

import dev.overseer.stash.LocalStash;
import dev.overseer.stash.Stash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** LocalStash passes the conformance suite, and is shared per Vert.x instance. */
class LocalStashTest extends StashConformanceTest {

  @Override
  protected Future<Stash> createStash(Vertx vertx) {
    return Future.succeededFuture(new LocalStash());
  }

  @Test
  void sharedIsOneInstancePerVertx(Vertx vertx) {
    assertThat(LocalStash.shared(vertx)).isSameAs(LocalStash.shared(vertx));
    Vertx other = Vertx.vertx();
    try {
      assertThat(LocalStash.shared(other)).isNotSameAs(LocalStash.shared(vertx));
    } finally {
      other.close().await();
    }
  }
}
