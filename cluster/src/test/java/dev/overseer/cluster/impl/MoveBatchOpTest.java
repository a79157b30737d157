package dev.overseer.cluster.impl;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import dev.overseer.cluster.impl.OwnershipRecord.Cause;
import dev.overseer.cluster.impl.OwnershipRecord.Status;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MoveBatchOpTest {

  private static Map.Entry<String, HazelcastJsonValue> entry(String id, String owner, long epoch, Status status) {
    OwnershipRecord r = new OwnershipRecord(id, new JsonObject().put("id", id), owner, epoch, status, null, Cause.START, 0);
    return new AbstractMap.SimpleEntry<>(id, new HazelcastJsonValue(r.toJson().encode()));
  }

  private static OwnershipRecord row(Map.Entry<String, HazelcastJsonValue> e) {
    return OwnershipRecord.fromJson(e.getValue().getValue());
  }

  private static MoveBatchOp batch() {
    Map<String, MoveBatchOp.Move> moves = new LinkedHashMap<>();
    moves.put("a", new MoveBatchOp.Move(4, "n2", Cause.FAILOVER, 100));
    moves.put("b", new MoveBatchOp.Move(7, "n3", Cause.HANDOFF, 200));
    return new MoveBatchOp(moves);
  }

  @Test
  void eachKeyMovesOnlyAtItsOwnExpectedEpoch() {
    MoveBatchOp op = batch();
    Map.Entry<String, HazelcastJsonValue> a = entry("a", "n1", 4, Status.ASSIGNED);
    Map.Entry<String, HazelcastJsonValue> b = entry("b", "n1", 8, Status.ASSIGNED); // moved on since: 8, not 7

    JsonObject ra = new JsonObject(op.process(a));
    JsonObject rb = new JsonObject(op.process(b));

    assertThat(ra.getBoolean("applied")).isTrue();
    assertThat(row(a)).isEqualTo(new OwnershipRecord("a", new JsonObject().put("id", "a"), "n2", 5, Status.ASSIGNED, "n1", Cause.FAILOVER, 100));
    assertThat(rb.getBoolean("applied")).isFalse();
    assertThat(row(b).owner()).isEqualTo("n1");
    assertThat(row(b).epoch()).isEqualTo(8);
    assertThat(OwnershipRecord.fromJson(rb.getJsonObject("record")).epoch()).as("the loser learns the winner's row").isEqualTo(8);
  }

  @Test
  void neverRevivesADeletedOrFailedRowAndLeavesKeysItDoesNotNameAlone() {
    MoveBatchOp op = batch();
    Map.Entry<String, HazelcastJsonValue> deleted = entry("a", null, 4, Status.DELETED);
    Map.Entry<String, HazelcastJsonValue> failed = entry("b", null, 7, Status.FAILED);
    Map.Entry<String, HazelcastJsonValue> other = entry("c", "n1", 0, Status.ASSIGNED);

    assertThat(new JsonObject(op.process(deleted)).getBoolean("applied")).isFalse();
    assertThat(new JsonObject(op.process(failed)).getBoolean("applied")).isFalse();
    assertThat(new JsonObject(op.process(other)).getBoolean("applied")).isFalse();
    assertThat(row(deleted).status()).isEqualTo(Status.DELETED);
    assertThat(row(failed).status()).isEqualTo(Status.FAILED);
    assertThat(row(other).owner()).isEqualTo("n1");
  }

  @Test
  void aMissingRowStaysMissing() {
    Map.Entry<String, HazelcastJsonValue> absent = new AbstractMap.SimpleEntry<>("a", null);
    JsonObject r = new JsonObject(batch().process(absent));
    assertThat(r.getBoolean("applied")).isFalse();
    assertThat(absent.getValue()).isNull();
  }

  @Test
  void survivesHazelcastSerializationWithEveryMove() {
    InternalSerializationService ss = new DefaultSerializationServiceBuilder()
        .addDataSerializableFactory(OverseerSerializers.FACTORY_ID, new OverseerSerializers()).build();
    Data data = ss.toData(batch());
    MoveBatchOp back = ss.toObject(data);
    assertThat(back.keys()).containsExactly("a", "b");
    Map.Entry<String, HazelcastJsonValue> b = entry("b", "n1", 7, Status.ASSIGNED);
    assertThat(new JsonObject(back.process(b)).getBoolean("applied")).isTrue();
    assertThat(row(b)).isEqualTo(new OwnershipRecord("b", new JsonObject().put("id", "b"), "n3", 8, Status.ASSIGNED, "n1", Cause.HANDOFF, 200));
  }
}
