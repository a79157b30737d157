package dev.overseer.console.testing;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** A child that does nothing: cheap enough to start thousands of (the console's large-tree test). */
public class IdleChild extends VerticleBase {

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
