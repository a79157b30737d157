package dev.overseer.cluster;

import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashConformanceTest;
import dev.overseer.stash.StashException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HazelcastStash passes the conformance suite on a real 2-member cluster (operations cross
 * members), and two members racing on one key are serialized.
 */
class HazelcastStashTest extends StashConformanceTest {

  private static List<OverseerCluster> members;

  @BeforeAll
  static void cluster() {
    members = TestClusters.start(2);
  }

  @AfterAll
  static void leave() {
    TestClusters.closeAll(members);
  }

  @Override
  protected Future<Stash> createStash(Vertx vertx) {
    return Future.succeededFuture(new HazelcastStash(vertx, members.get(0).hazelcast(), "conformance", Duration.ofSeconds(10)));
  }

  @Test
  void isTheDefaultStashOfEveryMemberAndSharedByThem() {
    String k = "shared-" + UUID.randomUUID();
    assertThat(dev.overseer.Overseer.defaultStash(members.get(0).vertx())).isSameAs(members.get(0).stash());
    members.get(0).stash().put(k, "{\"a\":1}", 1, 0).await();
    assertThat(members.get(1).stash().get(k).await().orElseThrow().json()).isEqualTo("{\"a\":1}");
  }

  @Test
  void twoMembersRacingClaimThenPutNeverBothWin() {
    Stash a = members.get(0).stash();
    Stash b = members.get(1).stash();
    String k = "race-" + UUID.randomUUID();
    for (int round = 0; round < 30; round++) {
      Future<Long> ca = a.claim(k);
      Future<Long> cb = b.claim(k);
      long ea = ca.await();
      long eb = cb.await();
      assertThat(ea).isNotEqualTo(eb);
      Future<?> pa = a.put(k, "\"a" + round + "\"", 1, ea);
      Future<?> pb = b.put(k, "\"b" + round + "\"", 1, eb);
      List<Boolean> won = new ArrayList<>();
      for (Future<?> f : List.of(pa, pb)) {
        try {
          f.await();
          won.add(true);
        } catch (StashException e) {
          assertThat(e.reason()).isEqualTo(StashException.Reason.STALE_EPOCH);
          won.add(false);
        }
      }
      assertThat(won).as("round %d", round).containsExactlyInAnyOrder(true, false);
      boolean aWon = won.get(0);
      assertThat(aWon).isEqualTo(ea > eb);
      assertThat(b.get(k).await().orElseThrow().json()).isEqualTo(aWon ? "\"a" + round + "\"" : "\"b" + round + "\"");
    }
  }

  /**
   * A claim's deadline is checked where it is applied, on the key's owner, in cluster time: one
   * sent in time but run past it (a busy partition, a retry) changes nothing.
   */
  @Test
  void aClaimThatReachesTheKeysOwnerPastItsDeadlineChangesNothing() throws Exception {
    String k = "late-" + UUID.randomUUID();
    Stash stash = members.get(0).stash();
    assertThat(stash.claim(k).await()).isEqualTo(1L);
    com.hazelcast.core.HazelcastInstance other = members.get(1).hazelcast();
    com.hazelcast.map.IMap<String, String> raw = other.getMap(
        dev.overseer.cluster.impl.HazelcastConfigs.MAP_PREFIX + "stash." + HazelcastStash.DEFAULT_NAME);
    // (a minute either side: the owner's cluster time may differ from this member's by some ms)
    long past = other.getCluster().getClusterTime() - 60_000;
    String late = raw.submitToKey(k, dev.overseer.cluster.impl.StashOp.claim(past)).toCompletableFuture()
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(new io.vertx.core.json.JsonObject(late).getLong("late")).isEqualTo(past);
    long future = other.getCluster().getClusterTime() + 60_000;
    String made = raw.submitToKey(k, dev.overseer.cluster.impl.StashOp.claim(future)).toCompletableFuture()
        .get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(new io.vertx.core.json.JsonObject(made).getLong("epoch")).as("the late claim raised nothing").isEqualTo(2L);
    assertThat(stash.claimAndGet(k, Duration.ofSeconds(10)).await().epoch()).isEqualTo(3L);
  }

  @Test
  void aBoundedClaimNeedsAPositiveBound() {
    assertThat(members.get(0).stash().claimAndGet("k", Duration.ZERO).cause())
        .isInstanceOf(StashException.class).hasMessageContaining("within must be positive");
  }

  @Test
  void concurrentClaimsFromTwoMembersGetDistinctEpochs() {
    String k = "claims-" + UUID.randomUUID();
    List<Future<Long>> claims = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      claims.add(members.get(i % 2).stash().claim(k));
    }
    assertThat(claims.stream().map(f -> f.await()).distinct()).hasSize(40);
  }
}
