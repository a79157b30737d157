package dev.overseer.console.testing;

import dev.overseer.ChildHandle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * A child a test can crash: it listens on {@code crashable.<supervisor>.<id>} and throws from the
 * handler when it receives {@code "crash"} (a crash as Overseer defines it); any other message is
 * answered with {@code "pong"}.
 */
public class CrashableChild extends VerticleBase {

  private MessageConsumer<String> consumer;

  /** @return the address of the child {@code id} of supervisor {@code supervisor} */
  public static String address(String supervisor, String id) {
    return "crashable." + supervisor + "." + id;
  }

  @Override
  public Future<?> start() {
    ChildHandle handle = ChildHandle.current();
    consumer = vertx.eventBus().consumer(address(handle.supervisorName(), handle.id()), msg -> {
      if ("crash".equals(msg.body())) {
        throw new IllegalStateException("crash requested for " + handle.id());
      }
      msg.reply("pong");
    });
    return consumer.completion();
  }
}
