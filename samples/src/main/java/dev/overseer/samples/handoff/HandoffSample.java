package dev.overseer.samples.handoff;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The handoff sample (Horde's "State Handoff" article, on Overseer): three member JVMs on
 * 127.0.0.1 run {@value #COUNTERS} WRITE_THROUGH counters under one distributed supervisor while
 * a client on member A keeps incrementing them. Then member B leaves gracefully (SIGTERM), a
 * replacement D joins, and member C is killed (SIGKILL). Per phase it prints where each counter
 * runs and its value, and for each departure the time until all of the departed member's
 * counters answered again. It exits 0 only if every acknowledged increment is present at the end
 * and no counter ever answered from two members at once (each reply names its member and
 * ownership epoch: per counter, epochs never go back and each epoch is one member's).
 *
 * <p>With {@code --console}, member A also serves the web console (its URL with a fresh token is
 * printed), whose Cluster view shows the members and the counters move; the sample then waits for
 * Enter before stopping the members.
 *
 * <p>The replacement joins before the kill: with an expected size of 3 and a quorum of 2, a lone
 * survivor would (rightly) stop every counter.
 */
public final class HandoffSample {

  static final int COUNTERS = 12;

  private final String clusterName = "handoff-" + UUID.randomUUID();
  private final List<Integer> ports = freePorts(4);
  private final List<Member> members = new ArrayList<>();
  private final List<Ack> acks = new CopyOnWriteArrayList<>();
  private final AtomicLong nacks = new AtomicLong();
  private final List<Nack> nackList = new CopyOnWriteArrayList<>();
  private boolean console;
  private long gracefulFailures;

  private HandoffSample() {
  }

  /** One acknowledged increment, as member A's client printed it. */
  record Ack(String counter, long value, String node, long epoch, long sent, long acked) {
  }

  /** One failed or timed-out call, as member A's client printed it. */
  record Nack(String counter, long sent, long failed, String reason) {
  }

  /** @return the exit status: 0 when every check passed */
  public static int run(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--member")) {
      return HandoffMember.run(java.util.Arrays.copyOfRange(args, 1, args.length));
    }
    HandoffSample sample = new HandoffSample();
    sample.console = java.util.Arrays.asList(args).contains("--console");
    try {
      return sample.play();
    } finally {
      sample.members.forEach(Member::kill);
    }
  }

  private int play() throws Exception {
    String join = ports.subList(0, 4).stream().map(String::valueOf).collect(Collectors.joining(","));
    System.out.println("Starting members A, B, C on 127.0.0.1 (cluster " + clusterName + ")");
    List<CompletableFuture<Member>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String label = String.valueOf((char) ('A' + i));
      int port = ports.get(i);
      starting.add(CompletableFuture.supplyAsync(() -> Member.start(label, clusterName, port, join, this)));
    }
    for (CompletableFuture<Member> f : starting) {
      members.add(f.join());
    }
    Member a = members.get(0);
    Member b = members.get(1);
    Member c = members.get(2);
    a.call("start", Integer.toString(COUNTERS));
    a.call("client", Integer.toString(COUNTERS));
    pause(2000);
    printPhase("1. three members, client running");

    long t0 = System.currentTimeMillis();
    Map<String, String> onB = runningOn(b.nodeId);
    System.out.println("\n>>> SIGTERM to B (graceful leave): " + onB.size() + " counters to hand off");
    b.terminate();
    long handoff = awaitServedAgain(onB.keySet(), b.nodeId, t0);
    printDeparture("B left gracefully", onB.keySet(), b.nodeId, t0, handoff);
    printPhase("2. after B's graceful leave");

    System.out.println("\n>>> starting replacement D");
    long tD = System.currentTimeMillis();
    Member d = Member.start("D", clusterName, ports.get(3), join, this);
    members.add(d);
    pause(1000);

    long t1 = System.currentTimeMillis();
    Map<String, String> onC = runningOn(c.nodeId);
    System.out.println("\n>>> SIGKILL to C: " + onC.size() + " counters to fail over");
    c.kill();
    long failover = awaitServedAgain(onC.keySet(), c.nodeId, t1);
    printDeparture("C was killed", onC.keySet(), c.nodeId, t1, failover);
    pause(1000);
    a.call("stopclient");
    // A call still waiting when a signal came may fail because of it: the graceful leave counts
    // every call sent from one call timeout before its signal; a call sent just before the kill
    // that failed after it counts for the kill.
    long early = t1 - HandoffMember.CALL_TIMEOUT_MS;
    gracefulFailures = printFailures("B's graceful leave", n -> n.sent() >= t0 - HandoffMember.CALL_TIMEOUT_MS && n.sent() < tD, t0);
    java.util.function.Predicate<Nack> kill = n -> n.sent() >= t1 || (n.sent() >= Math.max(tD, early) && n.failed() >= t1);
    printFailures("D's join", n -> n.sent() >= tD && !kill.test(n), tD);
    printFailures("C's SIGKILL", kill, t1);
    printPhase("3. after C's death, with D");

    int status = verify(a);
    if (console) {
      System.out.println("\nThe console of member A is still up. Press Enter to stop the members.");
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    return status;
  }

  private int verify(Member a) throws Exception {
    boolean ok = true;
    Map<String, List<Ack>> byCounter = new TreeMap<>();
    for (Ack ack : acks) {
      byCounter.computeIfAbsent(ack.counter(), k -> new ArrayList<>()).add(ack);
    }
    System.out.println("\nChecks (" + acks.size() + " acknowledged increments, " + nacks.get() + " calls failed or timed out):");
    for (int i = 0; i < COUNTERS; i++) {
      String name = HandoffMember.counter(i);
      List<Ack> list = byCounter.getOrDefault(name, List.of());
      list.sort((x, y) -> Long.compare(x.value(), y.value()));
      long maxAcked = list.isEmpty() ? 0 : list.get(list.size() - 1).value();
      long end = Long.parseLong(a.call("get", name).split(" ")[0]);
      // Every acknowledged value is at most the end value; a call that failed may still have
      // landed (its reply was lost), so the end value may exceed the last acknowledged one by those.
      boolean present = end >= maxAcked && end <= maxAcked + nacks.get();
      Map<Long, String> nodeOfEpoch = new HashMap<>();
      boolean single = true;
      long lastEpoch = 0;
      for (Ack ack : list) {
        String other = nodeOfEpoch.putIfAbsent(ack.epoch(), ack.node());
        if ((other != null && !other.equals(ack.node())) || ack.epoch() < lastEpoch) {
          single = false;
        }
        lastEpoch = Math.max(lastEpoch, ack.epoch());
      }
      ok &= present && single;
      System.out.printf("  %-11s end value %4d, last acknowledged %4d: %s; answered from %d member(s) over epochs %s: %s%n",
          name, end, maxAcked, present ? "ok" : "LOST UPDATES", nodeOfEpoch.values().stream().distinct().count(),
          new TreeMap<>(nodeOfEpoch).keySet(), single ? "never two at once" : "TWO AT ONCE");
    }
    // The promise: through a graceful handoff, callers see a delay, never an error. (A
    // SIGKILLed member cannot answer the calls it held: those exit, as a call to a dead process.)
    boolean gracefulOk = gracefulFailures == 0;
    System.out.println("  calls failed during B's graceful leave: " + gracefulFailures + (gracefulOk ? ": ok" : ": CALLS FAILED"));
    ok &= gracefulOk;
    System.out.println(ok ? "\nPASS: every acknowledged increment is present; no counter answered from two members at once;"
        + " no call failed during the graceful handoff"
        : "\nFAIL");
    return ok ? 0 : 1;
  }

  /** @return counter → value for the counters whose latest acknowledgement came from {@code node} */
  private Map<String, String> runningOn(String node) {
    Map<String, Ack> latest = latest();
    Map<String, String> out = new TreeMap<>();
    latest.forEach((k, v) -> {
      if (v.node().equals(node)) {
        out.put(k, Long.toString(v.value()));
      }
    });
    return out;
  }

  private Map<String, Ack> latest() {
    Map<String, Ack> latest = new TreeMap<>();
    for (Ack ack : acks) {
      latest.merge(ack.counter(), ack, (x, y) -> y.acked() >= x.acked() ? y : x);
    }
    return latest;
  }

  /** @return ms from {@code since} until every one of {@code counters} was acknowledged by a member other than {@code gone} */
  private long awaitServedAgain(java.util.Set<String> counters, String gone, long since) throws Exception {
    if (counters.isEmpty()) {
      // Nothing ran there (its counters had already moved, e.g. after a missed heartbeat under load).
      return 0;
    }
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      Map<String, Long> back = servedAgain(counters, gone, since);
      if (back.size() == counters.size()) {
        return back.values().stream().mapToLong(Long::longValue).max().orElse(0) - since;
      }
      pause(20);
    }
    throw new IllegalStateException("counters of the departed member did not answer again within 30 s");
  }

  private Map<String, Long> servedAgain(java.util.Set<String> counters, String gone, long since) {
    Map<String, Long> back = new HashMap<>();
    for (Ack ack : acks) {
      if (counters.contains(ack.counter()) && !ack.node().equals(gone) && ack.acked() >= since) {
        back.merge(ack.counter(), ack.acked(), Math::min);
      }
    }
    return back;
  }

  private void printDeparture(String what, java.util.Set<String> counters, String gone, long since, long all) {
    List<Long> gaps = new ArrayList<>();
    for (String counter : counters) {
      long lastOld = acks.stream().filter(x -> x.counter().equals(counter) && x.node().equals(gone))
          .mapToLong(Ack::acked).max().orElse(since);
      long firstNew = servedAgain(java.util.Set.of(counter), gone, since).getOrDefault(counter, since);
      gaps.add(Math.max(0, firstNew - lastOld));
    }
    gaps.sort(Long::compare);
    System.out.printf("    %s: all %d of its counters answered again %d ms after the signal; "
            + "per counter, time between its last answer there and its first answer elsewhere: p50 %d ms, max %d ms%n",
        what, counters.size(), all, gaps.isEmpty() ? 0 : gaps.get(gaps.size() / 2), gaps.isEmpty() ? 0 : gaps.get(gaps.size() - 1));
  }

  /** Prints the failed calls {@code around} selects, times relative to {@code signal}; @return how many */
  private long printFailures(String phase, java.util.function.Predicate<Nack> around, long signal) {
    List<Nack> failed = nackList.stream().filter(around).toList();
    System.out.println("\nCalls that failed around " + phase + ": " + failed.size());
    failed.forEach(n -> System.out.printf("  %-11s sent %+d ms, failed %+d ms after the signal: %s%n", n.counter(),
        n.sent() - signal, n.failed() - signal, n.reason()));
    return failed.size();
  }

  private void printPhase(String title) {
    System.out.println("\n" + title + ":");
    Map<String, String> labels = new HashMap<>();
    members.forEach(m -> labels.put(m.nodeId, m.label));
    latest().forEach((k, v) -> System.out.printf("  %-11s on %s (epoch %d), value %d%n", k, labels.getOrDefault(v.node(), v.node()),
        v.epoch(), v.value()));
  }

  void onLine(Member from, String line) {
    String[] w = line.split(" ");
    if (line.startsWith("ACK ") && w.length >= 7) {
      acks.add(new Ack(w[1], Long.parseLong(w[2]), w[3], Long.parseLong(w[4]), Long.parseLong(w[5]), Long.parseLong(w[6])));
    } else if (line.startsWith("NACK ")) {
      nacks.incrementAndGet();
      String[] n = line.split(" ", 4);
      nackList.add(new Nack(n[1], Long.parseLong(n[2]), System.currentTimeMillis(), n.length > 3 ? n[3] : ""));
    } else if (line.startsWith("CONSOLE ")) {
      System.out.println("  console of member " + from.label + ": " + line.substring(8) + " (open the Cluster view)");
    } else if (line.startsWith("MOVED ")) {
      System.out.println("    [" + from.label + "] " + line.substring(6) + " ms");
    }
  }

  private static void pause(long ms) throws InterruptedException {
    // The sample's own pacing between phases (a demo, not a test waiting for a condition).
    TimeUnit.MILLISECONDS.sleep(ms);
  }

  private static List<Integer> freePorts(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      held.forEach(s -> {
        try {
          s.close();
        } catch (IOException ignored) {
          // probing only
        }
      });
    }
  }

  /** A member JVM, talked to over its stdin and stdout. */
  static final class Member {
    final String label;
    final Process process;
    final Writer stdin;
    final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    final AtomicLong ids = new AtomicLong();
    final CompletableFuture<String> ready = new CompletableFuture<>();
    volatile String nodeId;

    private Member(String label, Process process, HandoffSample sample) {
      this.label = label;
      this.process = process;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> read(sample), "member-" + label);
      reader.setDaemon(true);
      reader.start();
    }

    static Member start(String label, String clusterName, int port, String join, HandoffSample sample) {
      try {
        List<String> cmd = new ArrayList<>();
        cmd.add(new File(System.getProperty("java.home"), "bin/java").getPath());
        cmd.addAll(HandoffMember.jvmFlags());
        cmd.add("-Djava.util.logging.config.file=/dev/null");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(dev.overseer.samples.Main.class.getName());
        cmd.addAll(List.of("handoff", "--member", clusterName, Integer.toString(port), join));
        if (sample.console && label.equals("A")) {
          // A stays up through the whole run: its console sees B hand off and C fail over
          cmd.add("console");
        }
        File log = new File(System.getProperty("java.io.tmpdir"), clusterName + "-" + label + ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log).start();
        Member m = new Member(label, p, sample);
        m.nodeId = m.ready.get(90, TimeUnit.SECONDS);
        System.out.println("  member " + label + " ready: node " + m.nodeId + ", pid " + p.pid());
        return m;
      } catch (Exception e) {
        throw new IllegalStateException("member " + label + " did not start", e);
      }
    }

    private void read(HandoffSample sample) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("READY ")) {
            ready.complete(line.substring(6));
            continue;
          }
          String[] w = line.split(" ", 3);
          CompletableFuture<String> f = w.length >= 2 ? pending.remove(w[0]) : null;
          if (f != null) {
            if (w[1].equals("OK")) {
              f.complete(w.length > 2 ? w[2] : "");
            } else {
              f.completeExceptionally(new IllegalStateException(w.length > 2 ? w[2] : "error"));
            }
          } else {
            sample.onLine(this, line);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
      ready.completeExceptionally(new IllegalStateException("member " + label + " exited"));
    }

    String call(String verb, String arg) throws Exception {
      String id = Long.toString(ids.incrementAndGet());
      CompletableFuture<String> f = new CompletableFuture<>();
      pending.put(id, f);
      synchronized (stdin) {
        stdin.write(id + " " + verb + (arg == null ? "" : " " + arg) + "\n");
        stdin.flush();
      }
      return f.get(60, TimeUnit.SECONDS);
    }

    String call(String verb) throws Exception {
      return call(verb, null);
    }

    /** SIGTERM through kill(1): Process.destroy() would also close the pipes, and with them the member's stdin. */
    void terminate() throws Exception {
      Process k = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start();
      if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
        throw new IllegalStateException("kill -TERM " + process.pid() + " failed");
      }
    }

    void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
