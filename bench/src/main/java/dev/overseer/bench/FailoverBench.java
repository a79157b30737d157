package dev.overseer.bench;

import dev.overseer.ChildSpec;
import dev.overseer.cluster.ClusterOptions;
import dev.overseer.cluster.DistributedSupervisor;
import dev.overseer.cluster.DistributedSupervisorOptions;
import dev.overseer.cluster.OverseerCluster;
import dev.overseer.server.From;
import dev.overseer.server.Result;
import dev.overseer.server.Server;
import dev.overseer.server.ServerRef;
import dev.overseer.server.StateCodec;
import io.vertx.core.DeploymentOptions;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * handoff) and, after a replacement D joined and the partitions it took settled, member C gets
 * SIGKILL (failover). Per moved child
 * it records the supervisor's own figure ({@code unavailableMillis} of its
 * {@code CHILD_HANDED_OFF}/{@code CHILD_FAILED_OVER} event) and the time from the signal to its
 * start on the new member (wall clock, same host).
 *
 * <p>The peer ({@link VertxHaPeer}) runs in the same process tree, interleaved with Overseer's side:
 * the same three-member cluster settings with Vert.x's own HA and {@code N} HA verticles, a
 * SIGTERM (HA does not redeploy on a clean leave: the run counts what came back) and a SIGKILL
 * (time until each of the killed member's verticles started on a survivor). Every member is
 * killed by PID at the end of each run, whatever happens.
 *
 * <p>Usage: {@code FailoverBench <report.json> [children, default 1000] [repetitions, default 3]};
 * {@code -Dbench.skipHa=true} runs Overseer's side only, {@code -Dbench.handoffConcurrency=n} sets
 * the members' handoff wave (0: all at once), {@code -Dbench.servers=true} makes the children
 * WRITE_THROUGH {@code Server} counters ({@link CountingServer}) instead of idle verticles (with
 * {@code -Dbench.writeProbe=true} too, each moved counter is called once as it arrives, an
 * increment, and the report gives the time from the signal to that write's acknowledgement:
 * {@code writeAckedFromSignal*}; the calls load the members, so the other figures of such a run
 * are not comparable with a run without them; {@code -Dbench.stashTimeoutMs=n} sets the
 * counters' {@code stashTimeout}), and
 * {@code -Dbench.localPartitions=n} sets the members' local partitions, {@code -Dbench.backupCount=n}
 * their {@code ClusterOptions.backupCount}. After the kill it also
 * records when a survivor's Hazelcast reports the cluster safe again ({@code safeAfterKillMs}:
 * every partition's backups restored).
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

  /**
   * The child with {@code -Dbench.servers=true}: a {@link Server} counter whose name and
   * persistence (WRITE_THROUGH) come from its deployment config, so a handoff includes what a
   * server's does: {@code terminate}, the state save, the name's release and route withdrawal on
   * the leaving member, the stash claim and load and the name's registration on the new one.
   */
  public static final class CountingServer extends Server<Long> {
    @Override
    protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
      return Future.succeededFuture(stashed.orElse(0L));
    }

    @Override
    protected Result<Long> handleCall(Object request, From from, Long n) {
      return Result.reply(n + 1, n + 1);
    }

    @Override
    protected StateCodec<Long> stateCodec() {
      return StateCodec.longs();
    }
  }

  private static boolean servers() {
    return Boolean.getBoolean("bench.servers");
  }

  private static boolean writeProbe() {
    return servers() && Boolean.getBoolean("bench.writeProbe");
  }

  private static ChildSpec child(int i) {
    if (!servers()) {
      return ChildSpec.verticle("c" + i, Idle.class.getName());
    }
    JsonObject overseer = new JsonObject().put("name", "c" + i).put("persistence", new JsonObject().put("mode", "WRITE_THROUGH"));
    Long stashTimeout = Long.getLong("bench.stashTimeoutMs");
    if (stashTimeout != null) {
      overseer.put("stashTimeout", stashTimeout);
    }
    return ChildSpec.verticle("c" + i, CountingServer.class.getName()).withDeploymentOptions(new DeploymentOptions()
        .setConfig(new JsonObject().put("overseer", overseer)));
  }

  /**
   * @param args report path, child count (default 1000) and repetitions (default 3), or
   *     {@code --member cluster port ports} / {@code --ha-member cluster port ports} for a member JVM
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--member")) {
      member(args[1], Integer.parseInt(args[2]), args[3]);
      return;
    }
    if (args.length > 0 && args[0].equals("--ha-member")) {
      VertxHaPeer.member(args[1], Integer.parseInt(args[2]), args[3]);
      return;
    }
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    JsonArray runs = new JsonArray();
    // Interleaved (Overseer, HA, Overseer, HA…): the machine's load drifts, both sides share it.
    for (int rep = 1; rep <= reps; rep++) {
      JsonObject overseer = withLoad(() -> new Run(n).play());
      JsonObject ha = Boolean.getBoolean("bench.skipHa") ? new JsonObject().put("skipped", true) : withLoad(() -> new HaRun(n).play());
      runs.add(new JsonObject().put("rep", rep).put("overseer", overseer).put("vertxHa", ha));
      System.out.println(runs.getJsonObject(runs.size() - 1).encodePrettily());
      write(Path.of(args[0]), n, runs);
    }
    System.exit(0);
  }

  /** What one side run measures. */
  private interface SideRun {
    JsonObject play() throws Exception;
  }

  private static JsonObject withLoad(SideRun run) throws Exception {
    String before = loadAverage();
    JsonObject result = run.play();
    return result.put("loadBefore", before).put("loadAfter", loadAverage());
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }

  /** Writes the report: every repetition, and the medians of their p50/p99 with the ratios Overseer / HA. */
  private static void write(Path report, int n, JsonArray runs) throws Exception {
    JsonObject summary = new JsonObject();
    for (String phase : List.of("handoff", "failover")) {
      for (String key : List.of("fromSignalP50Ms", "fromSignalP99Ms", "unavailableP50Ms", "unavailableP99Ms", "allBackMs",
          "writeAckedFromSignalP50Ms", "writeAckedFromSignalP99Ms")) {
        summary.put("overseer." + phase + "." + key, median(runs, "overseer", phase, key));
      }
    }
    for (String key : List.of("fromSignalP50Ms", "fromSignalP99Ms", "fromRemovalP50Ms", "fromRemovalP99Ms", "allBackMs")) {
      summary.put("vertxHa.failover." + key, median(runs, "vertxHa", "failover", key));
    }
    summary.put("overseer.failover.removalMs", median(runs, "overseer", "failover", "removalMs"));
    summary.put("vertxHa.failover.removalMs", median(runs, "vertxHa", "failover", "removalMs"));
    summary.put("vertxHa.gracefulLeave.restartedMedian", median(runs, "vertxHa", "gracefulLeave", "restarted"));
    summary.put("ratio.failover.fromSignalP50", ratio(summary.getLong("overseer.failover.fromSignalP50Ms"),
        summary.getLong("vertxHa.failover.fromSignalP50Ms")));
    summary.put("ratio.failover.fromSignalP99", ratio(summary.getLong("overseer.failover.fromSignalP99Ms"),
        summary.getLong("vertxHa.failover.fromSignalP99Ms")));
    summary.put("ratio.failover.fromRemovalP50", ratio(summary.getLong("overseer.failover.unavailableP50Ms"),
        summary.getLong("vertxHa.failover.fromRemovalP50Ms")));
    summary.put("ratio.handoff", (Object) null);
    JsonObject json = new JsonObject().put("bench", "failover").put("children", n).put("members", 3)
        .put("childKind", servers() ? "Server counter, WRITE_THROUGH" : "idle verticle")
        .put("localPartitions", Integer.getInteger("bench.localPartitions", DistributedSupervisorOptions.DEFAULT_LOCAL_PARTITIONS))
        .put("handoffConcurrency", Integer.getInteger("bench.handoffConcurrency", DistributedSupervisorOptions.DEFAULT_HANDOFF_CONCURRENCY))
        .put("backupCount", Integer.getInteger("bench.backupCount", ClusterOptions.DEFAULT_BACKUP_COUNT))
        .put("repetitions", runs.size()).put("summary", summary).put("runs", runs)
        .put("note", "wall-clock times from the signal, on one host (same clock); ratio = Overseer / Vert.x HA, lower is "
            + "better for Overseer. Overseer 'unavailable' figures are the supervisor's own (handoff: from the leave; "
            + "failover: from Hazelcast's removal of the member). Vert.x HA does not redeploy on a graceful leave, so "
            + "there is no handoff ratio: gracefulLeave.restarted counts its verticles started again elsewhere "
            + "within the window. loadBefore/loadAfter are /proc/loadavg around each side. The SIGTERM lands once the "
            + "partition migrations after the starts have settled (safeBeforeLeaveMs), the SIGKILL once the "
            + "replacement's have (safeAfterJoinMs after its join); removalMs is the first "
            + "survivor's removal event after the signal; masterKilled says whether the killed member was Hazelcast's "
            + "master (the survivors then elect a new one before the partition table is repaired); safeAfterKillMs is when "
            + "a survivor's Hazelcast reported the cluster safe again (backups restored) after the kill.");
    Files.writeString(report, json.encodePrettily());
  }

  private static Long median(JsonArray runs, String side, String phase, String key) {
    List<Long> values = new ArrayList<>();
    for (Object o : runs) {
      JsonObject p = ((JsonObject) o).getJsonObject(side) == null ? null : ((JsonObject) o).getJsonObject(side).getJsonObject(phase);
      if (p != null && p.getValue(key) instanceof Number) {
        values.add(p.getLong(key));
      }
    }
    if (values.isEmpty()) {
      return null;
    }
    values.sort(null);
    return values.get((values.size() - 1) / 2);
  }

  private static Double ratio(Long a, Long b) {
    return a == null || b == null || b == 0 ? null : Math.round(1000.0 * a / b) / 1000.0;
  }

  private static void member(String cluster, int port, String ports) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ClusterOptions options = new ClusterOptions().setClusterName(cluster).setPort(port).setPortAutoIncrement(false).setQuorum(2)
        .setBackupCount(Integer.getInteger("bench.backupCount", ClusterOptions.DEFAULT_BACKUP_COUNT));
    for (String p : ports.split(",")) {
      options.addMember("127.0.0.1:" + p);
    }
    OverseerCluster member = OverseerCluster.start(options).await(60, TimeUnit.SECONDS);
    DistributedSupervisor sup = new DistributedSupervisor(member.hazelcast(), new DistributedSupervisorOptions()
        .setName("bench").addAllowedVerticle(Idle.class.getName()).addAllowedVerticle(CountingServer.class.getName())
        .setExpectedMembers(3)
        .setLocalPartitions(Integer.getInteger("bench.localPartitions", DistributedSupervisorOptions.DEFAULT_LOCAL_PARTITIONS))
        // -Dbench.handoffConcurrency=0: the handoff all at once (before the waves), for a before/after.
        .setHandoffConcurrency(Integer.getInteger("bench.handoffConcurrency", DistributedSupervisorOptions.DEFAULT_HANDOFF_CONCURRENCY)));
    sup.addListener(e -> out.println("MOVED " + e.type() + " " + e.childId() + " " + e.details().getLong("unavailableMillis")
        + " " + System.currentTimeMillis() + " " + e.details().getLong("startMillis", -1L)));
    if (writeProbe()) {
      // what a client sees: the moved counter's first write-through increment, acknowledged only
      // once its stash key's partition has a backup replica again
      sup.addListener(e -> ServerRef.of(member.vertx(), e.childId()).call("inc", Duration.ofSeconds(60)).onComplete(ar ->
          out.println((ar.succeeded() ? "ACKED " : "ACKFAILED ") + e.type() + " " + e.childId() + " " + System.currentTimeMillis()
              + (ar.succeeded() ? "" : " " + String.valueOf(ar.cause()).replace('\n', ' ')))));
    }
    member.vertx().deployVerticle(sup).await(60, TimeUnit.SECONDS);
    member.hazelcast().getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
      @Override
      public void memberAdded(com.hazelcast.cluster.MembershipEvent event) {
      }

      @Override
      public void memberRemoved(com.hazelcast.cluster.MembershipEvent event) {
        out.println("REMOVED " + System.currentTimeMillis());
      }
    });
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
                batch.add(sup.startChild(child(i)));
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
        case "safe":
        case "master":
          r = Future.succeededFuture(clusterState(member.hazelcast(), w[1]));
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

  /**
   * Starts three members ({@code mode}: {@code --member} or {@code --ha-member}) on the first three
   * of {@code ports}, in parallel, adds them to {@code procs} (so the caller kills them whatever
   * happens next), and waits until the first sees all three.
   */
  private static void startThree(String mode, String cluster, List<Integer> ports, String join, List<Proc> procs)
      throws Exception {
    List<CompletableFuture<Proc>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int port = ports.get(i);
      starting.add(CompletableFuture.supplyAsync(() -> Proc.start(mode, cluster, port, join)));
    }
    RuntimeException failed = null;
    for (CompletableFuture<Proc> f : starting) {
      try {
        procs.add(f.join()); // every member that started, even after another failed: the caller kills them
      } catch (RuntimeException e) {
        failed = failed == null ? e : failed;
      }
    }
    if (failed != null) {
      throw failed;
    }
    while (!"3".equals(procs.get(0).call("members"))) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  /**
   * Waits until the replacement's join has settled: no partition migrating and every backup in
   * sync (Hazelcast's {@code isClusterSafe}), so the SIGKILL lands on a cluster at rest, as a
   * member's death usually does, not in the middle of the migrations a join starts (then the
   * takeover's table writes also wait for those). Both sides wait the same way.
   *
   * @return how long it took, in ms
   */
  static long awaitSafe(Proc member) throws Exception {
    long from = System.currentTimeMillis();
    long deadline = from + 60_000;
    while (!"true".equals(member.call("safe"))) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the cluster did not become safe within 60 s of the join");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    return System.currentTimeMillis() - from;
  }

  /**
   * The member commands both kinds of member answer from Hazelcast alone.
   *
   * @param what {@code safe} (no partition migrating, every backup in sync) or {@code master}
   *     (whether this member is Hazelcast's master: the oldest, the first of the member list)
   */
  static String clusterState(com.hazelcast.core.HazelcastInstance hz, String what) {
    return String.valueOf("safe".equals(what) ? hz.getPartitionService().isClusterSafe()
        : hz.getCluster().getMembers().iterator().next().localMember());
  }

  /** @return the first REMOVED line's time among {@code procs} but the departed ones, or {@code orElse} */
  /**
   * After a kill at {@code t}: once {@code survivor} has seen a member removed, how long from
   * {@code t} until its Hazelcast reports the cluster safe again (every partition's backups
   * restored); {@code null} if not within 120 s.
   */
  static Long safeAfterRemoval(Proc survivor, long t) {
    try {
      long deadline = t + 120_000;
      while (survivor.removedAt.isEmpty() || !"true".equals(survivor.call("safe"))) {
        if (System.currentTimeMillis() > deadline) {
          return null;
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      return System.currentTimeMillis() - t;
    } catch (Exception e) {
      return null;
    }
  }

  static long firstRemoval(List<Proc> procs, Proc gone, Proc left, long orElse) {
    return procs.stream().filter(p -> p != gone && p != left).flatMap(p -> p.removedAt.stream())
        .mapToLong(Long::longValue).min().orElse(orElse);
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

    JsonObject play() throws Exception {
      String join = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
      try {
        startThree("--member", cluster, ports, join, procs);
        Proc a = procs.get(0);
        Proc b = procs.get(1);
        Proc c = procs.get(2);
        a.call("start " + n);
        // The SIGTERM, as the SIGKILL below, lands once the cluster's partition migrations have
        // settled (the three members' join), so that the handoff never measures them too (with
        // 1,000 or 300 children they had settled 0.15-0.2 s after the starts: safeBeforeLeaveMs).
        long safeBeforeLeaveMs = awaitSafe(a);
        long onB = owned(a, b.nodeId);
        long t0 = System.currentTimeMillis();
        b.signal("TERM");
        JsonObject handoff = collect("CHILD_HANDED_OFF", onB, t0).put("safeBeforeLeaveMs", safeBeforeLeaveMs);
        Proc d = Proc.start("--member", cluster, ports.get(3), join);
        procs.add(d);
        while (!"3".equals(a.call("members"))) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
        long safeAfterMs = awaitSafe(a);
        long onC = owned(a, c.nodeId);
        boolean masterKilled = "true".equals(c.call("master"));
        for (Proc p : procs) {
          p.removedAt.clear();
        }
        long t1 = System.currentTimeMillis();
        c.process.destroyForcibly();
        CompletableFuture<Long> safeAgain = CompletableFuture.supplyAsync(() -> safeAfterRemoval(a, t1));
        JsonObject failover = collect("CHILD_FAILED_OVER", onC, t1).put("safeAfterJoinMs", safeAfterMs)
            .put("masterKilled", masterKilled)
            .put("removalMs", firstRemoval(procs, c, b, t1) - t1)
            .put("safeAfterKillMs", safeAgain.get(130, TimeUnit.SECONDS));
        return new JsonObject().put("handoff", handoff).put("failover", failover);
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
            if (w[0].equals("MOVED") && w[1].equals(type) && Long.parseLong(w[4]) >= since) {
              seen.add(new long[] {Long.parseLong(w[3]), Long.parseLong(w[4]) - since, w.length > 5 ? Long.parseLong(w[5]) : -1});
            }
          }
        }
        if (seen.size() >= expected) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      List<Long> acked = new ArrayList<>();
      long failed = 0;
      JsonObject why = new JsonObject();
      while (writeProbe() && System.currentTimeMillis() < deadline) {
        acked.clear();
        failed = 0;
        why.clear();
        for (Proc p : procs) {
          for (String l : p.events) {
            String[] w = l.split(" ");
            if (w[0].startsWith("ACK") && w[1].equals(type) && Long.parseLong(w[3]) >= since) {
              if (w[0].equals("ACKED")) {
                acked.add(Long.parseLong(w[3]) - since);
              } else {
                failed++;
                String cause = l.split(" ", 5).length > 4 ? l.split(" ", 5)[4] : "?";
                cause = cause.replaceAll("__vertx\\.reply\\.[0-9a-f-]+", "(reply address)").replaceAll("'c\\d+'", "'c…'")
                    .replaceAll("\\bc\\d+\\b", "c…");
                cause = cause.substring(0, Math.min(cause.length(), 160));
                why.put(cause, why.getInteger(cause, 0) + 1);
              }
            }
          }
        }
        if (acked.size() + failed >= seen.size()) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
      acked.sort(null);
      List<Long> own = seen.stream().map(x -> x[0]).sorted().toList();
      List<Long> fromSignal = seen.stream().map(x -> x[1]).sorted().toList();
      List<Long> start = seen.stream().map(x -> x[2]).sorted().toList();
      // when the new owner began the start (the row had moved and its event arrived): the rest of
      // fromSignal is the start itself (localStart)
      List<Long> began = seen.stream().filter(x -> x[2] >= 0).map(x -> x[1] - x[2]).sorted().toList();
      return new JsonObject().put("moved", expected).put("seen", seen.size())
          .put("unavailableP50Ms", pct(own, 50)).put("unavailableP99Ms", pct(own, 99))
          .put("fromSignalP50Ms", pct(fromSignal, 50)).put("fromSignalP99Ms", pct(fromSignal, 99))
          .put("localStartP50Ms", pct(start, 50)).put("localStartP99Ms", pct(start, 99))
          .put("startBeganFromSignalP50Ms", pct(began, 50)).put("startBeganFromSignalP99Ms", pct(began, 99))
          .put("allBackMs", fromSignal.isEmpty() ? null : fromSignal.get(fromSignal.size() - 1))
          .put("writeAckedFromSignalP50Ms", pct(acked, 50)).put("writeAckedFromSignalP99Ms", pct(acked, 99))
          .put("writeAckFailed", writeProbe() ? failed : null)
          .put("writeAckFailures", writeProbe() ? why : null);
    }

    static Long pct(List<Long> sorted, int p) {
      return sorted.isEmpty() ? null : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
  }

  /**
   * The peer: the same three-member cluster with Vert.x HA; {@code n} HA verticles, a third
   * deployed on each member. Member B gets SIGTERM (graceful leave: HA does not redeploy, so the
   * run counts what came back within a window); after a replacement D joined, C gets SIGKILL and
   * the run waits until every one of C's verticles started again on a survivor.
   */
  private static final class HaRun {
    /** How long after the graceful leave the run looks for redeployed verticles. */
    static final long LEAVE_WINDOW_MS = 15_000;
    final int n;
    final String cluster = "failover-bench-ha-" + UUID.randomUUID();
    final List<Integer> ports = freePorts(4);
    final List<Proc> procs = new ArrayList<>();

    HaRun(int n) {
      this.n = n;
    }

    JsonObject play() throws Exception {
      String join = ports.stream().map(String::valueOf).collect(Collectors.joining(","));
      try {
        startThree("--ha-member", cluster, ports, join, procs);
        Proc a = procs.get(0);
        Proc b = procs.get(1);
        Proc c = procs.get(2);
        int third = n / 3;
        List<CompletableFuture<String>> deploying = new ArrayList<>();
        deploying.add(CompletableFuture.supplyAsync(() -> a.callUnchecked("deploy 0 " + third)));
        deploying.add(CompletableFuture.supplyAsync(() -> b.callUnchecked("deploy " + third + " " + 2 * third)));
        deploying.add(CompletableFuture.supplyAsync(() -> c.callUnchecked("deploy " + 2 * third + " " + n)));
        deploying.forEach(CompletableFuture::join);

        // Graceful leave.
        long t0 = System.currentTimeMillis();
        b.signal("TERM");
        b.process.waitFor(60, TimeUnit.SECONDS);
        long deadline = t0 + LEAVE_WINDOW_MS;
        while (System.currentTimeMillis() < deadline) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
        long restarted = startedSince(t0, third, 2 * third).size();
        JsonObject leave = new JsonObject().put("verticles", third).put("restarted", restarted)
            .put("notRestarted", third - restarted).put("windowMs", LEAVE_WINDOW_MS)
            .put("memberExitedMs", b.process.isAlive() ? null : b.exitedAt - t0);

        Proc d = Proc.start("--ha-member", cluster, ports.get(3), join);
        procs.add(d);
        while (!"3".equals(a.call("members"))) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
        long safeAfterMs = awaitSafe(a);
        boolean masterKilled = "true".equals(c.call("master"));
        // SIGKILL.
        for (Proc p : procs) {
          p.removedAt.clear();
        }
        long t1 = System.currentTimeMillis();
        c.process.destroyForcibly();
        int expected = n - 2 * third;
        long killDeadline = t1 + 120_000;
        List<Long> times = startedSince(t1, 2 * third, n);
        while (times.size() < expected && System.currentTimeMillis() < killDeadline) {
          TimeUnit.MILLISECONDS.sleep(50);
          times = startedSince(t1, 2 * third, n);
        }
        long removed = firstRemoval(procs, c, b, t1);
        List<Long> fromSignal = times.stream().map(x -> x - t1).sorted().toList();
        List<Long> fromRemoval = times.stream().map(x -> x - removed).sorted().toList();
        JsonObject failover = new JsonObject().put("moved", expected).put("seen", times.size())
            .put("safeAfterJoinMs", safeAfterMs).put("masterKilled", masterKilled).put("removalMs", removed - t1)
            .put("fromSignalP50Ms", Run.pct(fromSignal, 50)).put("fromSignalP99Ms", Run.pct(fromSignal, 99))
            .put("fromRemovalP50Ms", Run.pct(fromRemoval, 50)).put("fromRemovalP99Ms", Run.pct(fromRemoval, 99))
            .put("allBackMs", fromSignal.isEmpty() ? null : fromSignal.get(fromSignal.size() - 1));
        return new JsonObject().put("gracefulLeave", leave).put("failover", failover);
      } finally {
        procs.forEach(p -> p.process.destroyForcibly());
      }
    }

    /** @return start times (epoch ms) of verticles {@code h<from>}…{@code h<to - 1>} started at or after {@code since}, first start each */
    private List<Long> startedSince(long since, int from, int to) {
      Map<String, Long> first = new java.util.HashMap<>();
      for (Proc p : procs) {
        for (String l : p.events) {
          String[] w = l.split(" ");
          if (!w[0].equals("HASTARTED")) {
            continue;
          }
          long at = Long.parseLong(w[3]);
          int i = Integer.parseInt(w[1].substring(1));
          if (at >= since && i >= from && i < to) {
            first.merge(w[1], at, Math::min);
          }
        }
      }
      return new ArrayList<>(first.values());
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
    final List<Long> removedAt = new CopyOnWriteArrayList<>();
    volatile long exitedAt;
    String nodeId;

    Proc(Process process) {
      this.process = process;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread t = new Thread(this::read);
      t.setDaemon(true);
      t.start();
    }

    static Proc start(String mode, String cluster, int port, String join) {
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
            mode, cluster, Integer.toString(port), join));
        // -Dbench.memberProps=k=v,k=v: system properties for the member JVMs (e.g. a Hazelcast
        // property to try), placed before the main class.
        String extra = System.getProperty("bench.memberProps");
        String wave = System.getProperty("bench.handoffConcurrency");
        if (wave != null) {
          extra = (extra == null || extra.isBlank() ? "" : extra + ",") + "bench.handoffConcurrency=" + wave;
        }
        if (servers()) {
          extra = (extra == null || extra.isBlank() ? "" : extra + ",") + "bench.servers=true";
        }
        if (writeProbe()) {
          extra = extra + ",bench.writeProbe=true";
        }
        if (servers() && System.getProperty("bench.stashTimeoutMs") != null) {
          extra = extra + ",bench.stashTimeoutMs=" + Long.getLong("bench.stashTimeoutMs");
        }
        String backups = System.getProperty("bench.backupCount");
        if (backups != null) {
          extra = (extra == null || extra.isBlank() ? "" : extra + ",") + "bench.backupCount=" + backups;
        }
        String partitions = System.getProperty("bench.localPartitions");
        if (partitions != null) {
          extra = (extra == null || extra.isBlank() ? "" : extra + ",") + "bench.localPartitions=" + partitions;
        }
        if (extra != null && !extra.isBlank()) {
          int at = cmd.indexOf("-cp");
          for (String kv : extra.split(",")) {
            cmd.add(at++, "-D" + kv.trim());
          }
        }
        Proc p = new Proc(new ProcessBuilder(cmd).redirectError(System.getProperty("bench.memberErr") == null ? ProcessBuilder.Redirect.DISCARD
            : ProcessBuilder.Redirect.to(new File(System.getProperty("bench.memberErr") + "-" + port + ".err"))).start());
        try {
          p.nodeId = p.ready.get(120, TimeUnit.SECONDS);
        } catch (Exception notReady) {
          p.process.destroyForcibly(); // its caller never sees it: kill it here
          throw notReady;
        }
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
          } else if (line.startsWith("MOVED ") || line.startsWith("HASTARTED ") || line.startsWith("ACKED ")
              || line.startsWith("ACKFAILED ")) {
            events.add(line);
          } else if (line.startsWith("REMOVED ")) {
            removedAt.add(Long.parseLong(line.substring(8).trim()));
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
      exitedAt = System.currentTimeMillis();
    }

    String callUnchecked(String command) {
      try {
        return call(command);
      } catch (Exception e) {
        throw new IllegalStateException(e);
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
