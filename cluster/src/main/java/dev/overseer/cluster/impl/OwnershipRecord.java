package dev.overseer.cluster.impl;

import io.vertx.core.json.JsonObject;

/**
 * One row of a distributed supervisor's ownership table: a child's spec and who owns it at which
 * epoch. Stored as JSON text ({@code HazelcastJsonValue}), so Hazelcast never Java-deserializes
 * it and predicates can read its fields. Changed only by {@link TableOp}; every change raises
 * the epoch, which never goes back, so an owner can tell it was superseded and a merge can keep
 * the newest row (see {@link HigherEpochMergePolicy}). Deletion leaves a tombstone for the same
 * reason. Immutable.
 *
 * @param id the child's id (also the map key)
 * @param spec the child spec as {@code ChildSpec.toJson()} wrote it
 * @param owner the owning member's node id, or {@code null} when no one may run it
 * @param epoch raised by every change, starting at 1
 * @param status assigned, failed (its restart budget ran out) or deleted (a tombstone)
 * @param from the previous owner, or {@code null}
 * @param cause why the last change happened
 * @param since wall-clock ms of the last change: for a move, when the child stopped serving
 */
public record OwnershipRecord(String id, JsonObject spec, String owner, long epoch, Status status, String from,
                              Cause cause, long since) {

  /** Where the child stands in the table. */
  public enum Status {
    /** {@code owner} runs it (or is starting it). */
    ASSIGNED,
    /** Its per-child restart budget ran out: kept, not running, until terminated. */
    FAILED,
    /** Terminated: a tombstone that keeps the epoch, so an older copy cannot come back in a merge. */
    DELETED
  }

  /** Why the last change happened: the new owner reports a move by it. */
  public enum Cause {
    /** startChild. */
    START,
    /** The owner left gracefully and handed the child over. */
    HANDOFF,
    /** The owner left the cluster (crash, kill, hang) and a survivor took over. */
    FAILOVER,
    /** A rate-limited rebalance after a member joined. */
    REBALANCE,
    /** Its owner is alive but does not run it (a start was lost, or the owner came back from a split). */
    RECLAIM,
    /** terminateChild, or a child that exited for good. */
    TERMINATE,
    /** The per-child restart budget ran out. */
    BUDGET
  }

  /** @return the record read from its JSON text */
  public static OwnershipRecord fromJson(String text) {
    return fromJson(new JsonObject(text));
  }

  /** @return the record read from JSON */
  public static OwnershipRecord fromJson(JsonObject json) {
    return new OwnershipRecord(json.getString("id"), json.getJsonObject("spec"), json.getString("owner"),
        json.getLong("epoch", 0L), Status.valueOf(json.getString("status")), json.getString("from"),
        Cause.valueOf(json.getString("cause", Cause.START.name())), json.getLong("since", 0L));
  }

  /** @return the JSON form; {@code owner} and {@code from} are left out when null */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("spec", spec).put("epoch", epoch)
        .put("status", status.name()).put("cause", cause.name()).put("since", since);
    if (owner != null) {
      json.put("owner", owner);
    }
    if (from != null) {
      json.put("from", from);
    }
    return json;
  }

  /** @return whether the child should be running somewhere */
  public boolean assigned() {
    return status == Status.ASSIGNED;
  }

  /** @return whether the child is gone (a tombstone) */
  public boolean deleted() {
    return status == Status.DELETED;
  }
}
