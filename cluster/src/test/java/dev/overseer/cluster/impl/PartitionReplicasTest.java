package dev.overseer.cluster.impl;

import com.hazelcast.internal.nio.BufferObjectDataOutput;
import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder;
import com.hazelcast.nio.ObjectDataInput;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The backup-replica requirement as processors carry it over the wire. Which replicas count is
 * tested against a real cluster ({@code StashBackupTest}).
 */
class PartitionReplicasTest {

  private final InternalSerializationService ss = new DefaultSerializationServiceBuilder()
      .addDataSerializableFactory(OverseerSerializers.FACTORY_ID, new OverseerSerializers()).build();

  /** Re-serializing what was read gives the same bytes only if the backup count survived the trip. */
  @Test
  void aProcessorCarriesItsBackupCount() {
    for (int backups = 1; backups <= 3; backups++) {
      Data stash = ss.toData(StashOp.put("{}", 1, 4, 100).backedUp(backups));
      assertThat(ss.toData(ss.toObject(stash)).toByteArray()).isEqualTo(stash.toByteArray());
      Data table = ss.toData(TableOp.delete(3, 100).backedUp(backups));
      assertThat(ss.toData(ss.toObject(table)).toByteArray()).isEqualTo(table.toByteArray());
    }
    Data deadline = ss.toData(StashOp.claim(1_700_000_000_000L).backedUp(1));
    assertThat(ss.toData(ss.toObject(deadline)).toByteArray()).as("a claim's deadline survives the trip")
        .isEqualTo(deadline.toByteArray())
        .isNotEqualTo(ss.toData(StashOp.claim().backedUp(1)).toByteArray());
    assertThat(ss.toData(StashOp.put("{}", 1, 4, 100).backedUp(2)).toByteArray())
        .isNotEqualTo(ss.toData(StashOp.put("{}", 1, 4, 100).backedUp(1)).toByteArray())
        .isNotEqualTo(ss.toData(StashOp.put("{}", 1, 4, 100)).toByteArray());
  }

  /** A member that wrote the requirement as a boolean (before counts above 1) is read as requiring one. */
  @Test
  void aRequirementWrittenAsABooleanReadsAsOneBackup() throws IOException {
    BufferObjectDataOutput asBoolean = ss.createObjectDataOutput();
    asBoolean.writeBoolean(true);
    PartitionReplicas.Guard one = new PartitionReplicas.Guard();
    one.require(1);
    BufferObjectDataOutput asCount = ss.createObjectDataOutput();
    one.write(asCount);
    assertThat(asBoolean.toByteArray()).isEqualTo(asCount.toByteArray());
    PartitionReplicas.Guard read = new PartitionReplicas.Guard();
    ObjectDataInput in = ss.createObjectDataInput(new byte[] {1});
    read.read(in);
    assertThat(read.required()).isTrue();
    PartitionReplicas.Guard none = new PartitionReplicas.Guard();
    none.read(ss.createObjectDataInput(new byte[] {0}));
    assertThat(none.required()).isFalse();
  }

  @Test
  void aBackupCountOutOfHazelcastsRangeIsRefused() {
    PartitionReplicas.Guard guard = new PartitionReplicas.Guard();
    assertThatThrownBy(() -> guard.require(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..6");
    assertThatThrownBy(() -> guard.require(7)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 7");
    assertThatThrownBy(() -> guard.read(ss.createObjectDataInput(new byte[] {7}))).isInstanceOf(IOException.class)
        .hasMessageContaining("out of range: 7");
    assertThatThrownBy(() -> guard.read(ss.createObjectDataInput(new byte[] {-1}))).isInstanceOf(IOException.class);
    assertThat(guard.required()).isFalse();
  }
}
