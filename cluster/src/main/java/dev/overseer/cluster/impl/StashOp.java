package dev.overseer.cluster.impl;

import com.hazelcast.instance.impl.Node;
import com.hazelcast.internal.services.NodeAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.Map;

/**
 * Every change of a {@code HazelcastStash} key, as one entry processor run on the partition that
 * owns the key, so each is atomic cluster-wide.
 *
 * <p>A key's value is JSON text (a {@code String}, never a Java-serialized object):
 * {@code {"epoch": E, "version": V, "entry": {"json", "schemaVersion", "epoch", "updatedAt", "revision"}}},
 * where {@code epoch} is the key's ownership epoch (kept after a remove or quarantine, so fencing
 * holds), {@code version} counts every change of the value (a put, a remove, a clear; never
 * reset, so a split's merge can tell the newer of two values at one epoch, see
 * {@link HigherEpochMergePolicy}), and {@code entry} is absent when the key holds no value (its
 * {@code revision} counts the puts since the value was last removed, from 1).
 *
 * <p>The processor is deterministic (the time comes from the caller), so the same processor runs
 * on the backups and they end in the same state. Results are JSON text too.
 *
 * <p>A claim built with a deadline ({@link #claim(long)}) changes nothing once the owner's cluster
 * time is past it, and sends no backup then.
 *
 * <p>A processor built with {@link #backedUp()} changes nothing and answers {@link #NO_BACKUP}
 * while the key's partition has no backup replica (see {@link PartitionReplicas}): the caller
 * tries again, and acknowledges only a change that reached a backup.
 */
public final class StashOp implements EntryProcessor<String, String, String>, IdentifiedDataSerializable, NodeAware {

  /** The result of a processor that required a backup replica and found none: {@value}. */
  public static final String NO_BACKUP = PartitionReplicas.NO_BACKUP;

  /** What the processor does. */
  public enum Kind {
    /** Write a value if the epoch is not older than the key's. */
    PUT,
    /** Raise the key's epoch by one, refusing to wrap. */
    CLAIM,
    /** Forget the value, keep the epoch. */
    REMOVE,
    /** Forget the value if it is still the given revision (quarantine's second step). */
    CLEAR_REVISION
  }

  private Kind kind;
  private String json;
  private int schemaVersion;
  private long epoch;
  private long now;
  private long revision;
  /** A claim's deadline in cluster time (ms), 0 for none; past it the owner changes nothing. */
  private long notAfter;
  /** Whether the last {@code process} refused a claim past its deadline: then no backup runs. */
  private boolean late;
  private Node node;
  private final PartitionReplicas.Guard backup = new PartitionReplicas.Guard();

  /** For deserialization. */
  public StashOp() {
  }

  private StashOp(Kind kind, String json, int schemaVersion, long epoch, long now, long revision) {
    this.kind = kind;
    this.json = json;
    this.schemaVersion = schemaVersion;
    this.epoch = epoch;
    this.now = now;
    this.revision = revision;
  }

  private StashOp(Kind kind, long notAfter) {
    this(kind, null, 0, 0, 0, 0);
    this.notAfter = notAfter;
  }

  /**
   * @param json the value, JSON text
   * @param schemaVersion the writer's schema version
   * @param epoch the writer's epoch
   * @param now the write time, epoch ms
   * @return a write of {@code json} at {@code epoch}
   */
  public static StashOp put(String json, int schemaVersion, long epoch, long now) {
    return new StashOp(Kind.PUT, json, schemaVersion, epoch, now, 0);
  }

  /** @return a claim */
  public static StashOp claim() {
    return new StashOp(Kind.CLAIM, null, 0, 0, 0, 0);
  }

  /**
   * A claim its caller waits for only until {@code notAfter}: the key's owner, reading Hazelcast's
   * cluster time when the processor runs, changes nothing past it and answers
   * {@code {"late": notAfter}}. So a claim given up on never raises the epoch later, over the
   * claim of the caller's next attempt (up to the members' cluster-time skew).
   *
   * @param notAfter the deadline, in Hazelcast cluster time (ms); 0 or less for none
   * @return the claim
   */
  public static StashOp claim(long notAfter) {
    return new StashOp(Kind.CLAIM, Math.max(0, notAfter));
  }

  /** @return a remove */
  public static StashOp remove() {
    return new StashOp(Kind.REMOVE, null, 0, 0, 0, 0);
  }

