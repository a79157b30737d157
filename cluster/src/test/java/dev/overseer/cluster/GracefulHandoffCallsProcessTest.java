package dev.overseer.cluster;

import static dev.overseer.cluster.testing.Poll.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.overseer.cluster.testing.DsMemberMain;
import dev.overseer.cluster.testing.MemberProcess;
import dev.overseer.cluster.testing.TestClusters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's promise for a graceful leave: callers through {@code ServerRef} see a delay, not an
 * error. Three member JVMs run {@code Server} counters (WRITE_THROUGH) under the distributed
 * supervisor; a client on one member calls every counter through {@code ServerRef} every 10 ms
 * (1.5 s timeout) while another member gets SIGTERM. Kills its processes by PID at the end.
 */
class GracefulHandoffCallsProcessTest {

  private static final Duration CALL = Duration.ofSeconds(10);
  private static final int COUNTERS = 12;

  private final List<MemberProcess> procs = new ArrayList<>();

  @AfterEach
  void killAll() {
    procs.forEach(MemberProcess::close);
  }


  /** One acknowledged call, as the client printed it: {@code called <id> <value> <node> <epoch> <sentMs>}. */
  record Called(String id, long value, String node, long epoch, long sent) {
    static Called parse(String line) {
      String[] w = line.split(" ");
      return new Called(w[1], Long.parseLong(w[2]), w[3], Long.parseLong(w[4]), Long.parseLong(w[5]));
    }
  }

  private static List<Called> called(MemberProcess client) {
    return client.events().stream().filter(l -> l.startsWith("called ")).map(Called::parse).toList();
  }

  @Test
  void callsInFlightThroughAGracefulLeaveAreDelayedNeverFailed() throws Exception {
    String name = TestClusters.randomName();
    List<Integer> ports = TestClusters.freePorts(3);
    List<CompletableFuture<MemberProcess>> starting = new ArrayList<>();
    for (int p : ports) {
      starting.add(CompletableFuture.supplyAsync(() -> {
        try {
          return MemberProcess.start(DsMemberMain.class, name, p, ports, true);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<MemberProcess> f : starting) {
      try {
        procs.add(f.join());
      } catch (RuntimeException e) {
        starting.forEach(g -> g.thenAccept(MemberProcess::close));
        throw e;
      }
    }
    until(Duration.ofSeconds(30), () -> procs.stream().allMatch(p -> {
      try {
        return "3".equals(p.call(CALL, "members"));
      } catch (Exception e) {
        return false;
      }
    }));
    MemberProcess client = procs.get(0);
    MemberProcess leaving = procs.get(1);
    List<String> ids = DistributedSupervisorTest.spreadIds("s", COUNTERS, procs.stream().map(MemberProcess::nodeId).toList());
    for (String id : ids) {
      assertThat(client.call(CALL, "startserver", id)).isEqualTo(id);
    }
    for (String id : ids) {
      client.call(CALL, "callhammer", id);
    }
    // every counter answered a few times, and the leaving member serves some of them
    until(Duration.ofSeconds(30), () -> ids.stream().allMatch(id -> called(client).stream().filter(c -> c.id().equals(id)).count() >= 3));
    List<String> theirs = called(client).stream().filter(c -> c.node().equals(leaving.nodeId())).map(Called::id).distinct().toList();
    assertThat(theirs).isNotEmpty();

    long signal = System.currentTimeMillis();
    leaving.terminate(Duration.ofSeconds(60));
    // each of its counters answered again from another member, to a call sent after the signal
    until(Duration.ofSeconds(30), () -> theirs.stream().allMatch(id -> called(client).stream()
        .anyMatch(c -> c.id().equals(id) && !c.node().equals(leaving.nodeId()) && c.sent() > signal)));
    // and a few more rounds for every counter
    int before = called(client).size();
    until(Duration.ofSeconds(30), () -> called(client).size() >= before + 3 * COUNTERS);
    assertThat(client.call(CALL, "stopcalls")).isEqualTo("stopped");

    List<String> failed = client.events().stream().filter(l -> l.startsWith("callfailed ")).toList();
    assertThat(failed).as("calls that failed or timed out (a graceful leave must be a delay, not an error)").isEmpty();
    assertThat(procs.get(2).events().stream().filter(l -> l.startsWith("CHILD_FAILED_OVER "))).isEmpty();
    Map<String, List<Called>> byId = new HashMap<>();
    called(client).forEach(c -> byId.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(c));
    for (String id : ids) {
      List<Called> list = byId.get(id);
      // every call was acknowledged, so the values are 1, 2, 3 ... with no gap and no repeat:
      // nothing acknowledged was lost, and nothing was applied twice
      for (int i = 0; i < list.size(); i++) {
        assertThat(list.get(i).value()).as("%s's acknowledgement #%d", id, i + 1).isEqualTo(i + 1);
      }
      // never two live instances: each epoch answers from one member, and epochs never go back
      Map<Long, String> nodeOfEpoch = new HashMap<>();
      long last = 0;
      for (Called c : list) {
        assertThat(nodeOfEpoch.putIfAbsent(c.epoch(), c.node())).as("%s epoch %d on two members", id, c.epoch())
            .isIn(null, c.node());
        assertThat(c.epoch()).as("%s's epochs never go back", id).isGreaterThanOrEqualTo(last);
        last = c.epoch();
      }
      String[] end = client.call(CALL, "callserver", id).split(" ");
      assertThat(Long.parseLong(end[0])).as("%s's value at the end", id).isEqualTo(list.size());
      assertThat(end[1]).as("%s runs on a member that stayed", id).isNotEqualTo(leaving.nodeId());
    }
  }
}
