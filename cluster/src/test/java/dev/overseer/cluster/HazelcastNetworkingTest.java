package dev.overseer.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.EndpointQualifier;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import dev.overseer.cluster.impl.HazelcastConfigs;
import dev.overseer.cluster.testing.Poll;
import dev.overseer.cluster.testing.TestClusters;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Hazelcast networking Overseer configures, against the fault that dropped healthy members:
 * a peer whose kernel accepts a connection but which never answers it (a process stopped with
 * SIGSTOP). With Hazelcast's default (unified) networking, the connecting member's output IO
 * thread re-queues that connection's pipeline forever and never selects again, so every other
 * connection it serves stops sending (docs/cluster.md, "A healthy member dropped after a peer's
 * pause").
 */
class HazelcastNetworkingTest {

  /** How long the IO threads are watched; a spinning one burns nearly all of it. */
  private static final Duration WINDOW = Duration.ofSeconds(2);

  @Test
  void aConnectionToAPeerThatAcceptsButNeverAnswersKeepsNoIoThreadBusy() throws Exception {
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            held.add(silent.accept()); // accepted by the kernel, never read nor answered
          }
        } catch (Exception closed) {
          // the test is over
        }
      }, "silent-peer");
      acceptor.setDaemon(true);
      acceptor.start();
      int port = TestClusters.freePorts(1).get(0);
      HazelcastInstance hz = Hazelcast.newHazelcastInstance(HazelcastConfigs.create(
          TestClusters.options(TestClusters.randomName(), port, List.of(port))));
      try {
        String prefix = "hz." + hz.getName() + ".IO.thread-out";
        // What a member does when an operation targets a peer that stopped answering: connect to it.
        ((HazelcastInstanceProxy) hz).getOriginal().node.getServer().getConnectionManager(EndpointQualifier.MEMBER)
            .getOrConnect(new Address("127.0.0.1", silent.getLocalPort()));
        Poll.until("the silent peer accepted the connection", Duration.ofSeconds(10), () -> !held.isEmpty());

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadCpuTimeSupported()).isTrue();
        Map<Long, Long> before = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo t : threads.dumpAllThreads(false, false)) {
          if (t.getThreadName().startsWith(prefix)) {
            before.put(t.getThreadId(), threads.getThreadCpuTime(t.getThreadId()));
            names.put(t.getThreadId(), t.getThreadName());
          }
        }
        assertThat(before).as("the member's output IO threads").isNotEmpty();
        long end = System.nanoTime() + WINDOW.toNanos();
        while (System.nanoTime() < end) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        for (Map.Entry<Long, Long> t : before.entrySet()) {
          long busy = threads.getThreadCpuTime(t.getKey()) - t.getValue();
          assertThat(busy).as("CPU time of %s in %s while the connection waits for its peer", names.get(t.getKey()), WINDOW)
              .isLessThan(WINDOW.toNanos() / 20);
        }
      } finally {
        hz.shutdown();
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }
}
