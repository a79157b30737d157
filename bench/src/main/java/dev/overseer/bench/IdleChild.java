package dev.overseer.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * An idle child for the scale figures: a counter and a local consumer at its own address (a
 * child that can be reached at all, like an actor's mailbox or an Erlang process), doing nothing
 * until told. {@code "crash"} throws; anything else replies with the counter.
 */
public class IdleChild extends VerticleBase {

  private final String address;
  private long counter;

  /** @param address where to consume */
  public IdleChild(String address) {
    this.address = address;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().localConsumer(address, msg -> {
      if ("crash".equals(msg.body())) {
        throw new IllegalStateException("crash requested");
      }
      msg.reply(++counter);
    }).completion();
  }
}
