package dev.overseer.testing;

import dev.overseer.ChildHandle;
import dev.overseer.ExitReason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A controllable child. It records {@code "started <name>"}, {@code "stopping <name>"} and
 * {@code "stopped <name>"} in its {@link Probe}, and obeys commands sent to the event-bus address
 * {@code probe.<name>}:
 * <ul>
 *   <li>{@code "crash"}: throw from the handler;</li>
 *   <li>{@code "crash-timer"}: throw from a timer a few milliseconds later;</li>
 *   <li>{@code "exit-normal"}, {@code "exit-shutdown"}, {@code "exit-failure"}: call
 *       {@link ChildHandle#exit} with that reason;</li>
 *   <li>{@code "undeploy-self"}: undeploy its own deployment;</li>
 *   <li>{@code "config"}: reply with {@code config()} encoded;</li>
 *   <li>{@code "whoami"}: reply with {@code "<id>@<supervisor>"} from its {@link ChildHandle};</li>
 *   <li>{@code "exit-twice"}: exit normally, then with a failure;</li>
 *   <li>{@code "ping"} or anything else: record {@code "got <name> <body>"} and reply
 *       {@code "pong"}, so a test can prove which messages reached which incarnation.</li>
 * </ul>
 * A {@link Behaviour}, shared by every incarnation made from one spec, makes starts fail or hang,
 * stops slow, hanging or failing, and can run a periodic timer that records {@code "tick <name>"}.
 */
public class ProbeChild extends VerticleBase {

  /** What starts and stops do; shared across incarnations so a test can change it between restarts. */
  public static final class Behaviour {
    /** Starts still to fail before one succeeds. */
    public final AtomicInteger failStarts = new AtomicInteger();
    /** How many starts were attempted, failed ones included. */
    public final AtomicInteger startAttempts = new AtomicInteger();
    /** When true, every start fails. */
    public volatile boolean failAllStarts;
    /** When true, stop() never completes. */
    public volatile boolean hangOnStop;
    /** When true, start() never completes. */
    public volatile boolean hangOnStart;
    /** When true, start() throws instead of returning a failed future. */
    public volatile boolean throwOnStart;
    /** When true, stop() fails. */
    public volatile boolean failStop;
    /** When positive, stop() completes only after this many milliseconds. */
    public volatile long stopDelayMillis;
    /** When positive, a periodic timer records {@code "tick <name>"} at this interval. */
    public volatile long tickMillis;

    /** @return this, with the next {@code n} starts failing */
    public Behaviour failNextStarts(int n) {
      failStarts.set(n);
      return this;
    }
  }

  private String name;
  private Probe probe;
  private final Behaviour behaviour;
  private MessageConsumer<String> consumer;

  /** A child with the default behaviour: starts and stops at once. */
  public ProbeChild(String name, Probe probe) {
    this(name, probe, new Behaviour());
  }

  /** A child that starts and stops as {@code behaviour} says. */
  public ProbeChild(String name, Probe probe, Behaviour behaviour) {
    this.name = name;
    this.probe = probe;
    this.behaviour = behaviour;
  }

  /** @return the address a test sends commands to */
  public static String address(String name) {
    return "probe." + name;
  }

  /** @return the name to report under; a subclass may read it from {@code config()} */
  protected String childName() {
    return name;
  }

  /** @return where to report; a subclass may find it from {@code config()} */
  protected Probe childProbe() {
    return probe;
  }

  @Override
  public Future<?> start() {
    name = childName();
    probe = childProbe();
    behaviour.startAttempts.incrementAndGet();
    if (behaviour.failAllStarts || behaviour.failStarts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      probe.record("start-failed " + name);
      return Future.failedFuture(new IllegalStateException("start of " + name + " refused"));
    }
    if (behaviour.throwOnStart) {
      probe.record("start-threw " + name);
      throw new IllegalStateException("start of " + name + " threw");
    }
    if (behaviour.hangOnStart) {
      probe.record("start-hanging " + name);
      return Promise.promise().future();
    }
    consumer = vertx.eventBus().consumer(address(name), msg -> {
      switch (msg.body()) {
        case "crash":
          throw new IllegalStateException("crash requested for " + name);
        case "crash-timer":
          vertx.setTimer(5, t -> {
            throw new IllegalStateException("timer crash requested for " + name);
          });
          break;
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
        case "config":
          msg.reply(config().encode());
          break;
        case "whoami":
          msg.reply(ChildHandle.current().id() + "@" + ChildHandle.current().supervisorName());
          break;
        case "exit-twice":
          ChildHandle.current().exit(ExitReason.normal());
          ChildHandle.current().exit(ExitReason.failure(new RuntimeException("second exit of " + name)));
          break;
        default:
          probe.record("got " + name + " " + msg.body());
          msg.reply("pong");
      }
    });
    if (behaviour.tickMillis > 0) {
      vertx.setPeriodic(behaviour.tickMillis, t -> probe.record("tick " + name));
    }
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
    if (behaviour.stopDelayMillis > 0) {
      Promise<Void> done = Promise.promise();
      vertx.setTimer(behaviour.stopDelayMillis, t -> {
        probe.record("stopped " + name);
        done.complete();
      });
      return done.future();
    }
    probe.record("stopped " + name);
    return Future.succeededFuture();
  }
}
