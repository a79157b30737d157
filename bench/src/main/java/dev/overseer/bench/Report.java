package dev.overseer.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges the figures of every system of one run into the report: the machine, the versions, each
 * system's figures (or why it was skipped), and each Overseer figure as a ratio to its peer's.
 * {@code Report <quick|full> <results dir> <command> <system.json>...} writes
 * {@code <dir>/<timestamp>-<mode>.json} and {@code <dir>/latest.json} and prints a table.
 */
public final class Report {

  /** One Overseer figure set against one peer figure. */
  record Comparison(String scenario, String system, String metric, String peer, String peerMetric) {
  }

  /** Every ratio the report shows; the peers are plain Vert.x, Pekko, OTP, and the raw map (micro). */
  static final List<Comparison> COMPARISONS = comparisons();

  private static List<Comparison> comparisons() {
    List<Comparison> c = new ArrayList<>();
    for (String peer : List.of("pekko", "otp")) {
      c.add(new Comparison("restart", "overseer", "restart.p50", peer, "restart.p50"));
      c.add(new Comparison("restart", "overseer", "restart.p99", peer, "restart.p99"));
      c.add(new Comparison("restart", "overseer", "restart.serverRef.p50", peer, "restart.p50"));
    }
    for (String peer : List.of("vertx", "pekko", "otp")) {
      c.add(new Comparison("call", "overseer", "call.throughput", peer, "call.throughput"));
      c.add(new Comparison("call", "overseer", "call.latency.p50", peer, "call.latency.p50"));
      c.add(new Comparison("call", "overseer", "call.latency.p99", peer, "call.latency.p99"));
    }
    c.add(new Comparison("call", "overseer", "call.supervisedVerticle.throughput", "vertx", "call.throughput"));
    c.add(new Comparison("call", "overseer", "call.supervisedVerticle.latency.p50", "vertx", "call.latency.p50"));
    c.add(new Comparison("state", "micro", "state.micro.localStashPut", "micro", "state.micro.rawMapPut"));
    c.add(new Comparison("state", "micro", "state.micro.localStashPutEncoded", "micro", "state.micro.rawMapPut"));
    c.add(new Comparison("state", "overseer", "state.writeThrough.throughput", "vertx", "state.rawMap.throughput"));
    c.add(new Comparison("state", "overseer", "state.writeThrough.latency.p50", "vertx", "state.rawMap.latency.p50"));
    c.add(new Comparison("state", "overseer", "state.onTerminate.throughput", "vertx", "state.rawMap.throughput"));
    c.add(new Comparison("state", "overseer", "state.onTerminate.latency.p50", "vertx", "state.rawMap.latency.p50"));
    c.add(new Comparison("state", "overseer", "state.writeThrough.throughput", "overseer", "state.onTerminate.throughput"));
    c.add(new Comparison("state", "overseer", "state.hazelcast", "overseer", "state.writeThrough.throughput"));
    c.add(new Comparison("failover", "overseer", "failover", "otp", "failover"));
    for (String peer : List.of("pekko", "otp")) {
      c.add(new Comparison("scale", "overseer", "scale.startAll", peer, "scale.startAll"));
      c.add(new Comparison("scale", "overseer", "scale.startRate", peer, "scale.startRate"));
      c.add(new Comparison("scale", "overseer", "scale.heapPerChild", peer, "scale.heapPerChild"));
      c.add(new Comparison("scale", "overseer", "oneForAll.restart.p50", peer, "oneForAll.restart.p50"));
    }
    return c;
  }

