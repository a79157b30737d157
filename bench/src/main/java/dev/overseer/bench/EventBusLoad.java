package dev.overseer.bench;

import dev.overseer.server.ServerRef;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/**
 * Drives calls over the event bus from a client context of its own (an event loop that is not
 * the server's), the way another verticle of the application would call the server.
 */
final class EventBusLoad {

  private static final DeliveryOptions CALL = new DeliveryOptions().setSendTimeout(10_000);

  private final Vertx vertx;

  EventBusLoad(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Places the caller on an event loop other than the one serving {@code address}. Two contexts
   * on one event-loop thread hand messages over without a thread switch (about 1 us a call
   * instead of 20): which of the two a run got would depend on deployment order, so every
   * Vert.x figure is taken across threads, as Pekko's and OTP's calls cross a mailbox.
   */
  private Context clientFor(String address) {
    return clientFor(address, false);
  }

  /**
   * @param sameLoop {@code true} for a caller on the server's own event-loop thread (Vert.x then
   *     hands the message over without a thread switch), {@code false} for one on another loop
   */
  private Context clientFor(String address, boolean sameLoop) {
    Thread server = CounterVerticle.THREADS.get(address);
    for (int i = 0; i < 64; i++) {
      // Each deployment gets a fresh context on the next event loop, round robin.
      Promise<Context> placed = Promise.promise();
      Promise<Thread> runsOn = Promise.promise();
      vertx.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          placed.complete(context);
          runsOn.complete(Thread.currentThread());
          return Future.succeededFuture();
        }
      }).await();
      if ((runsOn.future().await() == server) == sameLoop) {
        return placed.future().await();
      }
    }
    throw new IllegalStateException("no event loop " + (sameLoop ? "equal to" : "other than") + " the server's " + server);
  }

  static JsonObject incr() {
    return new JsonObject().put("op", "incr").put("by", 1);
  }

  /** @return calls per second with {@code window} calls in flight, counted after a warm-up */
  Future<Double> throughput(String address, int window, int warmupMillis, int measureMillis) {
    return loaded(address, window, warmupMillis, measureMillis).map(Loaded::perSecond);
  }

  /** Calls per second under load, and the round trip of every call completed while counting. */
  record Loaded(double perSecond, long[] nanos) {
  }

  /** As {@link #throughput}, also timing each call of the measured part. */
  Future<Loaded> loaded(String address, int window, int warmupMillis, int measureMillis) {
    if (warmupMillis < 1 || measureMillis < 1) {
      return Future.failedFuture(new IllegalArgumentException("Vert.x timers need at least 1 ms"));
    }
    Promise<Loaded> result = Promise.promise();
    Context client = clientFor(address);
    client.runOnContext(v -> {
      long[] ops = {0};
      long[] t0 = {0};
      boolean[] stop = {false};
      long[] failures = {0};
      long[][] samples = {new long[1 << 16]};
      Runnable[] loop = new Runnable[1];
      loop[0] = () -> {
        long sent = System.nanoTime();
        vertx.eventBus().request(address, incr(), CALL).onComplete(ar -> {
        if (ar.failed()) {
          failures[0]++;
        } else {
          if (t0[0] != 0 && !stop[0]) {
            if (ops[0] == samples[0].length) {
              samples[0] = java.util.Arrays.copyOf(samples[0], samples[0].length * 2);
            }
            samples[0][(int) ops[0]] = System.nanoTime() - sent;
          }
          ops[0]++;
        }
        if (!stop[0]) {
          loop[0].run();
        }
      });
      };
      for (int i = 0; i < window; i++) {
        loop[0].run();
      }
      vertx.setTimer(warmupMillis, w -> {
        ops[0] = 0;
        t0[0] = System.nanoTime();
        vertx.setTimer(measureMillis, m -> {
          stop[0] = true;
          double seconds = (System.nanoTime() - t0[0]) / 1e9;
          if (failures[0] > 0) {
            result.fail("throughput run had " + failures[0] + " failed calls");
          } else {
            result.complete(new Loaded(ops[0] / seconds, java.util.Arrays.copyOf(samples[0], (int) Math.min(ops[0], samples[0].length))));
          }
        });
      });
    });
    return result.future();
  }

  /** @return the round-trip time of {@code calls} sequential calls, in nanoseconds each */
  Future<long[]> latencies(String address, int calls) {
    return latencies(address, calls, false);
  }

  /** As {@link #latencies(String, int)}, with the caller on the server's loop when {@code sameLoop}. */
  Future<long[]> latencies(String address, int calls, boolean sameLoop) {
    Promise<long[]> result = Promise.promise();
    long[] nanos = new long[calls];
    Context client = clientFor(address, sameLoop);
    client.runOnContext(v -> {
      int[] i = {0};
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        long t0 = System.nanoTime();
        vertx.eventBus().request(address, incr(), CALL).onComplete(ar -> {
          if (ar.failed()) {
            result.fail(ar.cause());
            return;
          }
          nanos[i[0]++] = System.nanoTime() - t0;
          if (i[0] == calls) {
            result.complete(nanos);
          } else {
            next[0].run();
          }
        });
      };
      next[0].run();
    });
    return result.future();
  }

  /**
   * No handler (between undeploy and redeploy), an Overseer server answering "restarting"
   * (code 503) while it is being stopped, or a request Vert.x discarded because it reached the
   * consumer just as it was unregistered (failed at once as a TIMEOUT): the server is not back
   * yet, ask again.
   */
  private static boolean retryable(Throwable t) {
    return t instanceof ReplyException re && (re.failureType() == ReplyFailure.NO_HANDLERS
        || (re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == 503)
        || (re.failureType() == ReplyFailure.TIMEOUT && String.valueOf(re.getMessage()).startsWith("Discarded the request")));
  }

  /** What a restart run saw. */
  record Restarts(long[] starts, long[] nanos, long stateLost, long retries) {
  }

  /**
   * Crashes the server {@code crashes} times; for each, the time from sending the crash to the
   * first reply of a new incarnation. Calls that find no handler (between undeploy and
   * redeploy) are retried at once, as are calls the old incarnation still answers (Vert.x keeps
   * a crashed child deployed until its supervisor has stopped it). A new incarnation whose
   * counter is not the last one plus one lost state.
   */
  Future<Restarts> restarts(String address, int crashes) {
    return restarts(address, crashes, null);
  }

  /**
   * As {@link #restarts(String, int)}, but calling through {@code ref} when given: then
   * {@link ServerRef} does the waiting and retrying (with its own pauses), as a user's call would.
   */
  Future<Restarts> restarts(String address, int crashes, ServerRef ref) {
    return restarts(address, crashes, ref, null);
  }

  /**
   * As {@link #restarts(String, int, ServerRef)}; with {@code stop}, ends (with the restarts done
   * so far) as soon as it is set: the crash storm beside a throughput measurement.
   */
  Future<Restarts> restarts(String address, int crashes, ServerRef ref, java.util.concurrent.atomic.AtomicBoolean stop) {
    java.util.function.Supplier<Future<JsonObject>> call = ref == null
        ? () -> vertx.eventBus().<JsonObject>request(address, incr(), CALL).map(Message::body)
        : () -> ref.call(incr(), Duration.ofSeconds(10)).map(JsonObject.class::cast);
    Promise<Restarts> result = Promise.promise();
    long[] nanos = new long[crashes];
    long[] starts = new long[crashes];
    Context client = clientFor(address);
    client.runOnContext(v -> call.get().onComplete(first -> {
      if (first.failed()) {
        result.fail(first.cause());
        return;
      }
      long[] last = {first.result().getLong("n")};
      long[] inc = {first.result().getLong("inc")};
      long[] lost = {0};
      long[] retries = {0};
      int[] round = {0};
      long[] t0 = {0};
      Runnable[] attempt = new Runnable[1];
      Runnable crash = () -> {
        t0[0] = System.nanoTime();
        vertx.eventBus().send(address, "crash");
        attempt[0].run();
      };
      attempt[0] = () -> call.get().onComplete(ar -> {
        if (ar.failed()) {
          if (retryable(ar.cause())) {
            retries[0]++;
            client.runOnContext(x -> attempt[0].run());
          } else {
            result.fail(ar.cause());
          }
          return;
        }
        JsonObject body = ar.result();
        long n = body.getLong("n");
        if (body.getLong("inc") == inc[0]) {
          // Still the crashed instance: its supervisor has not stopped it yet.
          last[0] = n;
          retries[0]++;
          client.runOnContext(x -> attempt[0].run());
          return;
        }
        starts[round[0]] = t0[0];
        nanos[round[0]++] = System.nanoTime() - t0[0];
        if (n != last[0] + 1) {
          lost[0]++;
        }
        last[0] = n;
        inc[0] = body.getLong("inc");
        if (round[0] == crashes || (stop != null && stop.get())) {
          result.complete(new Restarts(java.util.Arrays.copyOf(starts, round[0]), java.util.Arrays.copyOf(nanos, round[0]),
              lost[0], retries[0]));
        } else {
          crash.run();
        }
      });
      crash.run();
    }));
    return result.future();
  }

  /**
   * Crashes the server {@code crashes} times, at least {@code paceMillis} apart, timing each
   * restart from sending the crash to the moment the new incarnation's {@code init} began (it
   * announces itself through {@link Announce}: nothing is polled while the clock runs). Between
   * two crashes, untimed, the caller waits until the new incarnation answers, and checks that it
   * kept the count.
   */
  Future<Restarts> pacedRestarts(String address, int crashes, int paceMillis) {
    Promise<Restarts> result = Promise.promise();
    long[] nanos = new long[crashes];
    long[] starts = new long[crashes];
    Context client = clientFor(address);
    client.runOnContext(v -> vertx.eventBus().<JsonObject>request(address, incr(), CALL).onComplete(first -> {
      if (first.failed()) {
        result.fail(first.cause());
        return;
      }
      long[] last = {first.result().body().getLong("n")};
      long[] inc = {first.result().body().getLong("inc")};
      long[] lost = {0};
      long[] retries = {0};
      int[] round = {0};
      Runnable[] crash = new Runnable[1];
      Runnable[] ready = new Runnable[1];
      Announce.listen(address, (incarnation, at) -> client.runOnContext(x -> {
        nanos[round[0]] = at - starts[round[0]];
        ready[0].run();
      }));
      ready[0] = () -> vertx.eventBus().<JsonObject>request(address, incr(), CALL).onComplete(ar -> {
        if (ar.failed() || ar.result().body().getLong("inc") == inc[0]) {
          if (ar.failed() && !retryable(ar.cause())) {
            Announce.stop(address);
            result.fail(ar.cause());
            return;
          }
          if (ar.succeeded()) {
            last[0] = ar.result().body().getLong("n");
          }
          retries[0]++;
          ready[0].run();
          return;
        }
        JsonObject body = ar.result().body();
        if (body.getLong("n") != last[0] + 1) {
          lost[0]++;
        }
        last[0] = body.getLong("n");
        inc[0] = body.getLong("inc");
        round[0]++;
        if (round[0] == crashes) {
          Announce.stop(address);
          result.complete(new Restarts(starts, nanos, lost[0], retries[0]));
          return;
        }
        long waitMillis = paceMillis - (System.nanoTime() - starts[round[0] - 1]) / 1_000_000;
        if (waitMillis >= 1) {
          vertx.setTimer(waitMillis, t -> crash[0].run());
        } else {
          crash[0].run();
        }
      });
      crash[0] = () -> {
        starts[round[0]] = System.nanoTime();
        vertx.eventBus().send(address, "crash");
      };
      crash[0].run();
    }));
    return result.future();
  }
}
