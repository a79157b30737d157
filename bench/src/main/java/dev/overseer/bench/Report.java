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
      c.add(new Comparison("restart", "overseer", "restart.cold.p50", peer, "restart.cold.p50"));
      c.add(new Comparison("restart", "overseer", "restart.firstReply.p50", peer, "restart.firstReply.p50"));
      c.add(new Comparison("restart", "overseer", "restart.serverRef.p50", peer, "restart.firstReply.p50"));
      c.add(new Comparison("restart", "overseer", "restart.sustained", peer, "restart.sustained"));
    }
    c.add(new Comparison("restart", "overseer", "restart.p50", "vertx", "restart.p50"));
    c.add(new Comparison("restart", "overseer", "restart.childLoop.supervisor.p50", "otp", "restart.p50"));
    c.add(new Comparison("restart", "overseer", "restart.childLoop.any.p50", "otp", "restart.p50"));
    c.add(new Comparison("restart", "overseer", "restart.childLoop.supervisor.p50", "overseer", "restart.childLoop.any.p50"));
    c.add(new Comparison("restart", "overseer", "restart.cold.p50", "vertx", "restart.cold.p50"));
    for (String peer : List.of("vertx", "pekko", "otp")) {
      c.add(new Comparison("call", "overseer", "call.throughput", peer, "call.throughput"));
      c.add(new Comparison("call", "overseer", "call.latency.p50", peer, "call.latency.p50"));
      c.add(new Comparison("call", "overseer", "call.latency.p99", peer, "call.latency.p99"));
    }
    c.add(new Comparison("call", "overseer", "call.sameLoop.latency.p50", "vertx", "call.sameLoop.latency.p50"));
    c.add(new Comparison("call", "overseer", "call.sameLoop.latency.p50", "otp", "call.latency.p50"));
    c.add(new Comparison("call", "overseer", "call.supervisedVerticle.throughput", "vertx", "call.throughput"));
    c.add(new Comparison("call", "overseer", "call.supervisedVerticle.latency.p50", "vertx", "call.latency.p50"));
    for (String peer : List.of("pekko", "otp")) {
      c.add(new Comparison("storm", "overseer", "storm.call.throughput", peer, "storm.call.throughput"));
      c.add(new Comparison("storm", "overseer", "storm.call.latency.p99", peer, "storm.call.latency.p99"));
    }
    c.add(new Comparison("storm", "overseer", "storm.call.throughput", "overseer", "call.throughput"));
    c.add(new Comparison("state", "micro", "state.micro.localStashPut", "micro", "state.micro.rawMapPut"));
    c.add(new Comparison("state", "micro", "state.micro.localStashPutEncoded", "micro", "state.micro.rawMapPut"));
    c.add(new Comparison("state", "overseer", "state.writeThrough.throughput", "vertx", "state.rawMap.throughput"));
    c.add(new Comparison("state", "overseer", "state.writeThrough.latency.p50", "vertx", "state.rawMap.latency.p50"));
    c.add(new Comparison("state", "overseer", "state.onTerminate.throughput", "vertx", "state.rawMap.throughput"));
    c.add(new Comparison("state", "overseer", "state.onTerminate.latency.p50", "vertx", "state.rawMap.latency.p50"));
    c.add(new Comparison("state", "overseer", "state.writeThrough.throughput", "overseer", "state.onTerminate.throughput"));
    c.add(new Comparison("cluster", "cluster", "cluster.writeThrough.throughput", "cluster", "cluster.raw.throughput"));
    c.add(new Comparison("cluster", "cluster", "cluster.writeThrough.concurrent.throughput", "cluster",
        "cluster.raw.concurrent.throughput"));
    c.add(new Comparison("cluster", "cluster", "cluster.writeThrough.latency.p50", "cluster", "cluster.raw.latency.p50"));
    c.add(new Comparison("cluster", "cluster", "cluster.writeThrough.latency.p99", "cluster", "cluster.raw.latency.p99"));
    c.add(new Comparison("failover", "overseer", "failover", "otp", "failover"));
    for (String peer : List.of("pekko", "otp")) {
      c.add(new Comparison("scale", "overseer", "scale.startAll", peer, "scale.startAll"));
      c.add(new Comparison("scale", "overseer", "scale.startRate", peer, "scale.startRate"));
      c.add(new Comparison("scale", "overseer", "scale.heapPerChild", peer, "scale.heapPerChild"));
      c.add(new Comparison("scale", "overseer", "scale.rssPerChild", peer, "scale.rssPerChild"));
      c.add(new Comparison("scale", "overseer", "oneForAll.restart.p50", peer, "oneForAll.restart.p50"));
    }
    c.add(new Comparison("scale", "overseer", "scale.startRate", "vertx", "scale.serial.startRate"));
    c.add(new Comparison("scale", "overseer", "scale.startRate", "vertx", "scale.pipelined.startRate"));
    c.add(new Comparison("scale", "overseer", "scale.heapPerChild", "vertx", "scale.heapPerChild"));
    c.add(new Comparison("scale", "overseer", "oneForAll.restart.p50", "vertx", "oneForAll.sequential.p50"));
    c.add(new Comparison("scale", "overseer", "oneForAll.restart.p50", "vertx", "oneForAll.allAtOnce.p50"));
    c.add(new Comparison("scale", "overseer", "oneForAll.server.any.restart.p50", "otp", "oneForAll.restart.p50"));
    c.add(new Comparison("scale", "overseer", "oneForAll.server.supervisor.restart.p50", "otp", "oneForAll.restart.p50"));
    c.add(new Comparison("scale", "overseer", "oneForAll.server.supervisor.restart.p50", "overseer",
        "oneForAll.server.any.restart.p50"));
    return c;
  }

  /**
   * One goal of issue 12: a comparison, the bound its ratio must meet, and the plain-Vert.x floor
   * (measured in the same run) that shows what bounds it, when there is one.
   */
  record Goal(String name, Comparison comparison, String op, double target, Comparison floor) {
  }

  /** The goals of issue 12, each as a ratio from the same run. */
  static final List<Goal> GOALS = List.of(
      new Goal("restart p50 warm <= 1.0x OTP (time to init)",
          new Comparison("restart", "overseer", "restart.p50", "otp", "restart.p50"), "<=", 1.0,
          new Comparison("restart", "overseer", "restart.p50", "vertx", "restart.p50")),
      new Goal("restart p50 cold <= 1.0x Pekko",
          new Comparison("restart", "overseer", "restart.cold.p50", "pekko", "restart.cold.p50"), "<=", 1.0,
          new Comparison("restart", "overseer", "restart.cold.p50", "vertx", "restart.cold.p50")),
      new Goal("ONE_FOR_ALL of 1,000 <= 1.0x OTP",
          new Comparison("scale", "overseer", "oneForAll.restart.p50", "otp", "oneForAll.restart.p50"), "<=", 1.0,
          new Comparison("scale", "overseer", "oneForAll.restart.p50", "vertx", "oneForAll.sequential.p50")),
      new Goal("ONE_FOR_ALL of 1,000 Server children, ChildLoop.SUPERVISOR, <= 1.0x OTP",
          new Comparison("scale", "overseer", "oneForAll.server.supervisor.restart.p50", "otp", "oneForAll.restart.p50"),
          "<=", 1.0,
          new Comparison("scale", "overseer", "oneForAll.server.supervisor.restart.p50", "vertx", "oneForAll.sequential.p50")),
      new Goal("start rate >= 1.0x Pekko",
          new Comparison("scale", "overseer", "scale.startRate", "pekko", "scale.startRate"), ">=", 1.0,
          new Comparison("scale", "overseer", "scale.startRate", "vertx", "scale.serial.startRate")),
      new Goal("start rate >= 0.9x the pipelined plain-Vert.x floor",
          new Comparison("scale", "overseer", "scale.startRate", "vertx", "scale.pipelined.startRate"), ">=", 0.9, null),
      new Goal("heap per idle child <= 1.0x Pekko (one context per child: the only mode today)",
          new Comparison("scale", "overseer", "scale.heapPerChild", "pekko", "scale.heapPerChild"), "<=", 1.0,
          new Comparison("scale", "overseer", "scale.heapPerChild", "vertx", "scale.heapPerChild")),
      new Goal("call throughput >= 0.95x a plain Vert.x consumer",
          new Comparison("call", "overseer", "call.throughput", "vertx", "call.throughput"), ">=", 0.95, null),
      new Goal("cluster WRITE_THROUGH throughput >= 0.9x raw IMap.setAsync",
          new Comparison("cluster", "cluster", "cluster.writeThrough.throughput", "cluster", "cluster.raw.throughput"),
          ">=", 0.9, null));

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
    java.util.TreeMap<Integer, JsonObject> reps = new java.util.TreeMap<>();
    JsonArray load = new JsonArray();
    for (int i = 3; i < args.length; i++) {
      if (args[i].startsWith("--load=")) {
        load = loads(Files.readAllLines(Path.of(args[i].substring(7))));
        continue;
      }
      Path file = Path.of(args[i]);
      merge(reps.computeIfAbsent(rep(file.getFileName().toString()), k -> new JsonObject()),
          new JsonObject(Files.readString(file)));
    }
    Instant now = Instant.now();
    JsonObject report = build(mode, args[2], now, machine().put("load", load), reps);
    Files.createDirectories(dir);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now);
    String text = report.encodePrettily() + "\n";
    Path file = dir.resolve(stamp + "-" + mode.name() + ".json");
    Files.writeString(file, text);
    Files.writeString(dir.resolve("latest.json"), text);
    System.out.print(table(report));
    System.out.println("report: " + file + " (and " + dir.resolve("latest.json") + ")");
  }

  /** @return the repetition a file holds, from its name ({@code overseer-main-r3.json} → 3; 1 without) */
  static int rep(String fileName) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("-r(\\d+)\\.json$").matcher(fileName);
    return m.find() ? Integer.parseInt(m.group(1)) : 1;
  }

  /**
   * @param lines {@code step rep epochSeconds load1 load5 load15 running/total}, as {@code bench/run}
   *     writes them from /proc/loadavg before each step
   * @return them as JSON, for the report
   */
  static JsonArray loads(List<String> lines) {
    JsonArray out = new JsonArray();
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 6) {
        continue;
      }
      JsonObject o = new JsonObject().put("step", f[0]).put("rep", Integer.parseInt(f[1])).put("epochSeconds", Long.parseLong(f[2]));
      try {
        o.put("load1", Double.parseDouble(f[3])).put("load5", Double.parseDouble(f[4])).put("load15", Double.parseDouble(f[5]));
      } catch (NumberFormatException e) {
        o.put("load1", (Object) null);
      }
      if (f.length > 6) {
        o.put("runnable", f[6]);
      }
      out.add(o);
    }
    return out;
  }

  /**
   * Folds the repetitions into one set of systems: each figure's value is its median over the
   * repetitions that have it, with {@code reps} (every value, in order), {@code min}, {@code max}
   * and {@code spread} = (max - min) / median. A system is ok when any repetition was.
   */
  static JsonObject aggregate(java.util.SortedMap<Integer, JsonObject> reps) {
    JsonObject systems = new JsonObject();
    for (Map.Entry<Integer, JsonObject> rep : reps.entrySet()) {
      rep.getValue().forEach(e -> {
        JsonObject side = (JsonObject) e.getValue();
        JsonObject into = systems.getJsonObject(e.getKey());
        if (into == null) {
          into = side.copy().put("figures", new JsonObject()).put("repStatus", new JsonObject())
              .put("skipped", new JsonObject()).put("notes", new JsonObject());
          systems.put(e.getKey(), into);
        }
        into.getJsonObject("repStatus").put(String.valueOf(rep.getKey()), side.getString("status"));
        into.getJsonObject("skipped").mergeIn(side.getJsonObject("skipped", new JsonObject()));
        into.getJsonObject("notes", new JsonObject()).mergeIn(side.getJsonObject("notes", new JsonObject()));
        if ("ok".equals(side.getString("status"))) {
          into.put("status", "ok").remove("reason");
        }
        JsonObject figures = into.getJsonObject("figures");
        side.getJsonObject("figures", new JsonObject()).forEach(f -> {
          JsonObject fig = (JsonObject) f.getValue();
          JsonObject agg = figures.getJsonObject(f.getKey());
          if (agg == null) {
            agg = new JsonObject().put("unit", fig.getString("unit")).put("better", fig.getString("better")).put("reps", new JsonArray());
            figures.put(f.getKey(), agg);
          }
          agg.getJsonArray("reps").add(fig.getValue("value"));
        });
      });
    }
    // A part that failed in one repetition marks its metrics skipped; where other repetitions
    // measured them, keep the figures and say which repetitions failed instead.
    systems.forEach(e -> {
      JsonObject side = (JsonObject) e.getValue();
      JsonObject skipped = side.getJsonObject("skipped");
      JsonObject partial = new JsonObject();
      for (String key : new ArrayList<>(skipped.fieldNames())) {
        boolean measured = side.getJsonObject("figures").fieldNames().stream()
            .anyMatch(m -> m.equals(key) || m.startsWith(key + "."));
        if (measured) {
          partial.put(key, skipped.remove(key));
        }
      }
      if (!partial.isEmpty()) {
        side.put("failedInSomeRepetitions", partial);
      }
    });
    systems.forEach(e -> ((JsonObject) e.getValue()).getJsonObject("figures").forEach(f -> {
      JsonObject agg = (JsonObject) f.getValue();
      List<Double> values = new ArrayList<>();
      agg.getJsonArray("reps").forEach(v -> values.add(((Number) v).doubleValue()));
      double median = CallFigures.median(values);
      double min = values.stream().mapToDouble(d -> d).min().orElse(0);
      double max = values.stream().mapToDouble(d -> d).max().orElse(0);
      agg.put("value", round3(median)).put("min", round3(min)).put("max", round3(max))
          .put("spread", median == 0 ? null : round3((max - min) / Math.abs(median)));
    }));
    return systems;
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** Metric prefixes each part of a system's run produces, for reporting a part that failed. */
  private static final Map<String, List<String>> PARTS = Map.of(
      "scale", List.of("scale"),
      "main", List.of("restart", "call", "state", "oneForAll", "storm", "vertx.call", "vertx.state", "vertx.restart",
          "vertx.oneForAll"),
      "vertx-scale", List.of("vertx.scale"),
      "cluster", List.of("cluster"));

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

  /** @return the report for one repetition's systems (tests, and runs of one JVM per system) */
  static JsonObject build(Mode mode, String command, Instant when, JsonObject machine, JsonObject systems) {
    java.util.TreeMap<Integer, JsonObject> reps = new java.util.TreeMap<>();
    reps.put(1, systems);
    return build(mode, command, when, machine, reps);
  }

  /**
   * @return the report: per figure the median over the repetitions and its spread; per ratio the
   *     ratio of the medians and the range of the ratios of pairs measured in the same repetition
   */
  static JsonObject build(Mode mode, String command, Instant when, JsonObject machine, java.util.SortedMap<Integer, JsonObject> reps) {
    JsonObject systems = aggregate(reps);
    JsonObject versions = new JsonObject();
    systems.forEach(e -> versions.put(e.getKey(), ((JsonObject) e.getValue()).getString("version", "unknown")));
    versions.put("vertx", Versions.vertx());
    JsonArray ratios = new JsonArray();
    for (Comparison c : COMPARISONS) {
      ratios.add(withRepRatios(compare(c, systems), c, reps));
    }
    JsonArray goals = new JsonArray();
    for (Goal g : GOALS) {
      goals.add(goal(g, systems, reps));
    }
    return new JsonObject()
        .put("run", new JsonObject().put("date", when.toString()).put("command", command).put("mode", mode.toJson()))
        .put("machine", machine)
        .put("versions", versions)
        .put("ratioMeaning", "ratio = Overseer's value / the peer's value; 'verdict' says which is better and by how much, "
            + "using each figure's direction (lower is better for times and bytes, higher for rates)")
        .put("repetitions", reps.size())
        .put("ratios", ratios)
        .put("goals", goals)
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

  /** Adds the ratio of each repetition where both figures exist, and their range. */
  static JsonObject withRepRatios(JsonObject ratio, Comparison c, java.util.SortedMap<Integer, JsonObject> reps) {
    if (!"ok".equals(ratio.getString("status"))) {
      return ratio;
    }
    JsonArray perRep = new JsonArray();
    for (JsonObject rep : reps.values()) {
      JsonObject one = compare(c, aggregate(new java.util.TreeMap<>(Map.of(1, rep))));
      if ("ok".equals(one.getString("status")) && one.getValue("ratio") != null) {
        perRep.add(one.getDouble("ratio"));
      }
    }
    ratio.put("repRatios", perRep);
    if (!perRep.isEmpty()) {
      ratio.put("ratioMin", perRep.stream().mapToDouble(v -> ((Number) v).doubleValue()).min().orElse(0))
          .put("ratioMax", perRep.stream().mapToDouble(v -> ((Number) v).doubleValue()).max().orElse(0));
    }
    return ratio;
  }

  /** @return the goal's ratio, whether it is met, and the plain-Vert.x floor beside it */
  static JsonObject goal(Goal g, JsonObject systems, java.util.SortedMap<Integer, JsonObject> reps) {
    JsonObject r = withRepRatios(compare(g.comparison(), systems), g.comparison(), reps);
    JsonObject out = new JsonObject().put("goal", g.name()).put("target", g.op() + " " + g.target()).put("comparison", r);
    if (!"ok".equals(r.getString("status")) || r.getValue("ratio") == null) {
      out.put("met", (Object) null).put("status", "not measured: " + r.getString("reason", "a zero value"));
    } else {
      double ratio = r.getDouble("ratio");
      boolean met = g.op().equals("<=") ? ratio <= g.target() : ratio >= g.target();
      out.put("met", met).put("status", met ? "met" : "missed");
    }
    if (g.floor() != null) {
      out.put("floor", withRepRatios(compare(g.floor(), systems), g.floor(), reps));
    }
    return out;
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
    String fmt = "%-9s %-42s %-34s %12s %12s %-10s %s%n";
    sb.append(String.format(Locale.ROOT, fmt, "scenario", "overseer metric", "peer", "overseer", "peer value", "unit", "verdict"));
    for (Object o : report.getJsonArray("ratios")) {
      JsonObject r = (JsonObject) o;
      if ("ok".equals(r.getString("status"))) {
        String range = r.getValue("ratioMin") == null ? ""
            : String.format(Locale.ROOT, " (ratio %s, per repetition %s..%s)", r.getValue("ratio"), r.getValue("ratioMin"), r.getValue("ratioMax"));
        sb.append(String.format(Locale.ROOT, fmt, r.getString("scenario"), r.getString("metric"), r.getString("peer") + peerMetric(r),
            number(r.getDouble("value")), number(r.getDouble("peerValue")), r.getString("unit"), r.getString("verdict") + range));
      } else {
        sb.append(String.format(Locale.ROOT, fmt, r.getString("scenario"), r.getString("metric"), r.getString("peer"),
            "-", "-", "", "SKIPPED: " + r.getString("reason")));
      }
    }
    JsonArray goals = report.getJsonArray("goals", new JsonArray());
    if (!goals.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%nissue 12 goals:%n"));
      for (Object o : goals) {
        JsonObject g = (JsonObject) o;
        JsonObject c = g.getJsonObject("comparison");
        sb.append(String.format(Locale.ROOT, "  %-75s %-8s ratio %s%n", g.getString("goal"), g.getString("status"),
            c.getValue("ratio") == null ? "-" : c.getValue("ratio")));
      }
    }
    return sb.toString();
  }

  private static String peerMetric(JsonObject r) {
    return r.getString("metric").equals(r.getString("peerMetric")) ? "" : " " + r.getString("peerMetric");
  }

  private static String number(double v) {
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
