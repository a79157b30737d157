package dev.overseer.chaos;

import dev.overseer.chaos.impl.Gateway;
import dev.overseer.chaos.impl.Members;
import dev.overseer.chaos.impl.Nemesis;
import dev.overseer.chaos.impl.Workload;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The chaos run (Jepsen's shape): start a cluster of member JVMs, run concurrent clients against
 * the children under test while a nemesis injects faults, heal the cluster, read every child once
 * more, and let the {@link Checker} judge the recorded history.
 *
 * <p>Command line ({@code chaos/run} builds and calls it): {@code --seconds N} (default 60),
 * {@code --seed S} (default: from the clock; printed), {@code --clients N}, {@code --faults
 * poison,kill,stop,pause,rolling_restart}, {@code --out DIR}, {@code --classpath CP}; or
 * {@code --check history.jsonl} to judge a recorded history again. Prints the verdict as JSON and
 * exits 0 when it is valid, 1 on any anomaly, 2 when the run itself could not be performed.
 */
public final class ChaosRun {

  private static final Duration READY = Duration.ofSeconds(150);
  private static final Duration HEAL = Duration.ofSeconds(120);
  private static final Duration FINAL_READ = Duration.ofSeconds(30);

  private ChaosRun() {
  }

  /**
   * Performs a chaos run. Every member process it starts is killed by PID before it returns,
   * whatever happens.
   *
   * @param options what to do
   * @param log where progress lines go
   * @return the verdict (also written to {@code out/verdict.json}, the history to {@code out/history.jsonl})
   * @throws Exception if the cluster could not be formed: that is no verdict
   */
  public static Verdict run(ChaosOptions options, Consumer<String> log) throws Exception {
    long t0 = System.nanoTime();
    Path out = options.getOut();
    Files.createDirectories(out);
    log.accept("chaos run " + options.toJson().encode() + " (repeat the nemesis's choices with --seed " + options.getSeed() + ")");
    Map<String, History.ChildKind> children = new LinkedHashMap<>();
    for (int i = 0; i < options.getSequences(); i++) {
      children.put("seq-" + i, History.ChildKind.SEQUENCE);
    }
    for (int i = 0; i < options.getCounters(); i++) {
      children.put("ctr-" + i, History.ChildKind.COUNTER);
    }
    JsonObject setup = new JsonObject();
    children.forEach((id, kind) -> setup.put(id, kind.name().toLowerCase()));
    History history = new History(options.getSeed(), children);
    String cluster = "chaos-" + UUID.randomUUID();
    Members members = new Members(classpath(options), out.resolve("logs"), cluster, options.getMembers(), log);
    Thread cleanup = new Thread(members::close, "chaos-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      startAll(members);
      if (!members.await(members.current(), members.size(), true, HEAL)) {
        throw new IllegalStateException("the cluster did not form (last health: " + members.lastHealth() + "): see the member logs in " + out.resolve("logs"));
      }
      JsonObject started = new Gateway().setup(members.in(0).http(), setup);
      if (!"ok".equals(started.getString("type"))) {
        throw new IllegalStateException("the children could not be started: " + started.encode());
      }
      Workload workload = new Workload(history, members, t0);
      for (String child : children.keySet()) {
        if (readUntilOk(workload, members, child, "warmup", false, history) == null) {
          throw new IllegalStateException("child " + child + " never answered before the workload");
        }
      }
      members.await(members.current(), members.size(), true, Duration.ofSeconds(1));
      log.accept("cluster " + cluster + " ready (health " + members.lastHealth() + "); workload and nemesis for " + options.getSeconds() + " s");
      long start = System.nanoTime() - t0;
      workload.start(options.getClients(), options.getSeed());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.getSeconds());
      new Nemesis(history, members, options.getSeed(), options.getFaults(), t0, log).run(deadline);
      long left = deadline - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.sleep(left);   // the workload's own length, not a wait for a condition
      }
      workload.stop();
      history.window(start, System.nanoTime() - t0);
      log.accept("workload over: " + history.ops().size() + " operations; healing");
      heal(members);
      log.accept("healed (health " + members.lastHealth() + "); final reads");
      for (String child : children.keySet()) {
        readUntilOk(workload, members, child, "final", true, history);
      }
    } finally {
      members.close();
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    Verdict verdict = Checker.check(history);
    Files.write(out.resolve("history.jsonl"), history.toJsonLines(), StandardCharsets.UTF_8);
    Files.writeString(out.resolve("verdict.json"), verdict.toJson().put("options", options.toJson())
        .put("finishedAt", Instant.now().toString()).encodePrettily(), StandardCharsets.UTF_8);
    return verdict;
  }

  private static void startAll(Members members) throws Exception {
    List<Thread> threads = new ArrayList<>();
    Exception[] failure = new Exception[1];
    for (int slot = 0; slot < members.size(); slot++) {
      int s = slot;
      Thread t = new Thread(() -> {
        try {
          members.start(s, READY);
        } catch (Exception e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
      }, "chaos-start-" + slot);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  private static void heal(Members members) throws Exception {
    for (int slot = 0; slot < members.size(); slot++) {
      Members.Proc p = members.in(slot);
      if (p == null) {
        members.start(slot, READY);
      }
    }
    members.await(members.current(), members.size(), true, HEAL);
  }

  private static Op readUntilOk(Workload workload, Members members, String child, String process, boolean fin, History history) {
    long end = System.nanoTime() + FINAL_READ.toNanos();
    int i = 0;
    while (System.nanoTime() < end) {
      List<Members.Proc> now = members.current();
      Op op = workload.call(process, now.get(i++ % now.size()), child, Op.READ, fin);
      history.add(op);
      if (op.type() == Op.Type.OK) {
        return op;
      }
    }
    return null;
  }

  private static String classpath(ChaosOptions options) throws IOException {
    if (options.getClasspath() != null) {
      return options.getClasspath();
    }
    for (Path module : List.of(Path.of("."), Path.of("chaos"))) {
      Path file = module.resolve("target").resolve("classpath.txt");
      if (Files.exists(file)) {
        return module.resolve("target").resolve("classes").toAbsolutePath() + java.io.File.pathSeparator
            + Files.readString(file, StandardCharsets.UTF_8).trim();
      }
    }
    throw new IllegalStateException("no chaos/target/classpath.txt: build the chaos module first (mvn -pl chaos -am package)");
  }

  /**
   * The command line.
   *
   * @param args see the class comment
   * @throws Exception never on purpose: errors exit with 2
   */
  public static void main(String[] args) throws Exception {
    ChaosOptions options = new ChaosOptions();
    Path check = null;
    try {
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--seconds" -> options.setSeconds(Integer.parseInt(value));
          case "--seed" -> options.setSeed(Long.parseLong(value));
          case "--clients" -> options.setClients(Integer.parseInt(value));
          case "--out" -> options.setOut(Path.of(value));
          case "--classpath" -> options.setClasspath(value);
          case "--faults" -> {
            EnumSet<Fault.Kind> kinds = EnumSet.noneOf(Fault.Kind.class);
            Arrays.stream(value.split(",")).filter(s -> !s.isBlank()).forEach(s -> kinds.add(Fault.Kind.valueOf(s.trim().toUpperCase())));
            options.setFaults(kinds);
          }
          case "--check" -> check = Path.of(value);
          default -> throw new IllegalArgumentException("unknown argument " + args[i]);
        }
        i++;
      }
    } catch (RuntimeException e) {
      System.err.println("chaos: " + e.getMessage());
      System.err.println("usage: chaos/run [--seconds N] [--seed S] [--clients N] [--faults poison,kill,stop,pause,rolling_restart] [--out DIR] | --check history.jsonl");
      System.exit(2);
    }
    Verdict verdict;
    try {
      verdict = check != null
          ? Checker.check(History.fromJsonLines(Files.readAllLines(check, StandardCharsets.UTF_8)))
          : run(options, line -> System.out.println("[chaos " + Instant.now() + "] " + line));
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(2);
      return;
    }
    System.out.println(verdict.toJson().encodePrettily());
    System.exit(verdict.valid() ? 0 : 1);
  }
}
