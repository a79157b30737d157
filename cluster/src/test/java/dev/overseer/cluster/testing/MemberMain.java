package dev.overseer.cluster.testing;

import com.hazelcast.cluster.Member;
import dev.overseer.NameRecord;
import dev.overseer.cluster.ClusterOptions;
import dev.overseer.cluster.HazelcastNameRegistry;
import dev.overseer.cluster.OverseerCluster;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster member in its own JVM, driven by {@link MemberProcess} over stdin/stdout lines.
 *
 * <p>Arguments: cluster name, own port, every member's port (comma-separated), and optionally
 * whether to install the shutdown hook (default true). Prints {@code READY <nodeId>} once joined
 * and {@code LIFECYCLE <state>} on every Hazelcast lifecycle change. Reads {@code <id> <verb> <args…>} lines and answers
 * {@code <id> OK <result>} or {@code <id> ERR <message>}. Verbs: {@code put <key> <epoch> <json>},
 * {@code get <key>}, {@code claim <key>}, {@code register <name>} (deploys a holder verticle that
 * answers requests on address {@code <name>} with its node id, and registers the name),
 * {@code server <name>} (deploys a {@link ClusterCounter}),
 * {@code owner <key>} (node id of the key's partition owner in the stash map), {@code exit}.
 */
public final class MemberMain {

  /** System property: the member's {@code ClusterOptions.backupCount} (default the options' own). */
  public static final String BACKUP_COUNT = "overseer.test.backupCount";

  private MemberMain() {
  }

  /** @param args cluster name, own port, all ports comma-separated */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    List<Integer> ports = new ArrayList<>();
    for (String p : args[2].split(",")) {
      ports.add(Integer.parseInt(p));
    }
    boolean hook = args.length < 4 || Boolean.parseBoolean(args[3]);
    OverseerCluster member = OverseerCluster.start(TestClusters.options(args[0], Integer.parseInt(args[1]), ports)
        .setShutdownHook(hook).setBackupCount(Integer.getInteger(BACKUP_COUNT, ClusterOptions.DEFAULT_BACKUP_COUNT)))
        .await(60, TimeUnit.SECONDS);
    member.hazelcast().getLifecycleService().addLifecycleListener(e -> out.println("LIFECYCLE " + e.getState()));
    out.println("READY " + member.nodeId());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.split(" ", 3);
      String id = w[0];
      String verb = w[1];
      String rest = w.length > 2 ? w[2] : "";
      Future<String> result;
      try {
        result = switch (verb) {
          case "put" -> {
            String[] a = rest.split(" ", 3);
            yield member.stash().put(a[0], a[2], 1, Long.parseLong(a[1])).map(e -> Long.toString(e.revision()));
          }
          case "get" -> member.stash().get(rest).map(e -> e.map(x -> x.json()).orElse("none"));
          case "claim" -> member.stash().claim(rest).map(String::valueOf);
          case "owner" -> {
            Member owner = member.hazelcast().getPartitionService().getPartition(rest).getOwner();
            yield Future.succeededFuture(owner == null ? "none" : owner.getAttribute(HazelcastNameRegistry.NODE_ID_ATTRIBUTE));
          }
          case "register" -> member.vertx().deployVerticle(new Holder(rest)).map(d -> d);
          case "server" -> member.vertx().deployVerticle(new ClusterCounter(rest)).map(d -> d);
          case "exit" -> {
            member.close().await(30, TimeUnit.SECONDS);
            out.println(id + " OK bye");
            System.exit(0);
            yield Future.succeededFuture("bye");
          }
          default -> Future.failedFuture("unknown verb " + verb);
        };
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ok -> out.println(id + " OK " + ok), err -> out.println(id + " ERR " + String.valueOf(err).replace('\n', ' ')));
    }
    member.close().await(30, TimeUnit.SECONDS);
    System.exit(0);
  }

  /** Holds a name and answers requests to it with this member's node id. */
  public static final class Holder extends VerticleBase {
    private final String name;

    /** @param name the name to hold (also the event-bus address) */
    public Holder(String name) {
      this.name = name;
    }

    @Override
    public Future<?> start() {
      String node = dev.overseer.Overseer.nodeId(vertx);
      return vertx.eventBus().consumer(name, m -> m.reply(node)).completion()
          .compose(v -> dev.overseer.Overseer.nameRegistry(vertx).register(new NameRecord(name, "server", node, deploymentID())));
    }
  }
}
