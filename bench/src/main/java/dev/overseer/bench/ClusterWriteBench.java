package dev.overseer.bench;

import com.hazelcast.map.IMap;
import dev.overseer.cluster.ClusterOptions;
import dev.overseer.cluster.HazelcastStash;
import dev.overseer.cluster.OverseerCluster;
import dev.overseer.server.From;
import dev.overseer.server.Persistence;
import dev.overseer.server.Result;
import dev.overseer.server.Server;
import dev.overseer.server.ServerOptions;
import dev.overseer.server.ServerRef;
import dev.overseer.server.StateCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Write-through on a 3-member Hazelcast cluster in one JVM (loopback): a {@code WRITE_THROUGH}
 * counter server whose state is in the {@link HazelcastStash}, against a raw {@code IMap.setAsync}
 * of the same JSON under the same key (so the same partition owner and backup) on a map with the
 * same synchronous backup. Both one at a time (latency) and with 16 in flight (throughput).
 *
 * <p>Run: {@code java -cp bench/target/overseer-bench-*.jar:bench/target/lib/* [JVM flags]
 * dev.overseer.bench.ClusterWriteBench [out.json] [ops]}. Not a test: figures vary with load.
 */
public final class ClusterWriteBench {

  private ClusterWriteBench() {
  }

  /** The counter: every call adds to the state, which is saved before the reply. */
  static final class Counter extends Server<Long> {
    Counter(String name, HazelcastStash stash) {
      super(new ServerOptions(name).setPersistence(Persistence.writeThrough()), stash);
    }

    @Override
    protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
      return Future.succeededFuture(stashed.orElse(0L));
    }

    @Override
    protected Result<Long> handleCall(Object request, From from, Long state) {
      long next = state + 1;
      return Result.reply(next, next);
    }

    @Override
    protected StateCodec<Long> stateCodec() {
      return StateCodec.longs();
    }
  }

  /**
   * @param args output file (default {@code bench/results/cluster-write.json}), operations per side
   *     (default 5000)
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 3 && args[0].equals("--harness")) {
      harness(Mode.of(args[1]), args[2]);
      return;
    }
    Path out = Path.of(args.length > 0 ? args[0] : "bench/results/cluster-write.json");
    int ops = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
    String cluster = "bench-" + UUID.randomUUID();
    List<Integer> ports = freePorts(3);
    List<OverseerCluster> members = new ArrayList<>();
    try {
      List<Future<OverseerCluster>> starting = new ArrayList<>();
      for (int p : ports) {
        ClusterOptions o = new ClusterOptions().setClusterName(cluster).setPort(p).setPortAutoIncrement(false).setShutdownHook(false);
        ports.forEach(q -> o.addMember("127.0.0.1:" + q));
        starting.add(OverseerCluster.start(o));
      }
      for (Future<OverseerCluster> f : starting) {
        members.add(f.await(120, TimeUnit.SECONDS));
      }
      OverseerCluster m = members.get(0);
      Vertx vertx = m.vertx();
      String name = "counter-" + UUID.randomUUID();
      IMap<String, String> raw = m.hazelcast().getMap("overseer.bench.raw");
      vertx.deployVerticle(new Counter(name, m.stash())).await();
      ServerRef ref = ServerRef.of(vertx, name);
      long[] counter = {0};
      Supplier<Future<?>> rawOp = () -> Future.fromCompletionStage(raw.setAsync(name, Long.toString(++counter[0])), vertx.getOrCreateContext());
      Supplier<Future<?>> serverOp = () -> ref.call("inc", Duration.ofSeconds(10));

      // warm both paths (JIT, connections), then measure alternately
      sequential(rawOp, ops / 5);
      sequential(serverOp, ops / 5);
      long[] rawLat = sequential(rawOp, ops);
      long[] srvLat = sequential(serverOp, ops);
      double rawSeq = opsPerSecond(rawLat);
      double srvSeq = opsPerSecond(srvLat);
      double rawConc = concurrent(vertx, rawOp, ops, 16);
      double srvConc = concurrent(vertx, serverOp, ops, 16);

      JsonObject report = new JsonObject()
          .put("benchmark", "cluster-write-through")
          .put("setup", new JsonObject().put("members", 3).put("jvm", "one JVM, loopback").put("backupCount", 1)
              .put("ops", ops).put("javaVersion", System.getProperty("java.version"))
              .put("processors", Runtime.getRuntime().availableProcessors()))
          .put("rawIMapSetAsync", side(rawLat, rawSeq, rawConc))
          .put("writeThroughServer", side(srvLat, srvSeq, srvConc))
          .put("ratioSequential", round(srvSeq / rawSeq))
          .put("ratioConcurrent16", round(srvConc / rawConc));
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report.encodePrettily() + "\n");
      System.out.println(report.encodePrettily());
    } finally {
      for (OverseerCluster m : members) {
        m.close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * For {@code bench/run}: {@code mode.reps()} interleaved rounds (the order of the two sides turns
   * each round) in one cluster, each written as {@code <prefix>-r<round>.json} in the harness's
   * shape (system {@code cluster}, figures {@code cluster.raw.*} and {@code cluster.writeThrough.*}).
   */
  static void harness(Mode mode, String prefix) throws Exception {
    int ops = mode.clusterOps();
    String version = "overseer " + Versions.overseer() + " on hazelcast " + com.hazelcast.instance.BuildInfoProvider.getBuildInfo().getVersion();
    String cluster = "bench-" + UUID.randomUUID();
    List<Integer> ports = freePorts(3);
    List<OverseerCluster> members = new ArrayList<>();
    try {
      List<Future<OverseerCluster>> starting = new ArrayList<>();
      for (int p : ports) {
        ClusterOptions o = new ClusterOptions().setClusterName(cluster).setPort(p).setPortAutoIncrement(false).setShutdownHook(false);
        ports.forEach(q -> o.addMember("127.0.0.1:" + q));
        starting.add(OverseerCluster.start(o));
      }
      for (Future<OverseerCluster> f : starting) {
        members.add(f.await(120, TimeUnit.SECONDS));
      }
      OverseerCluster m = members.get(0);
      Vertx vertx = m.vertx();
      String name = "counter-" + UUID.randomUUID();
      IMap<String, String> raw = m.hazelcast().getMap("overseer.bench.raw");
      vertx.deployVerticle(new Counter(name, m.stash())).await();
      ServerRef ref = ServerRef.of(vertx, name);
      long[] counter = {0};
      Supplier<Future<?>> rawOp = () -> Future.fromCompletionStage(raw.setAsync(name, Long.toString(++counter[0])), vertx.getOrCreateContext());
      Supplier<Future<?>> serverOp = () -> ref.call("inc", Duration.ofSeconds(10));
      sequential(rawOp, ops);
      sequential(serverOp, ops);
      for (int round = 1; round <= mode.reps(); round++) {
        Figures figures = new Figures();
        for (int k = 0; k < 2; k++) {
          boolean rawFirst = round % 2 == 1;
          boolean isRaw = (k == 0) == rawFirst;
          String key = isRaw ? "cluster.raw" : "cluster.writeThrough";
          Supplier<Future<?>> op = isRaw ? rawOp : serverOp;
          long[] lat = sequential(op, ops);
          figures.latencies(key + ".latency", lat);
          figures.higher(key + ".throughput", opsPerSecond(lat), "ops/s");
          figures.higher(key + ".concurrent.throughput", concurrent(vertx, op, ops, 16), "ops/s");
        }
        figures.note("cluster", "3 Hazelcast members in one JVM on loopback, backup count 1; from member 1: ServerRef.call on a "
            + "WRITE_THROUGH counter Server whose state is in the HazelcastStash, against IMap.setAsync of the same key on a "
            + "map with the same backup; " + ops + " one at a time (latency, throughput) and with 16 in flight (concurrent)");
        JsonObject out = new JsonObject().put("system", "cluster").put("part", "cluster").put("version", version)
            .mergeIn(figures.toJson()).put("status", "ok");
        Files.writeString(Path.of(prefix + "-r" + round + ".json"), out.encodePrettily());
      }
    } catch (Exception e) {
      JsonObject out = new JsonObject().put("system", "cluster").put("part", "cluster").put("version", version)
          .mergeIn(new Figures().toJson()).put("status", "failed").put("reason", e.toString());
      if (!Files.exists(Path.of(prefix + "-r1.json"))) {
        Files.writeString(Path.of(prefix + "-r1.json"), out.encodePrettily());
      }
      throw e;
    } finally {
      for (OverseerCluster m : members) {
        m.close().await(30, TimeUnit.SECONDS);
      }
    }
    System.exit(0);
  }

  private static JsonObject side(long[] lat, double seq, double conc) {
    long[] sorted = lat.clone();
    Arrays.sort(sorted);
    return new JsonObject()
        .put("sequentialOpsPerSecond", round(seq))
        .put("p50Micros", round(sorted[sorted.length / 2] / 1000.0))
        .put("p99Micros", round(sorted[(int) (sorted.length * 0.99)] / 1000.0))
        .put("concurrent16OpsPerSecond", round(conc));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static double opsPerSecond(long[] lat) {
    long total = 0;
    for (long l : lat) {
      total += l;
    }
    return lat.length / (total / 1e9);
  }

  /** One operation at a time, each timed. */
  private static long[] sequential(Supplier<Future<?>> op, int n) throws Exception {
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      op.get().await(30, TimeUnit.SECONDS);
      lat[i] = System.nanoTime() - t0;
    }
    return lat;
  }

  /** {@code window} operations in flight until {@code n} are done; ops per second. */
  private static double concurrent(Vertx vertx, Supplier<Future<?>> op, int n, int window) throws Exception {
    Promise<Void> done = Promise.promise();
    int[] started = {0};
    int[] finished = {0};
    long t0 = System.nanoTime();
    vertx.runOnContext(v -> {
      Runnable[] next = new Runnable[1];
      next[0] = () -> {
        if (started[0] >= n) {
          return;
        }
        started[0]++;
        op.get().onComplete(ar -> {
          if (ar.failed()) {
            done.tryFail(ar.cause());
            return;
          }
          if (++finished[0] == n) {
            done.tryComplete();
          } else {
            next[0].run();
          }
        });
      };
      for (int i = 0; i < window; i++) {
        next[0].run();
      }
    });
    done.future().await(300, TimeUnit.SECONDS);
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  private static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }
}
