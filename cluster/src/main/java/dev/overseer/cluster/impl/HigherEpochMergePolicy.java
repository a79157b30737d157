package dev.overseer.cluster.impl;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import io.vertx.core.json.JsonObject;

/**
 * How the ownership table heals after a split: for each key, the row with the higher epoch wins;
 * on a tie the cluster being merged into (the larger side, where the quorum was) keeps its row; a
 * key only the merging side has is added. Because every change raises the epoch and deletion
 * leaves a tombstone, nothing the majority moved, terminated or deleted during the split comes
 * back from the minority's older copy (Hazelcast's default, {@code PutIfAbsent}, would keep the
 * majority's rows too, but also resurrect rows the majority deleted outright, and
 * {@code PassThrough} would let the minority win). A row that cannot be read loses.
 *
 * <p>Must be on every member's classpath (it is in this module's jar); configured by
 * {@code DistributedSupervisor.configure}.
 */
public final class HigherEpochMergePolicy
    implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object>, IdentifiedDataSerializable {

  /** For Hazelcast. */
  public HigherEpochMergePolicy() {
  }

  @Override
  public Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
    if (existing == null) {
      return merging.getRawValue();
    }
    if (merging == null) {
      return existing.getRawValue();
    }
    long m = epochOf(merging.getDeserializedValue());
    long e = epochOf(existing.getDeserializedValue());
    return m > e ? merging.getRawValue() : existing.getRawValue();
  }

  /** @return the epoch of a stored row, or -1 when it is not one (it then loses every comparison). Pure. */
  static long epochOf(Object value) {
    try {
      String text = value instanceof HazelcastJsonValue ? ((HazelcastJsonValue) value).getValue() : (String) value;
      return new JsonObject(text).getLong("epoch", -1L);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  @Override
  public int getFactoryId() {
    return OverseerSerializers.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return OverseerSerializers.MERGE_POLICY;
  }

  @Override
  public void writeData(ObjectDataOutput out) {
  }

  @Override
  public void readData(ObjectDataInput in) {
  }
}
