package dev.overseer.cluster.impl;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every change of a cluster-wide name, as one entry processor run on the partition that owns
 * the name, so two members can never both take it.
 *
 * <p>A name's value is JSON text: {@code {"holder": NameRecord}} while held, or
 * {@code {"vacated": NameRecord, "since": ms}} after its holder vacated it or died (callers wait
 * for the next holder). A name never registered, or unregistered, has no entry.
 *
 * <p>Deterministic (the caller passes the time and which members it saw die), so the same
 * processor runs on the backups. A member is only ever treated as dead because a caller saw it
 * removed, never because a caller has not seen it yet: a member that just joined keeps its names.
 */
public final class NameOp implements EntryProcessor<String, String, String>, IdentifiedDataSerializable {

  /** What the processor does. */
  public enum Kind {
    /** Take the name if it is free, vacated, held by a dead member, or held by {@code replaceable}. */
    REGISTER,
    /** Remove the name if {@code record} holds it (or vacated it). */
    UNREGISTER,
    /** Mark the name vacated if {@code record} holds it. */
    VACATE,
    /** Mark vacated every name held on a member in {@code dead} (run on every entry). */
    NODES_GONE
  }

  private Kind kind;
  private String record;
  private String replaceable;
  private Set<String> dead = new HashSet<>();
  private long now;

  /** For deserialization. */
  public NameOp() {
  }

  private NameOp(Kind kind, String record, String replaceable, Set<String> dead, long now) {
    this.kind = kind;
    this.record = record;
    this.replaceable = replaceable;
    this.dead = dead;
    this.now = now;
  }

  /**
   * @param record the new holder's record, as JSON text
   * @param replaceable a holder record (JSON text) the caller knows to be dead, or {@code null}
   * @param dead node ids of members the caller saw removed from the cluster
   * @param now the time, epoch ms
   * @return a registration
   */
  public static NameOp register(String record, String replaceable, Set<String> dead, long now) {
    return new NameOp(Kind.REGISTER, record, replaceable, dead, now);
  }

  /**
   * @param record the holder's record, JSON text
   * @return an unregistration of {@code record}
   */
  public static NameOp unregister(String record) {
    return new NameOp(Kind.UNREGISTER, record, null, new HashSet<>(), 0);
  }

  /**
   * @param record the holder's record, JSON text
   * @param now the time, epoch ms
   * @return a vacancy of {@code record}
   */
  public static NameOp vacate(String record, long now) {
    return new NameOp(Kind.VACATE, record, null, new HashSet<>(), now);
  }

  /**
   * @param dead node ids of members that left
   * @param now the time, epoch ms
   * @return a vacancy of every name held on a member in {@code dead}
   */
  public static NameOp nodesGone(Set<String> dead, long now) {
    return new NameOp(Kind.NODES_GONE, null, null, dead, now);
  }

  @Override
  public String process(Map.Entry<String, String> entry) {
    String raw = entry.getValue();
    JsonObject value = raw == null ? null : new JsonObject(raw);
    JsonObject holder = value == null ? null : value.getJsonObject("holder");
    JsonObject vacated = value == null ? null : value.getJsonObject("vacated");
    switch (kind) {
      case REGISTER: {
        JsonObject mine = new JsonObject(record);
        boolean free = holder == null
            || holder.equals(mine)
            || dead.contains(holder.getString("nodeId"))
            || (replaceable != null && holder.equals(new JsonObject(replaceable)));
        if (!free) {
          return new JsonObject().put("held", holder).encode();
        }
        entry.setValue(new JsonObject().put("holder", mine).encode());
        return new JsonObject().put("ok", true).encode();
      }
      case UNREGISTER: {
        JsonObject mine = new JsonObject(record);
        if (mine.equals(holder) || mine.equals(vacated)) {
          entry.setValue(null);
        }
        return null;
      }
      case VACATE: {
        JsonObject mine = new JsonObject(record);
        if (mine.equals(holder)) {
          entry.setValue(new JsonObject().put("vacated", holder).put("since", now).encode());
        }
        return null;
      }
      case NODES_GONE: {
        if (holder != null && dead.contains(holder.getString("nodeId"))) {
          entry.setValue(new JsonObject().put("vacated", holder).put("since", now).encode());
          return holder.getString("name");
        }
        return null;
      }
      default:
        throw new IllegalStateException("unknown name op " + kind);
    }
  }

  @Override
  public int getFactoryId() {
    return OverseerSerializers.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return OverseerSerializers.NAME_OP;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(kind.ordinal());
    out.writeString(record);
    out.writeString(replaceable);
    out.writeLong(now);
    out.writeInt(dead.size());
    for (String d : dead) {
      out.writeString(d);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int k = in.readByte();
    Kind[] kinds = Kind.values();
    if (k < 0 || k >= kinds.length) {
      throw new IOException("unknown name op " + k);
    }
    kind = kinds[k];
    record = in.readString();
    replaceable = in.readString();
    now = in.readLong();
    int n = in.readInt();
    if (n < 0 || n > 100_000) {
      throw new IOException("bad dead-member count " + n);
    }
    dead = new HashSet<>();
    for (int i = 0; i < n; i++) {
      dead.add(in.readString());
    }
  }
}
