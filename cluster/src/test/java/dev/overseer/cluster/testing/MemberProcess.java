package dev.overseer.cluster.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A cluster member in a separate JVM ({@link MemberMain}) that a test can SIGKILL, SIGSTOP and
 * SIGCONT. Every process started here is killed by PID when the test closes it, and by a JVM
 * shutdown hook if the test JVM ends first.
 */
public final class MemberProcess implements AutoCloseable {

  /** The JVM flags Hazelcast needs on JDK 17, as in the root pom's {@code overseer.test.jvm}. */
  public static final List<String> JVM_FLAGS = List.of(
      "-Djava.net.preferIPv4Stack=true", "-Dvertx.disableDnsResolver=true",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "member-process-reaper"));
  }

  private final Process process;
  private final Writer stdin;
  private final CompletableFuture<String> ready = new CompletableFuture<>();
  private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger dumps = new java.util.concurrent.atomic.AtomicInteger();
  private final File log;
  private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<String> lifecycle = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.concurrent.CountDownLatch eof = new java.util.concurrent.CountDownLatch(1);

  private MemberProcess(Process process, File log) {
    this.process = process;
    this.log = log;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::read, "member-" + process.pid() + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts a member JVM and waits until it has joined.
   *
   * @param clusterName the cluster
   * @param port its port
   * @param ports every member's port
   * @return the running member
   */
  public static MemberProcess start(String clusterName, int port, List<Integer> ports) throws Exception {
    return start(clusterName, port, ports, true);
  }

  /**
   * Starts a member JVM and waits until it has joined.
   *
   * @param shutdownHook whether the member installs Overseer's shutdown hook
   * @return the running member
   */
  public static MemberProcess start(String clusterName, int port, List<Integer> ports, boolean shutdownHook) throws Exception {
    return start(MemberMain.class, clusterName, port, ports, shutdownHook);
  }

  /**
   * Starts a member JVM running {@code main} (same arguments and protocol as {@link MemberMain};
   * lines it prints starting with {@code EVENT } are kept in {@link #events()}) and waits until it
   * has joined.
   *
   * @param main the class whose {@code main} runs the member
   * @param clusterName the cluster
   * @param port its port
   * @param ports every member's port
   * @param shutdownHook whether the member installs Overseer's shutdown hook
   * @return the running member
   */
  public static MemberProcess start(Class<?> main, String clusterName, int port, List<Integer> ports, boolean shutdownHook)
      throws Exception {
    return start(main, clusterName, port, ports, shutdownHook, List.of());
  }

  /**
   * Starts a member JVM running {@code main} with extra JVM arguments (system properties such as
   * {@link MemberMain#BACKUP_COUNT}) and waits until it has joined.
   *
   * @param jvmArgs arguments placed before the main class, e.g. {@code -Dkey=value}
   * @return the running member
   */
  public static MemberProcess start(Class<?> main, String clusterName, int port, List<Integer> ports, boolean shutdownHook,
      List<String> jvmArgs) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(new File(System.getProperty("java.home"), "bin/java").getPath());
    cmd.addAll(JVM_FLAGS);
    cmd.addAll(jvmArgs);
    String extra = System.getenv("OVERSEER_TEST_MEMBER_JVM");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.add(clusterName);
    cmd.add(Integer.toString(port));
    cmd.add(ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
    cmd.add(Boolean.toString(shutdownHook));
    File dir = new File("target/member-logs");
    dir.mkdirs();
    File log = new File(dir, clusterName + "-" + port + ".log");
    Process p = new ProcessBuilder(cmd).redirectError(log).start();
    LIVE.add(p);
    MemberProcess m = new MemberProcess(p, log);
    try {
      m.ready.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      m.close();
      throw new IllegalStateException("member on port " + port + " did not start; see " + log, e);
    }
    return m;
  }

  private void read() {
    // Every line the member prints is also kept, timestamped, next to its Hazelcast log (.out): what
    // a failed test's reader needs to line events up with Hazelcast's.
    File out = new File(log.getPath().replaceFirst("\\.log$", ".out"));
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         Writer transcript = new java.io.FileWriter(out, StandardCharsets.UTF_8, true)) {
      String line;
      while ((line = r.readLine()) != null) {
        transcript.write(java.time.LocalTime.now() + " " + line + "\n");
        transcript.flush();
        if (line.startsWith("JNI global refs")) {
          dumps.incrementAndGet(); // the last line of a thread dump
        }
        if (line.startsWith("EVENT ")) {
          events.add(line.substring(6));
          continue;
        }
        if (line.startsWith("LIFECYCLE ")) {
          lifecycle.add(line.substring(10));
          continue;
        }
        if (line.startsWith("READY ")) {
          ready.complete(line.substring(6));
          continue;
        }
        String[] w = line.split(" ", 3);
        if (w.length >= 2) {
          CompletableFuture<String> f = pending.remove(w[0]);
          if (f != null) {
            String rest = w.length > 2 ? w[2] : "";
            if (w[1].equals("OK")) {
              f.complete(rest);
            } else {
              f.completeExceptionally(new IllegalStateException(rest));
            }
          }
        }
      }
    } catch (IOException ignored) {
      // the process died
    }
    eof.countDown();
    IllegalStateException gone = new IllegalStateException("member process " + process.pid() + " exited");
    ready.completeExceptionally(gone);
    pending.values().forEach(f -> f.completeExceptionally(gone));
  }

  /** @return the member's Vert.x node id */
  public String nodeId() {
    return ready.join();
  }

  /**
   * @return a snapshot of the {@code EVENT} lines the member printed so far, without the prefix
   *     (a copy: the live list grows while a caller streams a sub-list of it)
   */
  public List<String> events() {
    return List.copyOf(events);
  }

  /** @return the process id */
  public long pid() {
    return process.pid();
  }

  /**
   * Sends one command and waits for its answer.
   *
   * @return the result text; throws when the member answered ERR, died, or did not answer in time
   */
  public String call(Duration timeout, String verb, String... args) throws Exception {
    String id = Long.toString(ids.incrementAndGet());
    CompletableFuture<String> f = new CompletableFuture<>();
    pending.put(id, f);
    synchronized (stdin) {
      stdin.write(id + " " + verb + (args.length == 0 ? "" : " " + String.join(" ", args)) + "\n");
      stdin.flush();
    }
    return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends SIGKILL and waits for the process to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    LIVE.remove(process);
  }

  /**
   * Sends SIGTERM and waits for the process to exit.
   *
   * @return the process's exit code
   */
  public int terminate(Duration timeout) throws Exception {
    // not Process.destroy(): it also closes our ends of the pipes, and the member's last lines are lost
    signal("TERM");
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("member process " + process.pid() + " did not exit after SIGTERM");
    }
    // every line it printed has been read once its stdout is at its end
    eof.await(10, TimeUnit.SECONDS);
    LIVE.remove(process);
    return process.exitValue();
  }

  /** @return the Hazelcast lifecycle states the member reported, in order (e.g. SHUTTING_DOWN, SHUTDOWN) */
  public List<String> lifecycle() {
    return List.copyOf(lifecycle);
  }

  /** Sends SIGSTOP: the member hangs with its sockets open. */
  public void pause() throws Exception {
    signal("STOP");
  }

  /** Sends SIGCONT. */
  public void resume() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /**
   * Asks the JVM for a thread dump (SIGQUIT) and waits, up to 10 s, until it is in the member's
   * transcript ({@code .out} next to {@link #log()}): for a test that fails to leave evidence of
   * what a member was waiting on.
   */
  public void dumpThreads() {
    try {
      int before = dumps.get();
      signal("QUIT");
      Poll.holdsWithin(Duration.ofSeconds(10), () -> dumps.get() != before || !process.isAlive());
    } catch (Exception e) {
      // evidence only: a member that cannot be signalled has none to give
    }
  }

  /** @return the file the member's stderr (Hazelcast's log) goes to */
  public File log() {
    return log;
  }

  /** Kills the process (SIGKILL) if it still runs. */
  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