  private Report() {
  }

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println("usage: Report <quick|full> <results dir> <command> <system.json>...");
      System.exit(2);
    }
    Mode mode = Mode.of(args[0]);
    Path dir = Path.of(args[1]);
    JsonObject systems = new JsonObject();
    for (int i = 3; i < args.length; i++) {
      merge(systems, new JsonObject(Files.readString(Path.of(args[i]))));
    }
    Instant now = Instant.now();
    JsonObject report = build(mode, args[2], now, machine(), systems);
    Files.createDirectories(dir);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
    String text = report.encodePrettily() + "\n";
    Path file = dir.resolve(stamp + "-" + mode.name() + ".json");
    Files.writeString(file, text);
    Files.writeString(dir.resolve("latest.json"), text);
    System.out.print(table(report));
    System.out.println("report: " + file + " (and " + dir.resolve("latest.json") + ")");
  }

  /** Metric prefixes each part of a system's run produces, for reporting a part that failed. */
  private static final Map<String, List<String>> PARTS = Map.of(
      "scale", List.of("scale"),
      "main", List.of("restart", "call", "state", "oneForAll", "vertx"));

  /**
   * Adds one output file to the systems: a system run in two JVMs (main and scale) becomes one
   * entry; a part that failed or was skipped marks its metrics skipped with its reason.
   */
  static void merge(JsonObject systems, JsonObject side) {
    String name = side.getString("system");
    JsonObject into = systems.getJsonObject(name);
    if (into == null) {
      into = new JsonObject().put("system", name).put("version", side.getString("version"))
          .put("figures", new JsonObject()).put("skipped", new JsonObject()).put("notes", new JsonObject())
          .put("parts", new JsonObject());
      systems.put(name, into);
    }
    String part = side.getString("part", "main");
    String status = side.getString("status", "failed");
    into.getJsonObject("parts").put(part, new JsonObject().put("status", status)
        .put("reason", side.getString("reason")).put("wallSeconds", side.getValue("wallSeconds")));
    into.getJsonObject("figures").mergeIn(side.getJsonObject("figures", new JsonObject()));
    into.getJsonObject("skipped").mergeIn(side.getJsonObject("skipped", new JsonObject()));
    into.getJsonObject("notes").mergeIn(side.getJsonObject("notes", new JsonObject()));
    if (side.getString("version") != null) {
      into.put("version", side.getString("version"));
    }
    if (!"ok".equals(status)) {
      String why = status + ": " + side.getString("reason", "no reason given");
      for (String prefix : PARTS.getOrDefault(part, List.of())) {
        into.getJsonObject("skipped").put(prefix, why);
      }
    }
    boolean anyOk = into.getJsonObject("parts").stream().anyMatch(e -> "ok".equals(((JsonObject) e.getValue()).getString("status")));
    into.put("status", anyOk ? "ok" : status);
    if (!anyOk) {
      into.put("reason", side.getString("reason", "no reason given"));
    }
  }

  /** @return the report for the given systems' outputs */
  static JsonObject build(Mode mode, String command, Instant when, JsonObject machine, JsonObject systems) {
    JsonObject versions = new JsonObject();
    systems.forEach(e -> versions.put(e.getKey(), ((JsonObject) e.getValue()).getString("version", "unknown")));
    versions.put("vertx", Versions.vertx());
    JsonArray ratios = new JsonArray();
    for (Comparison c : COMPARISONS) {
      ratios.add(compare(c, systems));
    }
    return new JsonObject()
        .put("run", new JsonObject().put("date", when.toString()).put("command", command).put("mode", mode.toJson()))
        .put("machine", machine)
        .put("versions", versions)
        .put("ratioMeaning", "ratio = Overseer's value / the peer's value; 'verdict' says which is better and by how much, "
            + "using each figure's direction (lower is better for times and bytes, higher for rates)")
        .put("ratios", ratios)
        .put("systems", systems);
  }

  static JsonObject compare(Comparison c, JsonObject systems) {
    JsonObject out = new JsonObject().put("scenario", c.scenario()).put("metric", c.metric())
        .put("peer", c.peer()).put("peerMetric", c.peerMetric());
    // Plain Vert.x is measured in the Overseer JVM, right after the supervised figures.
    boolean plain = c.peer().equals("vertx");
    String peerSystem = plain ? "overseer" : c.peer();
    String peerMetric = plain ? "vertx." + c.peerMetric() : c.peerMetric();
    String why = missing(systems, c.system(), c.metric());
    if (why == null) {
      why = missing(systems, peerSystem, peerMetric);
    }
    if (why != null) {
      return out.put("status", "skipped").put("reason", why);
    }
    JsonObject mine = figure(systems, c.system(), c.metric());
    JsonObject theirs = figure(systems, peerSystem, peerMetric);
    if (c.metric().equals("scale.startAll")) {
      JsonObject n = figure(systems, c.system(), "scale.children");
      JsonObject m = figure(systems, peerSystem, "scale.children");
      if (n == null || m == null || !n.getDouble("value").equals(m.getDouble("value"))) {
        return out.put("status", "skipped").put("reason", "the two runs started different numbers of children "
            + "(see scale.children); compare scale.startRate instead");
      }
    }
    double a = mine.getDouble("value");
    double b = theirs.getDouble("value");
    out.put("status", "ok").put("value", a).put("peerValue", b).put("unit", mine.getString("unit"));
    if (b == 0 || a == 0) {
      return out.put("ratio", (Object) null).put("verdict", "not comparable (a zero value)");
    }
    double ratio = a / b;
    boolean lowerBetter = "lower".equals(mine.getString("better"));
    double factor = lowerBetter ? ratio : 1 / ratio;
    String verdict = Math.abs(factor - 1) < 0.05 ? "about equal"
        : factor > 1 ? String.format(Locale.ROOT, "%.2fx worse", factor)
        : String.format(Locale.ROOT, "%.2fx better", 1 / factor);
    return out.put("ratio", Math.round(ratio * 1000) / 1000.0).put("verdict", verdict);
  }

  /** @return why a figure is absent, or {@code null} when it is there */
  static String missing(JsonObject systems, String system, String metric) {
    JsonObject side = systems.getJsonObject(system);
    if (side == null) {
      return system + " was not run";
    }
    if (!"ok".equals(side.getString("status"))) {
      return system + " " + side.getString("status") + ": " + side.getString("reason", "no reason given");
    }
    JsonObject skipped = side.getJsonObject("skipped", new JsonObject());
    for (String key : skipped.fieldNames()) {
      if (metric.equals(key) || metric.startsWith(key + ".")) {
        return system + ": " + skipped.getString(key);
      }
    }
    if (figure(systems, system, metric) == null) {
      return system + " has no figure " + metric;
    }
    return null;
  }

  private static JsonObject figure(JsonObject systems, String system, String metric) {
    return systems.getJsonObject(system).getJsonObject("figures", new JsonObject()).getJsonObject(metric);
  }

  /** @return cores, memory, OS, CPU and JDK of this machine */
  static JsonObject machine() {
    JsonObject m = new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
        .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      m.put("memoryBytes", os.getTotalMemorySize());
    }
    try {
      Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
          .ifPresent(l -> m.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
      Files.readAllLines(Path.of("/etc/os-release")).stream().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst()
          .ifPresent(l -> m.put("distribution", l.substring(12).replace("\"", "")));
    } catch (IOException e) {
      m.put("cpu", "unknown (" + e.getMessage() + ")");
    }
    return m;
  }

  /** @return the ratios as a text table, then the systems skipped or failed */
  static String table(JsonObject report) {
    StringBuilder sb = new StringBuilder();
    String fmt = "%-9s %-36s %-6s %14s %14s %-10s %s%n";
    sb.append(String.format(Locale.ROOT, fmt, "scenario", "overseer metric", "peer", "overseer", "peer value", "unit", "verdict"));
    for (Object o : report.getJsonArray("ratios")) {
      JsonObject r = (JsonObject) o;
      if ("ok".equals(r.getString("status"))) {
        sb.append(String.format(Locale.ROOT, fmt, r.getString("scenario"), r.getString("metric"), r.getString("peer"),
            number(r.getDouble("value")), number(r.getDouble("peerValue")), r.getString("unit"), r.getString("verdict")));
      } else {
        sb.append(String.format(Locale.ROOT, fmt, r.getString("scenario"), r.getString("metric"), r.getString("peer"),
            "-", "-", "", "SKIPPED: " + r.getString("reason")));
      }
    }
    return sb.toString();
  }

  private static String number(double v) {
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
