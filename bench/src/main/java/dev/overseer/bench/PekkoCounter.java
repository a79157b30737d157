package dev.overseer.bench;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Pekko peer's actors: the same counter as {@link CounterVerticle} (state restored from the
 * same kind of plain map), and the same idle child as {@link IdleChild}, each wrapped in
 * {@code Behaviors.supervise(...).onFailure(SupervisorStrategy.restart())}.
 */
final class PekkoCounter {

  private PekkoCounter() {
  }

  /** What a counter or an idle child accepts. */
  interface Msg {
  }

  /** Adds {@code by} and replies with the count. */
  record Incr(int by, ActorRef<Count> replyTo) implements Msg {
  }

  /** Throws from the handler. */
  enum Crash implements Msg { INSTANCE }

  /** The reply: the counter and which incarnation answered. */
  record Count(long n, long inc) {
  }

  /** Starts {@code count} idle children named from {@code first}; each counts down when its setup ran. */
  record StartRange(int first, int count, CountDownLatch started) {
  }

  private static final AtomicLong INCARNATIONS = new AtomicLong();

  /** @return a supervised counter; with a store, its count survives restarts */
  static Behavior<Msg> counter(String key, Map<String, Long> store) {
    Behavior<Msg> body = Behaviors.setup(ctx -> {
      long now = System.nanoTime();
      long inc = INCARNATIONS.incrementAndGet();
      Announce.started(key, inc, now);
      long[] n = {store == null ? 0 : store.getOrDefault(key, 0L)};
      return Behaviors.receive(Msg.class)
          .onMessage(Incr.class, m -> {
            n[0] += m.by();
            if (store != null) {
              store.put(key, n[0]);
            }
            m.replyTo().tell(new Count(n[0], inc));
            return Behaviors.same();
          })
          .onMessageEquals(Crash.INSTANCE, () -> {
            throw new IllegalStateException("crash requested");
          })
          .build();
    });
    return Behaviors.supervise(body).onFailure(IllegalStateException.class, SupervisorStrategy.restart());
  }

  /** @return a supervised idle child that counts down {@code started} when it has set up */
  static Behavior<Msg> idle(CountDownLatch started) {
    Behavior<Msg> body = Behaviors.setup(ctx -> {
      started.countDown();
      long[] n = {0};
      return Behaviors.receive(Msg.class)
          .onMessage(Incr.class, m -> {
            n[0] += m.by();
            m.replyTo().tell(new Count(n[0], 0));
            return Behaviors.same();
          })
          .onMessageEquals(Crash.INSTANCE, () -> {
            throw new IllegalStateException("crash requested");
          })
          .build();
    });
    return Behaviors.supervise(body).onFailure(IllegalStateException.class, SupervisorStrategy.restart());
  }

  /** @return the parent of the scale run: spawns named, supervised idle children on request */
  static Behavior<StartRange> parent() {
    return Behaviors.setup(ctx -> Behaviors.receive(StartRange.class)
        .onMessage(StartRange.class, m -> {
          for (int i = m.first(); i < m.first() + m.count(); i++) {
            ctx.spawn(idle(m.started()), "s" + i);
          }
          return Behaviors.same();
        })
        .build());
  }
}
