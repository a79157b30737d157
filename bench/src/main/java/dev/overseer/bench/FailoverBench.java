package dev.overseer.bench;

import dev.overseer.ChildSpec;
import dev.overseer.cluster.ClusterOptions;
import dev.overseer.cluster.DistributedSupervisor;
import dev.overseer.cluster.DistributedSupervisorOptions;
import dev.overseer.cluster.OverseerCluster;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Failover and handoff of a distributed supervisor's children across three member JVMs on
 * 127.0.0.1 (expected size 3, quorum 2, Overseer's failure detection: 1 s heartbeat, 5 s
 * max-no-heartbeat). {@code N} idle children are started; then member B gets SIGTERM (graceful
 * handoff) and, after a replacement D joined, member C gets SIGKILL (failover). Per moved child
 * it records the supervisor's own figure ({@code unavailableMillis} of its
 * {@code CHILD_HANDED_OFF}/{@code CHILD_FAILED_OVER} event) and the time from the signal to its
 * start on the new member (wall clock, same host).
 *
 * <p>Usage: {@code FailoverBench <report.json> [children, default 1000]}. Vert.x HA as a peer is
 * not run yet.
 */
public final class FailoverBench {

  private FailoverBench() {
  }

  /** A distributed child that does nothing: the figure is the supervisor's, not the child's. */
  public static final class Idle extends VerticleBase {
    @Override
    public Future<?> start() {
      return Future.succeededFuture();
    }
  }

