package dev.overseer.cluster.impl;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import io.vertx.core.json.JsonObject;

/**
 * How the ownership tables and the stashes heal after a split: for each key, the value with the
 * higher epoch wins; at the same epoch, the higher {@code version} wins (a stash slot counts
 * every change of its value in it, see {@link StashOp}; an ownership row has none, as every change
 * of a row raises its epoch); on a full tie the cluster being merged into (the larger side, where
 * the quorum was) keeps its value; a key only the merging side has is added.
 *
 * <p>Why the version: writes of one owner share an epoch. When a side acknowledged writes its
 * other copy never saw (Hazelcast answers a write whose backup did not acknowledge it within
 * {@code hazelcast.operation.backup.timeout.millis}, e.g. a backup member that is paused or
 * being removed), and that side is the one merging in, comparing epochs alone kept the target's
 * older value and lost the acknowledged writes (seen after a double fault in the paused-minority
 * process test: a counter read 0 where 3 increments were acknowledged). Because every change raises the epoch and deletion
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
    long[] m = versionOf(merging.getDeserializedValue());
    long[] e = versionOf(existing.getDeserializedValue());
    boolean newer = m[0] != e[0] ? m[0] > e[0] : m[1] > e[1];
    return newer ? merging.getRawValue() : existing.getRawValue();
  }

  /** @return the epoch of a stored value, or -1 when it is not one (it then loses every comparison). Pure. */
  static long epochOf(Object value) {
    return versionOf(value)[0];
  }

  /**
   * @return {@code {epoch, version}} of a stored value: a stash slot's version, else its entry's
   *     revision (a slot written before slots kept a version), else 0; {@code {-1, -1}} when it is
   *     not a stored value (it then loses every comparison). Pure.
   */
  static long[] versionOf(Object value) {
    try {
      String text = value instanceof HazelcastJsonValue ? ((HazelcastJsonValue) value).getValue() : (String) value;
      JsonObject json = new JsonObject(text);
      Object epoch = json.getValue("epoch");
      if (!(epoch instanceof Number)) {
        return new long[] {-1, -1};
      }
      JsonObject entry = json.getValue("entry") instanceof JsonObject o ? o : null;
      Object version = json.getValue("version");
      if (!(version instanceof Number) && entry != null) {
        version = entry.getValue("revision");
      }
      return new long[] {((Number) epoch).longValue(), version instanceof Number n ? n.longValue() : 0};
    } catch (RuntimeException e) {
      return new long[] {-1, -1};
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
