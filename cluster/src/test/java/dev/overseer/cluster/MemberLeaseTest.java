package dev.overseer.cluster;

import dev.overseer.cluster.testing.TestClusters;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The lease on a real two-member cluster (quorum 2): each member's lease needs the other. */
class MemberLeaseTest {

  private static void until(Duration deadline, BooleanSupplier condition, String what) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what).isLessThan(end);
      Thread.onSpinWait();
    }
  }

  /**
   * A member merging back after a split confirms no lease until its merge is done (its data is
   * not in the cluster yet), so a side that regains its quorum only through it starts nothing
   * before then; nor does it renew its own.
   */
  @Test
  void aMergingMemberConfirmsNoLeaseUntilItsMergeIsDone() throws Exception {
    String name = TestClusters.randomName();
    List<Integer> ports = TestClusters.freePorts(2);
    List<Future<OverseerCluster>> starting = ports.stream()
        .map(p -> OverseerCluster.start(TestClusters.options(name, p, ports).setQuorum(2))).toList();
    List<OverseerCluster> members = new ArrayList<>();
    try {
      for (Future<OverseerCluster> f : starting) {
        members.add(f.await(60, TimeUnit.SECONDS));
      }
      MemberLease a = members.get(0).lease();
      MemberLease b = members.get(1).lease();
      until(Duration.ofSeconds(20), () -> a.valid() && b.valid(), "both leases granted");

      b.merging(true);
      assertThat(b.isMerging()).isTrue();
      // each runs out when its last renewal's lease ends (they were granted at different moments)
      until(Duration.ofSeconds(10), () -> !a.valid(), "a's lease runs out: its only peer is merging");
      until(Duration.ofSeconds(10), () -> !b.valid(), "nor does the merging member renew its own");
      assertThat(a.refusal()).contains("holds no lease");
      assertThat(a.valid()).as("not renewed meanwhile").isFalse();

      b.merging(false);
      until(Duration.ofSeconds(10), () -> a.valid() && b.valid(), "both leases back once the merge is done");
    } finally {
      TestClusters.closeAll(members);
    }
  }
}
