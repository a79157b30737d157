package dev.overseer.impl;

import dev.overseer.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor's mailbox: one task at a time, to the end of its future, in order. */
@ExtendWith(VertxExtension.class)
class SerialQueueTest {

  @Nested
  class Submit {

    @Test
    void runsTasksOneAtATimeInOrderOnItsContext(Vertx vertx) {
      Context context = vertx.getOrCreateContext();
      List<String> log = new CopyOnWriteArrayList<>();
      Promise<String> gate = Promise.promise();
      Future<List<Future<String>>> submitted = Future.future(p -> context.runOnContext(v -> {
        SerialQueue queue = new SerialQueue(context);
        Future<String> first = queue.submit(() -> {
          log.add("first begins");
          return gate.future().onSuccess(x -> log.add("first ends"));
        });
        Future<String> second = queue.submit(() -> {
          log.add("second on its context: " + (Vertx.currentContext() == context));
          return Future.succeededFuture("two");
        });
        vertx.setTimer(50, t -> gate.complete("one"));
        p.complete(List.of(first, second));
      }));
      List<Future<String>> futures = Await.result(submitted);
      assertThat(Await.result(futures.get(1))).isEqualTo("two");
      assertThat(Await.result(futures.get(0))).isEqualTo("one");
      assertThat(log).containsExactly("first begins", "first ends", "second on its context: true");
    }

    @Test
    void keepsGoingAfterATaskFailsOrThrows(Vertx vertx) {
      Context context = vertx.getOrCreateContext();
      Future<List<Future<String>>> submitted = Future.future(p -> context.runOnContext(v -> {
        SerialQueue queue = new SerialQueue(context);
        Future<String> failed = queue.submit(() -> Future.failedFuture(new IllegalStateException("failed")));
        Future<String> threw = queue.submit(() -> {
          throw new IllegalStateException("threw");
        });
        Future<String> ok = queue.submit(() -> Future.succeededFuture("ok"));
        p.complete(List.of(failed, threw, ok));
      }));
      List<Future<String>> futures = Await.result(submitted);
      assertThat(Await.failure(futures.get(0))).hasMessage("failed");
      assertThat(Await.failure(futures.get(1))).hasMessage("threw");
      assertThat(Await.result(futures.get(2))).isEqualTo("ok");
    }

    @Test
    void aTaskSubmittedOnItsContextToAnIdleQueueRunsAtOnceAndOtherwiseWaitsItsTurn(Vertx vertx) {
      Context context = vertx.getOrCreateContext();
      List<String> log = new CopyOnWriteArrayList<>();
      Promise<String> gate = Promise.promise();
      Future<List<Future<String>>> submitted = Future.future(p -> context.runOnContext(v -> {
        SerialQueue queue = new SerialQueue(context);
        Future<String> first = queue.submit(() -> {
          log.add("first runs");
          return gate.future();
        });
        log.add("first submitted");
        Future<String> second = queue.submit(() -> {
          log.add("second runs");
          return Future.succeededFuture("two");
        });
        log.add("second submitted");
        gate.complete("one");
        p.complete(List.of(first, second));
      }));
      List<Future<String>> futures = Await.result(submitted);
      assertThat(Await.result(futures.get(1))).isEqualTo("two");
      assertThat(Await.result(futures.get(0))).isEqualTo("one");
      // the idle queue ran the first task in the caller's stack; the second waited for it
      assertThat(log).containsExactly("first runs", "first submitted", "second submitted", "second runs");
    }

    @Test
    void aTaskSubmittedByATaskRunningAtOnceWaitsForItAndKeepsItsPlaceInTheQueue(Vertx vertx) {
      Context context = vertx.getOrCreateContext();
      List<String> log = new CopyOnWriteArrayList<>();
      Promise<String> innerGate = Promise.promise();
      Future<List<Future<String>>> submitted = Future.future(p -> context.runOnContext(v -> {
        SerialQueue queue = new SerialQueue(context);
        Future<String>[] inner = new Future[1];
        // runs at once (idle queue); submits a task (as a synchronous event listener calling the
        // supervisor would) that must wait for it to finish
        Future<String> outer = queue.submit(() -> {
          log.add("outer begins");
          inner[0] = queue.submit(() -> {
            log.add("inner runs");
            return innerGate.future();
          });
          log.add("outer ends");
          return Future.succeededFuture("outer");
        });
        Future<String> last = queue.submit(() -> {
          log.add("last runs");
          return Future.succeededFuture("last");
        });
        log.add("all submitted");
        innerGate.complete("inner");
        p.complete(List.of(outer, inner[0], last));
      }));
      List<Future<String>> futures = Await.result(submitted);
      assertThat(Await.result(futures.get(2))).isEqualTo("last");
      assertThat(Await.result(futures.get(1))).isEqualTo("inner");
      assertThat(log).containsExactly("outer begins", "outer ends", "all submitted", "inner runs", "last runs");
    }

    @Test
    void aTaskSubmittedFromAnotherThreadRunsOnTheQueuesContext(Vertx vertx) {
      Context context = vertx.getOrCreateContext();
      SerialQueue queue = new SerialQueue(context);
      Future<Boolean> onContext = queue.submit(() -> Future.succeededFuture(Vertx.currentContext() == context));
      assertThat(Await.result(onContext)).isTrue();
    }
  }
}
