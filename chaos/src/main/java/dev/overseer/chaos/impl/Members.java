package dev.overseer.chaos.impl;

import dev.overseer.chaos.member.Member;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The member JVMs of a chaos run, by slot: starts them, signals them (SIGKILL, SIGTERM, SIGSTOP,
 * SIGCONT, always by PID and only to processes it started) and, on {@link #close()}, kills every
 * process it ever started, whatever happened.
 */
public final class Members implements AutoCloseable {

  /** One member process. */
  public static final class Proc {
    final int slot;
    final Process process;
    final String name;
    final int http;
    volatile boolean paused;

    Proc(int slot, Process process, String name, int http) {
      this.slot = slot;
      this.process = process;
      this.name = name;
      this.http = http;
    }

    /** @return the slot it occupies */
    public int slot() {
      return slot;
    }

    /** @return its gateway port */
    public int http() {
      return http;
    }

    /** @return the name it answers with */
    public String name() {
      return name;
    }

    /** @return its PID */
    public long pid() {
      return process.pid();
    }
  }

  private static final List<String> JVM = List.of(
      "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
      "-Dvertx.disableDnsResolver=true", "-Dhazelcast.logging.type=jdk",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED");

  private final String classpath;
  private final Path logs;
  private final String cluster;
  private final int[] ports;
  private final Consumer<String> log;
  private final Proc[] slots;
  private final List<Process> started = new ArrayList<>();
  private final Map<Integer, Integer> generations = new ConcurrentHashMap<>();
  private final Gateway gateway = new Gateway();
  private final Map<String, JsonObject> lastHealth = new ConcurrentHashMap<>();

  /**
   * @param classpath the member JVMs' class path
   * @param logs the directory for member logs
   * @param cluster the Hazelcast cluster name (random per run)
   * @param count how many slots
   * @param log where progress lines go
   * @throws IOException if no free ports are found
   */
  public Members(String classpath, Path logs, String cluster, int count, Consumer<String> log) throws IOException {
    this.classpath = classpath;
    this.logs = logs;
    this.cluster = cluster;
    this.log = log;
    this.slots = new Proc[count];
    this.ports = new int[count];
    for (int i = 0; i < count; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        ports[i] = s.getLocalPort();
      }
    }
    Files.createDirectories(logs);
  }

  /** @return how many slots */
  public int size() {
    return slots.length;
  }

  /** @return the members now in their slots (paused ones included) */
  public synchronized List<Proc> current() {
    List<Proc> list = new ArrayList<>();
    for (Proc p : slots) {
      if (p != null) {
        list.add(p);
      }
    }
    return list;
  }

  /** @return the member in a slot, or {@code null} */
  public synchronized Proc in(int slot) {
    return slots[slot];
  }

  /**
   * Starts a member in an empty slot and waits until it reports ready.
   *
   * @param slot the slot
   * @param deadline how long it may take
   * @return the member
   * @throws Exception if it did not start in time (it is killed)
   */
  public Proc start(int slot, Duration deadline) throws Exception {
    int generation = generations.merge(slot, 1, Integer::sum);
    StringBuilder peers = new StringBuilder();
    for (int p : ports) {
      peers.append(peers.length() == 0 ? "" : ",").append(p);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(JVM);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(Member.class.getName());
    cmd.addAll(List.of("--slot", String.valueOf(slot), "--members", String.valueOf(slots.length), "--cluster", cluster, "--port", String.valueOf(ports[slot]),
        "--peers", peers.toString()));
    Process process;
    synchronized (this) {
      process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      started.add(process);
    }
    Path file = logs.resolve("member-" + slot + "-" + generation + ".log");
    CompletableFuture<JsonObject> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> pump(process, file, ready), "chaos-log-" + slot + "-" + generation);
    reader.setDaemon(true);
    reader.start();
    process.onExit().thenRun(() -> ready.completeExceptionally(new IllegalStateException(
        "member in slot " + slot + " exited with " + process.exitValue() + " before it was ready; see " + file)));
    JsonObject info;
    try {
      info = ready.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
    Proc proc = new Proc(slot, process, info.getString("member"), info.getInteger("http"));
    synchronized (this) {
      slots[slot] = proc;
    }
    log.accept("member " + proc.name + " (pid " + proc.pid() + ") ready in slot " + slot + ", gateway port " + proc.http);
    return proc;
  }

  private static void pump(Process process, Path file, CompletableFuture<JsonObject> ready) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        if (line.startsWith(Member.READY)) {
          ready.complete(new JsonObject(line.substring(Member.READY.length())));
        }
      }
    } catch (IOException | RuntimeException e) {
      ready.completeExceptionally(e);
    }
  }

  /**
   * Empties a slot: SIGKILL, or SIGTERM and a wait for a graceful exit (then SIGKILL).
   *
   * @param slot the slot
   * @param graceful SIGTERM first
   * @return a note on how it went
   */
  public String remove(int slot, boolean graceful) {
    Proc p;
    synchronized (this) {
      p = slots[slot];
      slots[slot] = null;
    }
    if (p == null) {
      return "slot " + slot + " was empty";
    }
    if (p.paused) {
      signal(p, "CONT");
    }
    long t0 = System.nanoTime();
    if (graceful) {
      // SIGTERM by PID, not Process.destroy(): destroy() also closes the member's stdin, which the
      // member reads as "the controller died" and halts before its graceful close has run.
      signal(p, "TERM");
      try {
        if (p.process.waitFor(25, TimeUnit.SECONDS)) {
          return p.name + " stopped gracefully in " + (System.nanoTime() - t0) / 1_000_000 + " ms (exit " + p.process.exitValue() + ")";
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // Why did it hang? SIGQUIT makes the JVM print its threads to stdout, which lands in its log.
      signal(p, "QUIT");
      try {
        p.process.waitFor(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      p.process.destroyForcibly();
      return p.name + " did not stop within 25 s of SIGTERM: killed (thread dump in its log)";
    }
    p.process.destroyForcibly();
    try {
      p.process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return p.name + " (pid " + p.pid() + ") killed with SIGKILL";
  }

  /**
   * Sends a signal to a member, by PID.
   *
   * @param p the member
   * @param signal {@code STOP}, {@code CONT}, {@code TERM} or {@code QUIT}
   */
  public void signal(Proc p, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).inheritIO().start();
      kill.waitFor(10, TimeUnit.SECONDS);
      p.paused = "STOP".equals(signal) || p.paused && !"CONT".equals(signal);
    } catch (IOException e) {
      throw new IllegalStateException("kill -" + signal + " " + p.pid() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Polls the given members' gateways until each sees {@code size} cluster members and a safe
   * cluster (no partition without its backup), or the deadline passes.
   *
   * @param members the members to ask
   * @param size the cluster size they must report
   * @param requireSafe whether the partitions must be safe too
   * @param deadline how long to wait
   * @return whether they all did in time
   */
  public boolean await(List<Proc> members, int size, boolean requireSafe, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      boolean all = true;
      for (Proc p : members) {
        JsonObject h = gateway.health(p.http);
        lastHealth.put(p.name, h);
        // Hazelcast's view only: the supervisors' own view of each other is the system under test,
        // and a wait on it would hide a member that never sees another (the checker judges that).
        if (h.getInteger("members", -1) != size || (requireSafe && !h.getBoolean("safe", false))) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
      // Polling with a deadline: the gateway has no push channel, and 100 ms is well below a member's heartbeat.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
    return false;
  }

  /** @return what each member last answered to a health poll (for the message of a failed wait) */
  public String lastHealth() {
    return lastHealth.toString();
  }

  /** Kills every process this object ever started, by PID, and waits for them to be gone. */
  @Override
  public synchronized void close() {
    for (Process p : started) {
      p.destroyForcibly();
    }
    for (Process p : started) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = 0; i < slots.length; i++) {
      slots[i] = null;
    }
  }

  /** @return the PIDs of every process started that is still alive */
  public synchronized List<Long> alive() {
    return started.stream().filter(Process::isAlive).map(Process::pid).toList();
  }
}
