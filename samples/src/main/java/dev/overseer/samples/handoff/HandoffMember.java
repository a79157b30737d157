package dev.overseer.samples.handoff;

import dev.overseer.ChildSpec;
import dev.overseer.cluster.ClusterOptions;
import dev.overseer.cluster.DistributedSupervisor;
import dev.overseer.cluster.DistributedSupervisorOptions;
import dev.overseer.cluster.OverseerCluster;
import dev.overseer.server.ServerRef;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One member of the handoff sample, in its own JVM: a clustered Vert.x (expected size 3, quorum
 * 2) running the distributed supervisor {@code counters}. Driven over stdin by
 * {@link HandoffSample}: {@code <n> start <count>}, {@code <n> client} (one loop per counter
 * calling {@code inc} through {@link ServerRef}, each acknowledgement printed as
 * {@code ACK <counter> <value> <node> <epoch> <sentMs> <ackMs>}, each failure as
 * {@code NACK <counter> <sentMs> <reason>}), {@code <n> stopclient}, {@code <n> get <counter>},
 * {@code <n> exit}. Answers {@code <n> OK <result>} or {@code <n> ERR <reason>}. SIGTERM is a
 * graceful leave (the cluster's shutdown hook).
 */
final class HandoffMember {

  static final String SUPERVISOR = "counters";

  /** The client's call timeout. */
  static final long CALL_TIMEOUT_MS = 1500;

  private HandoffMember() {
  }

  static String counter(int i) {
    return "counter-" + i;
  }

  static int run(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    String clusterName = args[0];
    int port = Integer.parseInt(args[1]);
    ClusterOptions options = new ClusterOptions().setClusterName(clusterName).setPort(port).setPortAutoIncrement(false)
        .setQuorum(2).setMergeFirstRunDelaySeconds(5).setMergeNextRunDelaySeconds(5);
    for (String p : args[2].split(",")) {
      options.addMember("127.0.0.1:" + p);
    }
    OverseerCluster member = OverseerCluster.start(options).await(60, TimeUnit.SECONDS);
    Vertx vertx = member.vertx();
    DistributedSupervisor sup = new DistributedSupervisor(member.hazelcast(), new DistributedSupervisorOptions()
        .setName(SUPERVISOR).addAllowedVerticle(HandoffCounter.class.getName()).setExpectedMembers(3));
    sup.addListener(e -> out.println("MOVED " + e.type() + " " + e.childId() + " " + e.details().getLong("unavailableMillis")));
    vertx.deployVerticle(sup).await(60, TimeUnit.SECONDS);
    if (args.length > 3 && args[3].equals("console")) {
      dev.overseer.console.Console console = dev.overseer.console.Console.start(vertx,
          new dev.overseer.console.ConsoleOptions().setPort(0)).await(30, TimeUnit.SECONDS);
      out.println("CONSOLE " + console.url());
    }
    out.println("READY " + member.nodeId());

    AtomicBoolean clientOn = new AtomicBoolean();
    AtomicInteger inFlight = new AtomicInteger();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.split(" ", 3);
      String id = w[0];
      String rest = w.length > 2 ? w[2] : "";
      Future<String> result;
      try {
        switch (w[1]) {
          case "start": {
            int n = Integer.parseInt(rest);
            Future<String> all = Future.succeededFuture("");
            for (int i = 0; i < n; i++) {
              String name = counter(i);
              ChildSpec spec = ChildSpec.verticle(name, HandoffCounter.class.getName())
                  .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("overseer",
                      new JsonObject().put("name", name).put("persistence", new JsonObject().put("mode", "WRITE_THROUGH")))));
              all = all.compose(v -> sup.startChild(spec));
            }
            result = all.map(v -> Integer.toString(n));
            break;
          }
          case "client": {
            clientOn.set(true);
            int n = Integer.parseInt(rest);
            for (int i = 0; i < n; i++) {
              loop(vertx, out, counter(i), clientOn, inFlight);
            }
            result = Future.succeededFuture("on");
            break;
          }
          case "stopclient": {
            clientOn.set(false);
            result = untilZero(vertx, inFlight).map(v -> "off");
            break;
          }
          case "get":
            result = ServerRef.of(vertx, rest).call("get", Duration.ofSeconds(10))
                .map(r -> ((JsonObject) r).getLong("value") + " " + ((JsonObject) r).getString("node"));
            break;
          case "exit":
            member.close().await(30, TimeUnit.SECONDS);
            out.println(id + " OK bye");
            return 0;
          default:
            result = Future.failedFuture("unknown command " + w[1]);
        }
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ok -> out.println(id + " OK " + ok), err -> out.println(id + " ERR " + String.valueOf(err).replace('\n', ' ')));
    }
    member.close().await(30, TimeUnit.SECONDS);
    return 0;
  }

  /** One client loop: call inc, print the outcome, call again 20 ms later (the workload's pace). */
  private static void loop(Vertx vertx, PrintStream out, String name, AtomicBoolean on, AtomicInteger inFlight) {
    if (!on.get()) {
      return;
    }
    inFlight.incrementAndGet();
    long sent = System.currentTimeMillis();
    // A short timeout: a request that reached a member as it went away waits all of it.
    ServerRef.of(vertx, name).call("inc", Duration.ofMillis(CALL_TIMEOUT_MS)).onComplete(ar -> {
      long now = System.currentTimeMillis();
      if (ar.succeeded()) {
        JsonObject r = (JsonObject) ar.result();
        out.println("ACK " + name + " " + r.getLong("value") + " " + r.getString("node") + " " + r.getLong("epoch") + " " + sent + " " + now);
      } else {
        out.println("NACK " + name + " " + sent + " " + String.valueOf(ar.cause().getMessage()).replace('\n', ' '));
      }
      inFlight.decrementAndGet();
      vertx.setTimer(20, t -> loop(vertx, out, name, on, inFlight));
    });
  }

  private static Future<Void> untilZero(Vertx vertx, AtomicInteger inFlight) {
    if (inFlight.get() == 0) {
      return Future.succeededFuture();
    }
    return vertx.timer(10).compose(v -> untilZero(vertx, inFlight));
  }

  static List<String> jvmFlags() {
    return List.of("-Djava.net.preferIPv4Stack=true", "-Dvertx.disableDnsResolver=true",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-opens", "java.management/sun.management=ALL-UNNAMED",
        "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
  }
}
