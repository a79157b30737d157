package dev.overseer.bench;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import dev.overseer.cluster.ClusterOptions;
import dev.overseer.cluster.impl.HazelcastConfigs;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The peer of {@link FailoverBench}: one member JVM of a Vert.x cluster with Vert.x's own HA
 * ({@code VertxOptions.setHAEnabled(true)}, default HA group, quorum 1), on exactly the Hazelcast
 * configuration an Overseer member gets ({@link HazelcastConfigs#create}: loopback TCP-IP join,
 * 1 s heartbeat, 5 s max-no-heartbeat, the bench's random cluster name). It deploys HA verticles
 * ({@code DeploymentOptions.setHa(true)}, by name, as HA requires) on command; each one prints
 * {@code HASTARTED <id> <node> <epoch ms>} when it starts, here or after a failover elsewhere, and
 * the member prints {@code REMOVED <epoch ms>} when Hazelcast removes another member. A SIGTERM
 * closes Vert.x (a JVM shutdown hook), the clean leave on which HA does not redeploy.
 *
 * <p>Commands on stdin, one per line: {@code <id> deploy <from> <to>} (HA verticles
 * {@code h<from>}…{@code h<to - 1>}), {@code <id> members}, {@code <id> safe} (no partition migrating, every backup in sync), {@code <id> master} (whether this
 * member is Hazelcast's master); replies {@code <id> OK <text>} or
 * {@code <id> ERR <text>}.
 */
public final class VertxHaPeer {

  private static volatile PrintStream out = System.out;
  private static volatile String node = "?";

  private VertxHaPeer() {
  }

  /** An HA verticle that announces its start and does nothing else (as FailoverBench's idle child). */
  public static final class HaIdle extends VerticleBase {
    @Override
    public Future<?> start() {
      out.println("HASTARTED " + config().getString("id") + " " + node + " " + System.currentTimeMillis());
      return Future.succeededFuture();
    }
  }

  /**
   * Runs one member.
   *
   * @param cluster the cluster name
   * @param port this member's Hazelcast port
   * @param ports every member's port, comma-separated
   */
  static void member(String cluster, int port, String ports) throws Exception {
    out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ClusterOptions options = new ClusterOptions().setClusterName(cluster).setPort(port).setPortAutoIncrement(false).setQuorum(2);
    for (String p : ports.split(",")) {
      options.addMember("127.0.0.1:" + p);
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(HazelcastConfigs.create(options.validate()));
    VertxOptions vo = new VertxOptions().setHAEnabled(true);
    vo.getEventBusOptions().setHost("127.0.0.1").setPort(0).setClusterPublicHost("127.0.0.1");
    Vertx vertx = Vertx.builder().with(vo).withClusterManager(manager).buildClustered().await(60, TimeUnit.SECONDS);
    node = manager.getNodeId();
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        out.println("REMOVED " + System.currentTimeMillis());
      }
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the JVM is going down either way
      }
    }, "ha-peer-close"));
    out.println("READY " + node);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.split(" ");
      Future<String> r;
      switch (w[1]) {
        case "deploy": {
          int from = Integer.parseInt(w[2]);
          int to = Integer.parseInt(w[3]);
          List<Future<String>> all = new ArrayList<>();
          for (int i = from; i < to; i++) {
            all.add(vertx.deployVerticle(HaIdle.class.getName(),
                new DeploymentOptions().setHa(true).setConfig(new JsonObject().put("id", "h" + i))));
          }
          r = Future.all(all).map(v -> "deployed");
          break;
        }
        case "members":
          r = Future.succeededFuture(String.valueOf(manager.getHazelcastInstance().getCluster().getMembers().size()));
          break;
        case "safe":
        case "master":
          r = Future.succeededFuture(FailoverBench.clusterState(manager.getHazelcastInstance(), w[1]));
          break;
        default:
          r = Future.failedFuture("unknown " + w[1]);
      }
      String id = w[0];
      r.onComplete(ok -> out.println(id + " OK " + ok), err -> out.println(id + " ERR " + err));
    }
  }
}
