package dev.overseer.cluster.impl;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.services.NodeAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.overseer.cluster.impl.OwnershipRecord.Cause;
import dev.overseer.cluster.impl.OwnershipRecord.Status;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.Map;

/**
 * The only way a row of the ownership table changes: a compare-and-set run by Hazelcast on the
 * key's partition thread, so changes to one child are serialized cluster-wide without a lock (the
 * CP subsystem is not in open source). Each applied change raises the epoch by one. Its result is
 * {@code {"applied": bool, "record": row-or-null}}: the row after the operation, whether or not
 * it applied, so a caller that lost a race learns who won.
 *
 * <p>The same change runs on the backup replica ({@link #getBackupProcessor()}: this instance, or
 * a copy without the backup-replica check); it carries its own clock reading, so primary and
 * backup compute the same row.
 * Serialized as {@link IdentifiedDataSerializable}: class id {@value OverseerSerializers#TABLE_OP};
 * a change to the wire format takes a new class id, so mixed-version members fail loudly.
 *
 * <p>An operation built with {@link #backedUp()} changes nothing and answers
 * {@link PartitionReplicas#NO_BACKUP} while the row's partition has no backup replica: what a
 * caller's acknowledged {@code startChild} or {@code terminateChild} uses, so that a second fault
 * during the migrations after a departure cannot undo it.
 */
public final class TableOp implements EntryProcessor<String, HazelcastJsonValue, String>, IdentifiedDataSerializable, NodeAware {

  /** What the operation does. */
  public enum Kind {
    /** Adds a child when absent or deleted; never replaces a live row. */
    CREATE,
    /** Gives an assigned child at the expected epoch to another owner. */
    MOVE,
    /** Leaves a tombstone (at the expected epoch, or any when it is negative). */
    DELETE,
    /** Marks an assigned child at the expected epoch as failed (its budget ran out). */
    FAIL
  }

  private Kind kind;
  private long expectedEpoch;
  private String owner;
  private String spec;
  private Cause cause;
  private long now;
  private final PartitionReplicas.Guard backup = new PartitionReplicas.Guard();

  /** For deserialization. */
  public TableOp() {
  }

  private TableOp(Kind kind, long expectedEpoch, String owner, String spec, Cause cause, long now) {
    this.kind = kind;
    this.expectedEpoch = expectedEpoch;
    this.owner = owner;
    this.spec = spec;
    this.cause = cause;
    this.now = now;
  }

  /** @return an operation that adds child {@code id} owned by {@code owner} */
  public static TableOp create(JsonObject spec, String owner, long now) {
    return new TableOp(Kind.CREATE, 0, owner, spec.encode(), Cause.START, now);
  }

  /** @return an operation that moves the child from epoch {@code expectedEpoch} to {@code owner} */
  public static TableOp move(long expectedEpoch, String owner, Cause cause, long now) {
    return new TableOp(Kind.MOVE, expectedEpoch, owner, null, cause, now);
  }

  /** @return an operation that deletes the child at {@code expectedEpoch} (any epoch when negative) */
  public static TableOp delete(long expectedEpoch, long now) {
    return new TableOp(Kind.DELETE, expectedEpoch, null, null, Cause.TERMINATE, now);
  }

  /** @return an operation that marks the child at {@code expectedEpoch} failed */
  public static TableOp fail(long expectedEpoch, long now) {
    return new TableOp(Kind.FAIL, expectedEpoch, null, null, Cause.BUDGET, now);
  }

  /**
   * @param backups the map's synchronous backup count: a backup replica at one of indexes 1 to
   *     {@code backups} that is a current member lets the change go
   * @return this operation, made to change nothing while the row's partition has no backup replica
   *     (it then answers {@link PartitionReplicas#NO_BACKUP})
   */
  public TableOp backedUp(int backups) {
    backup.require(backups);
    return this;
  }

  /** Hazelcast hands the member over before the operation runs on it. */
  @Override
  public void setNode(Node node) {
    backup.setNode(node);
  }

  /**
   * On a backup replica the owner's decision stands: the same change, without the check; none
   * when the owner refused it ({@link PartitionReplicas.Guard}).
   */
  @Override
  public EntryProcessor<String, HazelcastJsonValue, String> getBackupProcessor() {
    if (!backup.required()) {
      return this;
    }
    return backup.refused() ? null : new TableOp(kind, expectedEpoch, owner, spec, cause, now);
  }

  @Override
  public String process(Map.Entry<String, HazelcastJsonValue> entry) {
    if (backup.refuses(entry.getKey())) {
      return PartitionReplicas.NO_BACKUP;
    }
    OwnershipRecord before = entry.getValue() == null ? null : OwnershipRecord.fromJson(entry.getValue().getValue());
    OwnershipRecord after = apply(entry.getKey(), before);
    if (after != null && after != before) {
      entry.setValue(new HazelcastJsonValue(after.toJson().encode()));
    }
    OwnershipRecord shown = after != null ? after : before;
    return new JsonObject().put("applied", after != null && after != before)
        .put("record", shown == null ? null : shown.toJson()).encode();
  }

  /** @return the row after the operation: {@code before} itself when it does not apply. Pure. */
  OwnershipRecord apply(String id, OwnershipRecord before) {
    switch (kind) {
      case CREATE:
        if (before != null && !before.deleted()) {
          return before;
        }
        return new OwnershipRecord(id, new JsonObject(spec), owner, (before == null ? 0 : before.epoch()) + 1,
            Status.ASSIGNED, null, Cause.START, now);
      case MOVE:
        if (before == null || !before.assigned() || before.epoch() != expectedEpoch) {
          return before;
        }
        return new OwnershipRecord(id, before.spec(), owner, before.epoch() + 1, Status.ASSIGNED, before.owner(), cause, now);
      case DELETE:
        if (before == null || before.deleted() || (expectedEpoch >= 0 && before.epoch() != expectedEpoch)) {
          return before;
        }
        return new OwnershipRecord(id, before.spec(), null, before.epoch() + 1, Status.DELETED, before.owner(), Cause.TERMINATE, now);
      case FAIL:
        if (before == null || !before.assigned() || before.epoch() != expectedEpoch) {
          return before;
        }
        return new OwnershipRecord(id, before.spec(), null, before.epoch() + 1, Status.FAILED, before.owner(), Cause.BUDGET, now);
      default:
        throw new IllegalStateException("unknown table operation " + kind);
    }
  }

  @Override
  public int getFactoryId() {
    return OverseerSerializers.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return OverseerSerializers.TABLE_OP;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(kind.ordinal());
    out.writeLong(expectedEpoch);
    out.writeString(owner);
    out.writeString(spec);
    out.writeInt(cause.ordinal());
    out.writeLong(now);
    backup.write(out);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int k = in.readInt();
    if (k < 0 || k >= Kind.values().length) {
      throw new IOException("unknown table operation " + k);
    }
    kind = Kind.values()[k];
    expectedEpoch = in.readLong();
    owner = in.readString();
    spec = in.readString();
    int c = in.readInt();
    if (c < 0 || c >= Cause.values().length) {
      throw new IOException("unknown cause " + c);
    }
    cause = Cause.values()[c];
    now = in.readLong();
    backup.read(in);
  }
}
