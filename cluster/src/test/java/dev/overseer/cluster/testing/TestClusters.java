package dev.overseer.cluster.testing;

import dev.overseer.cluster.ClusterOptions;
import dev.overseer.cluster.OverseerCluster;
import io.vertx.core.Future;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Cluster settings for tests: loopback only, TCP-IP join on free ports, a random cluster name,
 * merge delays lowered to 5 s, no shutdown hook (tests close members themselves). Shared by every
 * cluster test class (and the distributed supervisor's).
 */
public final class TestClusters {

  private TestClusters() {
  }

  /** @return a cluster name no other test uses */
  public static String randomName() {
    return "test-" + UUID.randomUUID();
  }

  /** @return {@code n} distinct ports free on 127.0.0.1 right now */
  public static List<Integer> freePorts(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        s.setReuseAddress(true);
        held.add(s);
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // only probing for a free port
        }
      }
    }
  }

  /**
   * @param clusterName the cluster's name
   * @param port this member's port
   * @param ports every member's port (the join list)
   * @return options for one member of a test cluster
   */
  public static ClusterOptions options(String clusterName, int port, List<Integer> ports) {
    ClusterOptions o = new ClusterOptions()
        .setClusterName(clusterName)
        .setPort(port)
        .setPortAutoIncrement(false)
        .setShutdownHook(false)
        .setMergeFirstRunDelaySeconds(5)
        .setMergeNextRunDelaySeconds(5);
    for (int p : ports) {
      o.addMember("127.0.0.1:" + p);
    }
    return o;
  }

  /**
   * Starts {@code n} members in this JVM, concurrently.
   *
   * @return the members, in port order; close them with {@link #closeAll}
   */
  public static List<OverseerCluster> start(int n) {
    return start(randomName(), freePorts(n));
  }

  /** @return members on {@code ports} of cluster {@code clusterName}, started concurrently */
  public static List<OverseerCluster> start(String clusterName, List<Integer> ports) {
    return start(clusterName, ports, ports);
  }

  /**
   * @param own the ports of the members to start here
   * @param all every member's port (the join list), including members started elsewhere
   * @return members on {@code own} ports of cluster {@code clusterName}, started concurrently
   */
  public static List<OverseerCluster> start(String clusterName, List<Integer> own, List<Integer> all) {
    return start(clusterName, own, all, 0);
  }

  /**
   * Starts {@code n} members in this JVM, each with a single Hazelcast event thread (read at each
   * member's start), so that one held listener ({@link HeldEventThread}) holds every event of its
   * member, membership events included.
   *
   * @return the members, in port order; close them with {@link #closeAll}
   */
  public static List<OverseerCluster> startWithOneEventThread(int n) {
    String property = "hazelcast.event.thread.count";
    String before = System.getProperty(property);
    System.setProperty(property, "1");
    try {
      return start(n);
    } finally {
      if (before == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, before);
      }
    }
  }

  /**
   * @param n how many members
   * @param quorum the members' {@link ClusterOptions#setQuorum quorum} (2 or more keeps a member lease)
   * @return {@code n} members of a new cluster, started concurrently
   */
  public static List<OverseerCluster> startWithQuorum(int n, int quorum) {
    List<Integer> ports = freePorts(n);
    return start(randomName(), ports, ports, quorum);
  }

  private static List<OverseerCluster> start(String clusterName, List<Integer> own, List<Integer> all, int quorum) {
    List<Future<OverseerCluster>> starting = new ArrayList<>();
    for (int p : own) {
      starting.add(OverseerCluster.start(options(clusterName, p, all).setQuorum(quorum)));
    }
    List<OverseerCluster> members = new ArrayList<>();
    Throwable failure = null;
    for (Future<OverseerCluster> f : starting) {
      try {
        members.add(f.await(60, TimeUnit.SECONDS));
      } catch (Throwable t) {
        failure = t;
      }
    }
    if (failure != null) {
      closeAll(members);
      throw new IllegalStateException("a test member did not start", failure);
    }
    return members;
  }

  /** Closes every member, whatever happens to the others. */
  public static void closeAll(List<OverseerCluster> members) {
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

  /**
   * @return the first {@code n} keys {@code prefix + i} whose partition, as {@code member} sees
   *     it, is owned by the member listening on {@code port}: what a test that kills or pauses a
   *     partition's owner writes to
   * @throws AssertionError if 10,000 candidates do not give {@code n}
   */
  public static List<String> keysOwnedBy(OverseerCluster member, int port, String prefix, int n) {
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; keys.size() < n; i++) {
      if (i >= 10_000) {
        throw new AssertionError(n + " keys owned by the member on port " + port + " among 10,000");
      }
      String key = prefix + i;
      if (member.hazelcast().getPartitionService().getPartition(key).getOwner().getAddress().getPort() == port) {
        keys.add(key);
      }
    }
    return keys;
  }
}
