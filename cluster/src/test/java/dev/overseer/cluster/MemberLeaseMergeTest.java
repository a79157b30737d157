package dev.overseer.cluster;

import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #10: after a split, a member merging back into another side must not give that side its
 * quorum back before the data it brings is merged. Two members, quorum 2: while one is merging
 * (Hazelcast's lifecycle between {@code MERGING} and {@code MERGED}), the other's lease cannot be
 * renewed; once it has merged, it can.
 */
class MemberLeaseMergeTest {

  private static final List<OverseerCluster> members = new ArrayList<>();

  @BeforeAll
  static void start() {
    members.addAll(TestClusters.startWithQuorum(2, 2));
  }

  @AfterAll
  static void stop() {
    TestClusters.closeAll(members);
  }

  /** What Hazelcast's cluster merge task tells lifecycle listeners, fired on {@code m}'s instance alone. */
  private static void fire(OverseerCluster m, LifecycleState state) {
    ((HazelcastInstanceProxy) m.hazelcast()).getOriginal().getLifecycleService().fireLifecycleEvent(state);
  }

  private static boolean confirms(OverseerCluster asked, OverseerCluster about) {
    JsonObject reply = (JsonObject) Await.result(about.vertx().eventBus()
        .request(MemberLease.ADDRESS_PREFIX + asked.nodeId(), new JsonObject().put("from", about.nodeId()))).body();
    return reply.getBoolean("member");
  }

  @Test
  void aMergingMemberConfirmsNobodyUntilItHasMerged() {
    OverseerCluster a = members.get(0);
    OverseerCluster b = members.get(1);
    Await.until(a.vertx(), () -> a.lease().valid() && b.lease().valid());
    assertThat(confirms(b, a)).isTrue();

    fire(b, LifecycleState.MERGING);
    try {
      assertThat(confirms(b, a)).as("a member still merging confirms nobody").isFalse();
      // a's only possible confirmer refuses: its lease runs out (L = 3 s with the defaults)
      Await.until(a.vertx(), () -> !a.lease().valid());
      assertThat(MemberLease.holds(a.vertx())).isFalse();
    } finally {
      fire(b, LifecycleState.MERGED);
    }

    assertThat(confirms(b, a)).isTrue();
    Await.until(a.vertx(), () -> a.lease().valid());
  }
}
