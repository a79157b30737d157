package dev.overseer.console.testing;

import dev.overseer.ChildSpec;
import dev.overseer.cluster.ClusterOptions;
import dev.overseer.cluster.DistributedSupervisor;
import dev.overseer.cluster.DistributedSupervisorOptions;
import dev.overseer.cluster.OverseerCluster;
import dev.overseer.console.Console;
import dev.overseer.console.ConsoleOptions;
import io.vertx.core.Future;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Hazelcast cluster of {@code n} members in this JVM (loopback, TCP-IP join on free ports,
 * a random cluster name, no multicast, no shutdown hook), a distributed supervisor {@value #DS}
 * of {@link IdleChild}ren on every member, and a console on member 0. {@link #close} closes
 * everything, whatever happens.
 */
public final class ClusterFixture implements AutoCloseable {

  /** The distributed supervisor's name. */
  public static final String DS = "workers";

  public final List<OverseerCluster> members = new ArrayList<>();
  public final List<DistributedSupervisor> supervisors = new ArrayList<>();
  public Console console;

  private ClusterFixture() {
  }

  /** Starts the members, the distributed supervisors and the console on member 0. */
  public static ClusterFixture start(int n, ConsoleOptions consoleOptions) {
    ClusterFixture fx = new ClusterFixture();
    try {
      String name = "console-" + UUID.randomUUID();
      List<Integer> ports = freePorts(n);
      List<Future<OverseerCluster>> starting = new ArrayList<>();
      for (int p : ports) {
        ClusterOptions o = new ClusterOptions().setClusterName(name).setPort(p).setPortAutoIncrement(false)
            .setShutdownHook(false);
        for (int q : ports) {
          o.addMember("127.0.0.1:" + q);
        }
        starting.add(OverseerCluster.start(o));
      }
      for (Future<OverseerCluster> f : starting) {
        fx.members.add(f.await(60, TimeUnit.SECONDS));
      }
      for (OverseerCluster m : fx.members) {
        DistributedSupervisor ds = new DistributedSupervisor(m.hazelcast(), new DistributedSupervisorOptions().setName(DS)
            .addAllowedVerticle(IdleChild.class.getName()));
        m.vertx().deployVerticle(ds).await(30, TimeUnit.SECONDS);
        fx.supervisors.add(ds);
      }
      // every member must see every supervisor member before children are placed, so they spread
      Poll.until("every supervisor member seen", Duration.ofSeconds(30), () -> fx.supervisors.stream()
          .allMatch(s -> s.supervisorMembersCount().toCompletionStage().toCompletableFuture().join() == n));
      fx.console = Console.start(fx.members.get(0).vertx(), consoleOptions.setToken(Fixture.TOKEN).setPort(0))
          .await(30, TimeUnit.SECONDS);
      return fx;
    } catch (Exception e) {
      fx.close();
      throw new IllegalStateException("the test cluster did not start", e);
    }
  }

  /** Starts {@code count} idle children {@code prefix0..} through member 0's supervisor. */
  public List<String> startChildren(String prefix, int count) throws Exception {
    List<Future<String>> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(supervisors.get(0).startChild(ChildSpec.verticle(prefix + i, IdleChild.class.getName())));
    }
    List<String> ids = new ArrayList<>();
    for (Future<String> f : started) {
      ids.add(f.await(30, TimeUnit.SECONDS));
    }
    return ids;
  }

  /** @return member {@code i}'s node id */
  public String node(int i) {
    return members.get(i).nodeId();
  }

  @Override
  public void close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (OverseerCluster m : members) {
      closing.add(m.close());
    }
    for (Future<Void> f : closing) {
      try {
        f.await(30, TimeUnit.SECONDS);
      } catch (Throwable ignored) {
        // keep closing the others
      }
    }
  }

  private static List<Integer> freePorts(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // only probing for free ports
        }
      }
    }
  }
}
