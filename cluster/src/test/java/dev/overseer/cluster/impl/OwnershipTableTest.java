package dev.overseer.cluster.impl;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.IMap;
import dev.overseer.cluster.DistributedSupervisor;
import dev.overseer.cluster.OverseerCluster;
import dev.overseer.cluster.impl.OwnershipRecord.Cause;
import dev.overseer.cluster.impl.OwnershipRecord.Status;
import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.testing.Await;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The supervisor's row moves through {@link OwnershipTable#move}, on one real member. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnershipTableTest {

  private List<OverseerCluster> members;

  @BeforeAll
  void member() {
    members = TestClusters.start(1);
  }

  @AfterAll
  void close() {
    TestClusters.closeAll(members);
  }

  private IMap<String, HazelcastJsonValue> table() {
    return members.get(0).hazelcast().getMap(DistributedSupervisor.TABLE_PREFIX + "t" + UUID.randomUUID() + ".children");
  }

  private static void put(IMap<String, HazelcastJsonValue> map, String id, long epoch) {
    OwnershipRecord row = new OwnershipRecord(id, new JsonObject().put("id", id), "n1", epoch, Status.ASSIGNED, null, Cause.START, 0);
    map.put(id, new HazelcastJsonValue(row.toJson().encode()));
  }

  /** Runs {@code moves} in one tick of a fresh context; returns each move's result, in order. */
  private List<OwnershipTable.Result> inOneTick(IMap<String, HazelcastJsonValue> map, List<OwnershipRecord> seen,
      java.util.function.Function<OwnershipTable, List<Future<OwnershipTable.Result>>> moves) throws Exception {
    Context context = members.get(0).vertx().getOrCreateContext();
    CompletableFuture<List<Future<OwnershipTable.Result>>> queued = new CompletableFuture<>();
    context.runOnContext(v -> {
      OwnershipTable table = new OwnershipTable(context, members.get(0).hazelcast(), map, "t", Duration.ofSeconds(5),
          seen::add, () -> { });
      queued.complete(moves.apply(table));
    });
    List<Future<OwnershipTable.Result>> futures = queued.get(20, TimeUnit.SECONDS);
    List<OwnershipTable.Result> results = new ArrayList<>();
    for (Future<OwnershipTable.Result> f : futures) {
      results.add(Await.result(f));
    }
    return results;
  }

  @Test
  void movesQueuedInOneTickEachApplyOnlyAtTheirOwnEpochAndReportTheRowAfterThem() throws Exception {
    IMap<String, HazelcastJsonValue> map = table();
    put(map, "a", 4);
    put(map, "b", 8);
    List<OwnershipRecord> seen = new CopyOnWriteArrayList<>();

    List<OwnershipTable.Result> results = inOneTick(map, seen, t -> List.of(
        t.move("a", new MoveBatchOp.Move(4, "n2", Cause.FAILOVER, 100)),
        t.move("b", new MoveBatchOp.Move(7, "n3", Cause.HANDOFF, 200))));

    assertThat(results.get(0).applied()).isTrue();
    assertThat(results.get(0).row().owner()).isEqualTo("n2");
    assertThat(results.get(0).row().epoch()).isEqualTo(5);
    assertThat(results.get(1).applied()).as("b moved on since epoch 7").isFalse();
    assertThat(results.get(1).row().epoch()).isEqualTo(8);
    assertThat(OwnershipRecord.fromJson(map.get("a").getValue()).owner()).isEqualTo("n2");
    assertThat(OwnershipRecord.fromJson(map.get("b").getValue()).owner()).isEqualTo("n1");
    assertThat(seen).as("every result's row is reported to the supervisor").extracting(OwnershipRecord::id)
        .containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void theSameMoveTwiceInOneTickIsOneMoveAndTwoDifferentMovesOfARowAreTwoCompareAndSets() throws Exception {
    IMap<String, HazelcastJsonValue> map = table();
    put(map, "a", 4);
    put(map, "c", 2);
    List<Future<OwnershipTable.Result>> same = new ArrayList<>();

    List<OwnershipTable.Result> results = inOneTick(map, new CopyOnWriteArrayList<>(), t -> {
      same.add(t.move("a", new MoveBatchOp.Move(4, "n2", Cause.FAILOVER, 100)));
      same.add(t.move("a", new MoveBatchOp.Move(4, "n2", Cause.FAILOVER, 100)));
      return List.of(same.get(0), same.get(1),
          t.move("c", new MoveBatchOp.Move(2, "n2", Cause.FAILOVER, 100)),
          t.move("c", new MoveBatchOp.Move(2, "n3", Cause.FAILOVER, 100)));
    });

    assertThat(same.get(1)).as("the same move, once").isSameAs(same.get(0));
    assertThat(results.get(0).applied()).isTrue();
    assertThat(OwnershipRecord.fromJson(map.get("a").getValue()).epoch()).as("moved once, not twice").isEqualTo(5);
    assertThat(results.get(2).applied() ^ results.get(3).applied()).as("exactly one of two moves of c from epoch 2").isTrue();
    OwnershipRecord c = OwnershipRecord.fromJson(map.get("c").getValue());
    assertThat(c.epoch()).isEqualTo(3);
    assertThat(c.owner()).isEqualTo(results.get(2).applied() ? "n2" : "n3");
  }
}
