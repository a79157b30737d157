package dev.overseer.cluster.impl;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.overseer.cluster.impl.OwnershipRecord.Cause;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Many {@link TableOp#move} operations in one {@code IMap.submitToKeys} call: a failover takes
 * over hundreds of rows at once, and a handoff moves them as their children stop, so one entry
 * processor per row (and one invocation each) was most of the cost. Each key keeps its own
 * compare-and-set: the row moves only if it is still assigned at the epoch given for that key, so
 * the fencing is exactly {@link TableOp}'s. The result per key is {@link TableOp}'s
 * ({@code {"applied": bool, "record": row-or-null}}); a key the batch does not name is left alone.
 *
 * <p>The same instance runs on the backup replica (it carries its own clock readings). Serialized
 * as {@link IdentifiedDataSerializable}, class id {@value OverseerSerializers#MOVE_BATCH_OP}.
 * Callers keep batches small (a few dozen keys): the processor carries every key's move and is
 * sent with each partition's backup.
 */
public final class MoveBatchOp implements EntryProcessor<String, HazelcastJsonValue, String>, IdentifiedDataSerializable {

  /**
   * One row's move.
   *
   * @param expectedEpoch the epoch the row must have for the move to apply
   * @param owner the new owner
   * @param cause why it moves
   * @param since when the child became unavailable (epoch ms)
   */
  public record Move(long expectedEpoch, String owner, Cause cause, long since) {
  }

  private Map<String, Move> moves;

  /** For deserialization. */
  public MoveBatchOp() {
  }

  /** @param moves the move of each key; copied */
  public MoveBatchOp(Map<String, Move> moves) {
    this.moves = new LinkedHashMap<>(moves);
  }

  /** @return the keys this batch moves */
  public java.util.Set<String> keys() {
    return moves.keySet();
  }

  @Override
  public String process(Map.Entry<String, HazelcastJsonValue> entry) {
    Move m = moves.get(entry.getKey());
    if (m == null) {
      // Not ours to touch: report the row as it is, unchanged.
      return TableOp.move(Long.MIN_VALUE, null, Cause.HANDOFF, 0).process(entry);
    }
    return TableOp.move(m.expectedEpoch(), m.owner(), m.cause(), m.since()).process(entry);
  }

  @Override
  public int getFactoryId() {
    return OverseerSerializers.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return OverseerSerializers.MOVE_BATCH_OP;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(moves.size());
    for (Map.Entry<String, Move> e : moves.entrySet()) {
      out.writeString(e.getKey());
      out.writeLong(e.getValue().expectedEpoch());
      out.writeString(e.getValue().owner());
      out.writeInt(e.getValue().cause().ordinal());
      out.writeLong(e.getValue().since());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative batch size " + n);
    }
    moves = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      String key = in.readString();
      long epoch = in.readLong();
      String owner = in.readString();
      int c = in.readInt();
      if (c < 0 || c >= Cause.values().length) {
        throw new IOException("unknown cause " + c);
      }
      moves.put(key, new Move(epoch, owner, Cause.values()[c], in.readLong()));
    }
  }
}
