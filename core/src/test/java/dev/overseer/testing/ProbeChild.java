package dev.overseer.testing;

import dev.overseer.ChildHandle;
import dev.overseer.ExitReason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A controllable child. It records {@code "started <name>"} and {@code "stopped <name>"} in its
 * {@link Probe}, and obeys commands sent to the event-bus address {@code probe.<name>}:
 * {@code "crash"} (throw from the handler), {@code "exit-normal"}, {@code "exit-shutdown"},
 * {@code "exit-failure"}, {@code "undeploy-self"}, {@code "ping"} (replies "pong").
 * Options: fail the next N starts, a stop that never completes, a stop that takes a while.
 */
public class ProbeChild extends VerticleBase {

  /** What a start or stop does. */
  public static final class Behaviour {
    /** Starts still to fail before one succeeds. */
    public final AtomicInteger failStarts = new AtomicInteger();
    /** When true, stop() never completes. */
    public volatile boolean hangOnStop;
    /** When true, start() never completes. */
    public volatile boolean hangOnStart;
    /** When true, stop() fails. */
    public volatile boolean failStop;
  }

  private final String name;
  private final Probe probe;
  private final Behaviour behaviour;
  private MessageConsumer<String> consumer;

  public ProbeChild(String name, Probe probe) {
    this(name, probe, new Behaviour());
  }

  public ProbeChild(String name, Probe probe, Behaviour behaviour) {
    this.name = name;
    this.probe = probe;
    this.behaviour = behaviour;
  }

  /** @return the address a test sends commands to */
  public static String address(String name) {
    return "probe." + name;
  }

  @Override
  public Future<?> start() {
    if (behaviour.failStarts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      probe.record("start-failed " + name);
      return Future.failedFuture(new IllegalStateException("start of " + name + " refused"));
    }
    if (behaviour.hangOnStart) {
      probe.record("start-hanging " + name);
      return Promise.promise().future();
    }
    consumer = vertx.eventBus().consumer(address(name), msg -> {
      switch (msg.body()) {
        case "crash":
          throw new IllegalStateException("crash requested for " + name);
        case "exit-normal":
          ChildHandle.current().exit(ExitReason.normal());
          break;
        case "exit-shutdown":
          ChildHandle.current().exit(ExitReason.shutdown());
          break;
        case "exit-failure":
          ChildHandle.current().exit(ExitReason.failure(new RuntimeException("exit failure " + name)));
          break;
        case "undeploy-self":
          vertx.undeploy(context.deploymentID());
          break;
        default:
          probe.record("ping " + name);
          msg.reply("pong");
      }
    });
    return consumer.completion().onSuccess(v -> probe.record("started " + name));
  }

  @Override
  public Future<?> stop() {
    probe.record("stopping " + name);
    if (behaviour.hangOnStop) {
      return Promise.promise().future();
    }
    if (behaviour.failStop) {
      return Future.failedFuture(new IllegalStateException("stop of " + name + " failed"));
    }
    probe.record("stopped " + name);
    return Future.succeededFuture();
  }
}
