package dev.overseer.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The plain-Vert.x floor under Overseer's restart, start and group-restart figures, in a fresh
 * JVM of its own: what Vert.x itself costs for the same step with no supervisor at all. A restart
 * is {@code undeploy} + {@code deployVerticle} of the same counter (timed to its {@code start},
 * which announces itself); starting children is {@code deployVerticle} of {@link IdleChild}, one
 * at a time and 256 in flight; a group restart of 1,000 is all undeployed in reverse order then
 * all deployed in order, one after the other, and all at once.
 */
final class VertxFloor implements Side {

  @Override
  public String version() {
    return "overseer " + Versions.overseer() + " on vert.x " + Versions.vertx();
  }

  @Override
  public Figures run(Mode mode, String part) throws Exception {
    Figures figures = new Figures();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(OverseerSide.EVENT_LOOPS));
    Context client = vertx.getOrCreateContext();
    Map<String, Long> store = new ConcurrentHashMap<>();
    String[] id = {vertx.deployVerticle(new CounterVerticle("bench.floor", store)).await()};
    figures.latencies("vertx.restart.cold", restarts(vertx, client, store, id, mode.coldCrashes(), mode.paceMillis()));
    scale(vertx, client, mode, figures);
    restarts(vertx, client, store, id, mode.warmupCrashes(), 0);
    figures.latencies("vertx.restart", restarts(vertx, client, store, id, mode.crashes(), mode.paceMillis()));
    oneForAll(vertx, client, mode, figures);
    figures.note("vertx.restart", "plain Vert.x: undeploy + deployVerticle of the same CounterVerticle from an event-loop "
        + "context, timed to the new instance's start (announced), at least " + mode.paceMillis() + " ms apart; cold = the "
        + "first " + mode.coldCrashes() + " of a fresh JVM, warm after " + mode.warmupCrashes() + " more");
    return figures;
  }

  private static <T> T on(Context context, java.util.function.Supplier<Future<T>> work) throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    context.runOnContext(v -> work.get().onComplete(ar -> {
      if (ar.succeeded()) {
        out.complete(ar.result());
      } else {
        out.completeExceptionally(ar.cause());
      }
    }));
    return out.get(10, TimeUnit.MINUTES);
  }

  private static long[] restarts(Vertx vertx, Context client, Map<String, Long> store, String[] id, int n, int paceMillis)
      throws Exception {
    long[] nanos = new long[n];
    for (int i = 0; i < n; i++) {
      CompletableFuture<Long> began = new CompletableFuture<>();
      Announce.listen("bench.floor", (inc, at) -> began.complete(at));
      long[] t0 = {0};
      id[0] = on(client, () -> {
        t0[0] = System.nanoTime();
        return vertx.undeploy(id[0]).compose(v -> vertx.deployVerticle(new CounterVerticle("bench.floor", store)));
      });
      nanos[i] = began.get(10, TimeUnit.SECONDS) - t0[0];
      long wait = paceMillis - (System.nanoTime() - t0[0]) / 1_000_000;
      if (wait > 0) {
        Thread.sleep(wait); // pacing, as on every side
      }
    }
    Announce.stop("bench.floor");
    return nanos;
  }

  private static void scale(Vertx vertx, Context client, Mode mode, Figures figures) throws Exception {
    int n = mode.children();
    long before = Heap.usedAfterGc();
    long rssBefore = Heap.rss();
    long t0 = System.nanoTime();
    int started = on(client, () -> {
      Promise<Integer> all = Promise.promise();
      int[] issued = {0};
      int[] done = {0};
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (issued[0] - done[0] < 256 && issued[0] < n) {
          String address = "bench.floor.scale." + issued[0]++;
          vertx.deployVerticle(new IdleChild(address)).onComplete(ar -> {
            if (ar.failed()) {
              all.tryFail(ar.cause());
              return;
            }
            if (++done[0] == n) {
              all.complete(done[0]);
            } else {
              pump[0].run();
            }
          });
        }
      };
      pump[0].run();
      return all.future();
    });
    double seconds = (System.nanoTime() - t0) / 1e9;
    long after = Heap.usedAfterGc();
    figures.higher("vertx.scale.pipelined.startRate", started / seconds, "children/s");
    figures.lower("vertx.scale.heapPerChild", (after - before) / (double) started, "bytes");
    long rssAfter = Heap.rss();
    if (rssBefore >= 0 && rssAfter >= 0) {
      figures.lower("vertx.scale.rssPerChild", (rssAfter - rssBefore) / (double) started, "bytes");
    }
    int serial = Math.max(1_000, n / 10);
    long t1 = System.nanoTime();
    on(client, () -> {
      Promise<Integer> all = Promise.promise();
      int[] i = {0};
      Runnable[] next = new Runnable[1];
      next[0] = () -> vertx.deployVerticle(new IdleChild("bench.floor.serial." + i[0])).onComplete(ar -> {
        if (ar.failed()) {
          all.tryFail(ar.cause());
        } else if (++i[0] == serial) {
          all.complete(serial);
        } else {
          next[0].run();
        }
      });
      next[0].run();
      return all.future();
    });
    figures.higher("vertx.scale.serial.startRate", serial / ((System.nanoTime() - t1) / 1e9), "children/s");
    figures.note("vertx.scale", "plain Vert.x: deployVerticle of " + n + " IdleChild verticles from one event-loop context, "
        + "256 in flight (pipelined; heap and RSS per child over these), then " + serial + " more one at a time (serial)");
  }

  private static void oneForAll(Vertx vertx, Context client, Mode mode, Figures figures) throws Exception {
    int n = mode.oneForAllChildren();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(vertx.deployVerticle(new IdleChild("bench.floor.ofa." + i)).await());
    }
    long[] sequential = new long[mode.oneForAllRounds()];
    long[] allAtOnce = new long[mode.oneForAllRounds()];
    for (int round = -1; round < sequential.length; round++) {
      long t0 = System.nanoTime();
      List<String> next = on(client, () -> {
        Future<Void> chain = Future.succeededFuture();
        for (int i = n - 1; i >= 0; i--) {
          String old = ids.get(i);
          chain = chain.compose(v -> vertx.undeploy(old));
        }
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          String address = "bench.floor.ofa." + i;
          chain = chain.compose(v -> vertx.deployVerticle(new IdleChild(address)).map(d -> {
            fresh.add(d);
            return null;
          }));
        }
        return chain.map(v -> fresh);
      });
      long t1 = System.nanoTime();
      ids.clear();
      ids.addAll(next);
      List<String> again = on(client, () -> Future.all(ids.stream().map(vertx::undeploy).toList())
          .compose(v -> {
            List<Future<String>> starts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              starts.add(vertx.deployVerticle(new IdleChild("bench.floor.ofa." + i)));
            }
            return Future.all(starts).map(all -> starts.stream().map(Future::result).toList());
          }));
      long t2 = System.nanoTime();
      ids.clear();
      ids.addAll(again);
      if (round >= 0) {
        sequential[round] = t1 - t0;
        allAtOnce[round] = t2 - t1;
      }
    }
    Arrays.sort(sequential);
    Arrays.sort(allAtOnce);
    figures.lower("vertx.oneForAll.sequential.p50", Figures.percentile(sequential, 50) / 1e6, "ms");
    figures.lower("vertx.oneForAll.allAtOnce.p50", Figures.percentile(allAtOnce, 50) / 1e6, "ms");
    figures.note("vertx.oneForAll", "plain Vert.x: " + n + " IdleChild verticles all undeployed in reverse order then all "
        + "deployed in order, one after the other (sequential), or all at once (allAtOnce)");
  }
}
