package dev.overseer.fuzz;

import dev.overseer.stash.LocalStash;
import dev.overseer.stash.Stash;
import dev.overseer.testing.Await;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;

/** {@link StashFuzz} on the in-memory stash. */
class LocalStashFuzzTest extends StashFuzz {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Override
  protected Vertx vertx() {
    return vertx;
  }

  @Override
  protected Stash stash() {
    return new LocalStash();
  }
}
