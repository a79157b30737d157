package dev.overseer.cluster.impl;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The {@link DataSerializableFactory} of the cluster module's Hazelcast operations. Registered on
 * every member by {@code DistributedSupervisor.configure}; a member without it fails every
 * operation whose key it owns, so it is part of the module's jar. Only these classes can be
 * created from the wire: nothing is Java-deserialized.
 *
 * <p>Versioning rule: a class id's wire format never changes; a new format takes a new id.
 */
public final class ClusterSerialization implements DataSerializableFactory {

  /** The factory id: unique among the factories of one Hazelcast configuration. */
  public static final int FACTORY_ID = 0x0D5_0001;
  /** {@link TableOp}. */
  public static final int TABLE_OP = 1;
  /** {@link HigherEpochMergePolicy}. */
  public static final int MERGE_POLICY = 2;

  @Override
  public IdentifiedDataSerializable create(int classId) {
    switch (classId) {
      case TABLE_OP:
        return new TableOp();
      case MERGE_POLICY:
        return new HigherEpochMergePolicy();
      default:
        return null;
    }
  }
}