  /**
   * @param revision the revision copied to the quarantine
   * @return a clear of the value if its revision is still {@code revision}
   */
  public static StashOp clearRevision(long revision) {
    return new StashOp(Kind.CLEAR_REVISION, null, 0, 0, 0, revision);
  }

  /**
   * @param backups the map's synchronous backup count: a backup replica at one of indexes 1 to
   *     {@code backups} that is a current member lets the change go
   * @return this processor, made to change nothing while the key's partition has no backup replica
   *     (it then answers {@link #NO_BACKUP})
   */
  public StashOp backedUp(int backups) {
    backup.require(backups);
    return this;
  }

  /** Hazelcast hands the member over before the processor runs on it. */
  @Override
  public void setNode(Node node) {
    this.node = node;
    backup.setNode(node);
  }

  /**
   * On a backup replica the owner's decision stands: the same change, without the check; none
   * when the owner refused it ({@link PartitionReplicas.Guard}).
   */
  @Override
  public EntryProcessor<String, String, String> getBackupProcessor() {
    if (late) {
      return null;
    }
    if (!backup.required() && notAfter == 0) {
      return this;
    }
    // (never the deadline: a backup replica must not decide otherwise than the owner did)
    return backup.refused() ? null : new StashOp(kind, json, schemaVersion, epoch, now, revision);
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    late = kind == Kind.CLAIM && notAfter > 0 && node != null && node.getClusterService().getClusterTime() > notAfter;
    if (late) {
      return new JsonObject().put("late", notAfter).encode();
    }
    if (backup.refuses(entry.getKey())) {
      return NO_BACKUP;
    }
    String raw = entry.getValue();
    JsonObject slot = raw == null ? null : new JsonObject(raw);
    long held = slot == null ? 0 : slot.getLong("epoch", 0L);
    JsonObject current = slot == null ? null : slot.getJsonObject("entry");
    long version = (slot == null ? 0 : slot.getLong("version", current == null ? 0L : current.getLong("revision", 0L))) + 1;
    switch (kind) {
      case PUT: {
        if (epoch < held || epoch < 0) {
          return new JsonObject().put("stale", held).encode();
        }
        long rev = current == null ? 1 : current.getLong("revision") + 1;
        JsonObject written = new JsonObject().put("json", json).put("schemaVersion", schemaVersion)
            .put("epoch", epoch).put("updatedAt", now).put("revision", rev);
        entry.setValue(new JsonObject().put("epoch", Math.max(held, epoch)).put("version", version).put("entry", written).encode());
        return new JsonObject().put("entry", written).encode();
      }
      case CLAIM: {
        if (held == Long.MAX_VALUE) {
          // raising it would wrap to a negative epoch and let every stale writer in again
          return new JsonObject().put("exhausted", held).encode();
        }
        JsonObject next = new JsonObject().put("epoch", held + 1).put("version", version - 1);
        if (current != null) {
          next.put("entry", current);
        }
        entry.setValue(next.encode());
        // the entry as of the claim, for claimAndGet ("read" tells it from a member that
        // answers the epoch only, as this processor did before it carried the entry)
        JsonObject claimed = new JsonObject().put("epoch", held + 1).put("read", true);
        if (current != null) {
          claimed.put("entry", current);
        }
        return claimed.encode();
      }
      case REMOVE: {
        if (current != null) {
          entry.setValue(new JsonObject().put("epoch", held).put("version", version).encode());
        }
        return null;
      }
      case CLEAR_REVISION: {
        boolean same = current != null && current.getLong("revision") == revision;
        if (same) {
          entry.setValue(new JsonObject().put("epoch", held).put("version", version).encode());
        }
        return new JsonObject().put("cleared", same).encode();
      }
      default:
        throw new IllegalStateException("unknown stash op " + kind);
    }
  }

  @Override
  public int getFactoryId() {
    return OverseerSerializers.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return OverseerSerializers.STASH_OP;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(kind.ordinal());
    out.writeString(json);
    out.writeInt(schemaVersion);
    out.writeLong(epoch);
    out.writeLong(now);
    out.writeLong(revision);
    out.writeLong(notAfter);
    backup.write(out);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int k = in.readByte();
    Kind[] kinds = Kind.values();
    if (k < 0 || k >= kinds.length) {
      throw new IOException("unknown stash op " + k);
    }
    kind = kinds[k];
    json = in.readString();
    schemaVersion = in.readInt();
    epoch = in.readLong();
    now = in.readLong();
    revision = in.readLong();
    notAfter = in.readLong();
    backup.read(in);
  }
}
