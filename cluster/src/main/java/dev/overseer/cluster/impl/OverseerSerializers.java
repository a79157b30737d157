package dev.overseer.cluster.impl;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The one factory of Overseer's {@link IdentifiedDataSerializable} classes (entry processors).
 * Registered on every member by the bootstrap: a member without it fails every operation on a
 * partition it owns. Class ids are part of the wire format: never reuse or renumber one; a
 * changed processor gets a new id so a rolling upgrade can run both.
 *
 * <p>Ids 1-99: stash and names. Ids 100-199: the distributed supervisor.
 */
public final class OverseerSerializers implements DataSerializableFactory {

  /** The factory id, fixed forever: {@value}. */
  public static final int FACTORY_ID = 0x4F56;

  /**
   * {@link StashOp}, with its backup-replica flag and a claim's deadline (1, without the flag, and
   * 3, without the deadline, are retired).
   */
  public static final int STASH_OP = 4;
  /** {@link NameOp}. */
  public static final int NAME_OP = 2;
  /**
   * {@link TableOp}: the distributed supervisor's ownership table, with its backup-replica flag
   * (100, without it, is retired).
   */
  public static final int TABLE_OP = 103;
  /** {@link HigherEpochMergePolicy}. */
  public static final int MERGE_POLICY = 101;
  /** {@link MoveBatchOp}: many table moves in one call. */
  public static final int MOVE_BATCH_OP = 102;

  @Override
  public IdentifiedDataSerializable create(int typeId) {
    return switch (typeId) {
      case STASH_OP -> new StashOp();
      case NAME_OP -> new NameOp();
      case TABLE_OP -> new TableOp();
      case MERGE_POLICY -> new HigherEpochMergePolicy();
      case MOVE_BATCH_OP -> new MoveBatchOp();
      default -> null;
    };
  }
}