  /** @param args report path and child count, or {@code --member cluster port ports} */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--member")) {
      member(args[1], Integer.parseInt(args[2]), args[3]);
      return;
    }
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    new FailoverBench.Run(n).play(Path.of(args[0]));
    System.exit(0);
  }

  private static void member(String cluster, int port, String ports) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ClusterOptions options = new ClusterOptions().setClusterName(cluster).setPort(port).setPortAutoIncrement(false).setQuorum(2);
    for (String p : ports.split(",")) {
      options.addMember("127.0.0.1:" + p);
    }
    OverseerCluster member = OverseerCluster.start(options).await(60, TimeUnit.SECONDS);
    DistributedSupervisor sup = new DistributedSupervisor(member.hazelcast(), new DistributedSupervisorOptions()
        .setName("bench").addAllowedVerticle(Idle.class.getName()).setExpectedMembers(3));
    sup.addListener(e -> out.println("MOVED " + e.type() + " " + e.childId() + " " + e.details().getLong("unavailableMillis")
        + " " + System.currentTimeMillis()));
    member.vertx().deployVerticle(sup).await(60, TimeUnit.SECONDS);
    out.println("READY " + member.nodeId());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.split(" ");
      Future<String> r;
      switch (w[1]) {
        case "start": {
          // In batches of 20: each member's local supervisor starts its children one at a time.
          int total = Integer.parseInt(w[2]);
          Future<?> chain = Future.succeededFuture();
          for (int from = 0; from < total; from += 20) {
            int lo = from;
            chain = chain.compose(v -> {
              List<Future<String>> batch = new ArrayList<>();
              for (int i = lo; i < Math.min(total, lo + 20); i++) {
                batch.add(sup.startChild(ChildSpec.verticle("c" + i, Idle.class.getName())));
              }
              return Future.all(batch);
            });
          }
          r = chain.map(v -> "started");
          break;
        }
        case "members":
          r = sup.supervisorMembersCount().map(String::valueOf);
          break;
        case "placements":
          r = sup.placements().map(list -> {
            JsonArray a = new JsonArray();
            list.forEach(p -> a.add(p.owner()));
            return a.encode();
          });
          break;
        default:
          r = Future.failedFuture("unknown " + w[1]);
      }
      String id = w[0];
      r.onComplete(ok -> out.println(id + " OK " + ok), err -> out.println(id + " ERR " + err));
    }
  }

  /** The coordinator. */
  private static final class Run {
    final int n;
    final String cluster = "failover-bench-" + UUID.randomUUID();
    final List<Integer> ports = freePorts(4);
    final List<Proc> procs = new ArrayList<>();

    Run(int n) {
      this.n = n;
    }

    void play(Path report) throws Exception {
      String join = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
      try {
        List<CompletableFuture<Proc>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          int port = ports.get(i);
          starting.add(CompletableFuture.supplyAsync(() -> Proc.start(cluster, port, join)));
        }
        for (CompletableFuture<Proc> f : starting) {
          procs.add(f.join());
        }
        Proc a = procs.get(0);
        Proc b = procs.get(1);
        Proc c = procs.get(2);
        while (!"3".equals(a.call("members"))) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
        a.call("start " + n);
        long onB = owned(a, b.nodeId);
        long t0 = System.currentTimeMillis();
        b.signal("TERM");
        JsonObject handoff = collect("CHILD_HANDED_OFF", onB, t0);
        Proc d = Proc.start(cluster, ports.get(3), join);
        procs.add(d);
        while (!"3".equals(a.call("members"))) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
        long onC = owned(a, c.nodeId);
        long t1 = System.currentTimeMillis();
        c.process.destroyForcibly();
        JsonObject failover = collect("CHILD_FAILED_OVER", onC, t1);
        JsonObject json = new JsonObject().put("bench", "failover").put("children", n).put("members", 3)
            .put("handoff", handoff).put("failover", failover)
            .put("vertxHa", (Object) null).put("note", "Vert.x HA peer not run yet; wall-clock times from the signal on one host");
        Files.writeString(report, json.encodePrettily());
        System.out.println(json.encodePrettily());
      } finally {
        procs.forEach(p -> p.process.destroyForcibly());
      }
    }

    private long owned(Proc a, String node) throws Exception {
      return new JsonArray(a.call("placements")).stream().filter(node::equals).count();
    }

    /** Waits for {@code expected} events of {@code type} on the surviving members; @return their figures. */
    private JsonObject collect(String type, long expected, long since) throws Exception {
      long deadline = System.currentTimeMillis() + 120_000;
      List<long[]> seen = new ArrayList<>();
      while (System.currentTimeMillis() < deadline) {
        seen.clear();
        for (Proc p : procs) {
          for (String l : p.events) {
            String[] w = l.split(" ");
            if (w[1].equals(type) && Long.parseLong(w[4]) >= since) {
              seen.add(new long[] {Long.parseLong(w[3]), Long.parseLong(w[4]) - since});
            }
          }
        }
        if (seen.size() >= expected) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      List<Long> own = seen.stream().map(x -> x[0]).sorted().toList();
      List<Long> fromSignal = seen.stream().map(x -> x[1]).sorted().toList();
      return new JsonObject().put("moved", expected).put("seen", seen.size())
          .put("unavailableP50Ms", pct(own, 50)).put("unavailableP99Ms", pct(own, 99))
          .put("fromSignalP50Ms", pct(fromSignal, 50)).put("fromSignalP99Ms", pct(fromSignal, 99))
          .put("allBackMs", fromSignal.isEmpty() ? null : fromSignal.get(fromSignal.size() - 1));
    }

    private static Long pct(List<Long> sorted, int p) {
      return sorted.isEmpty() ? null : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
  }

  /** A member JVM. */
  private static final class Proc {
    final Process process;
    final Writer stdin;
    final List<String> events = new CopyOnWriteArrayList<>();
    final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    final AtomicLong ids = new AtomicLong();
    final CompletableFuture<String> ready = new CompletableFuture<>();
    String nodeId;

    Proc(Process process) {
      this.process = process;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread t = new Thread(this::read);
      t.setDaemon(true);
      t.start();
    }

    static Proc start(String cluster, int port, String join) {
      try {
        List<String> cmd = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
            "-Djava.net.preferIPv4Stack=true", "-Dvertx.disableDnsResolver=true",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "-Xmx512m", "-XX:+UseSerialGC",
            "-Djava.util.logging.config.file=/dev/null",
            "-cp", System.getProperty("java.class.path"), FailoverBench.class.getName(),
            "--member", cluster, Integer.toString(port), join));
        Proc p = new Proc(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        p.nodeId = p.ready.get(120, TimeUnit.SECONDS);
        return p;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private void read() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("READY ")) {
            ready.complete(line.substring(6));
          } else if (line.startsWith("MOVED ")) {
            events.add(line);
          } else {
            String[] w = line.split(" ", 3);
            CompletableFuture<String> f = pending.remove(w[0]);
            if (f != null) {
              if (w[1].equals("OK")) {
                f.complete(w.length > 2 ? w[2] : "");
              } else {
                f.completeExceptionally(new IllegalStateException(line));
              }
            }
          }
        }
      } catch (Exception ignored) {
        // the process ended
      }
    }

    String call(String command) throws Exception {
      String id = Long.toString(ids.incrementAndGet());
      CompletableFuture<String> f = new CompletableFuture<>();
      pending.put(id, f);
      synchronized (stdin) {
        stdin.write(id + " " + command + "\n");
        stdin.flush();
      }
      return f.get(300, TimeUnit.SECONDS);
    }

    void signal(String name) throws Exception {
      new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static List<Integer> freePorts(int n) throws RuntimeException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (Exception ignored) {
          // probing only
        }
      }
    }
  }
}
