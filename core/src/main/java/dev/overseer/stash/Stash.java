package dev.overseer.stash;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * An asynchronous store of versioned entries where servers keep state that must outlive them.
 * The seeds' separate "stash" process, made a contract: {@link LocalStash} (in memory, survives
 * crashes of servers, not of the JVM) is the embedded default; the cluster module's Hazelcast
 * stash survives a member leaving. Every implementation passes the same conformance suite.
 *
 * <p>Values are JSON text, never Java-serialized objects. Ownership is fenced: a server claims
 * an epoch when it starts ({@link #claim}), writes carry it, and a write with an epoch older
 * than the entry's is rejected with {@link StashException.Reason#STALE_EPOCH}, so a superseded
 * incarnation (a zombie) cannot overwrite its successor's state.
 *
 * <p>All futures complete on the caller's context when there is one.
 */
public interface Stash {

  /**
   * @param key the key
   * @return the entry under {@code key}, or empty when no value was ever written (or it was removed or quarantined)
   */
  Future<Optional<StashEntry>> get(String key);

  /**
   * Writes a value, compare-and-set on the epoch.
   *
   * @param key the key
   * @param json the value as JSON text; stored as given
   * @param schemaVersion the writer's schema version, 1 or more
   * @param epoch the writer's ownership epoch
   * @return the new entry; fails with {@link StashException.Reason#STALE_EPOCH} when {@code epoch}
   *     is older than the key's current epoch (nothing is written then)
   */
  Future<StashEntry> put(String key, String json, int schemaVersion, long epoch);

  /**
   * Claims ownership of {@code key} for a new incarnation: atomically raises the key's epoch by
   * one and returns it. Writes with older epochs are rejected from then on.
   *
   * @param key the key
   * @return the new epoch, 1 for a key never claimed; fails with
   *     {@link StashException.Reason#EPOCH_EXHAUSTED} when the key's epoch is already
   *     {@link Long#MAX_VALUE} (epochs never wrap; the key keeps its entry and its epoch)
   */
  Future<Long> claim(String key);

  /**
   * Claims {@code key} as {@link #claim} does and, where the store can, reads its entry in the
   * same atomic step: a server's start (claim, then load) then waits for one round trip to the
   * store instead of two, which is most of the time a moved server is away. The default claims
   * only ({@link StashClaim#entryRead()} is {@code false}) and the caller reads with {@link #get}
   * next; {@link LocalStash} and the cluster module's Hazelcast stash read with the claim.
   *
   * @param key the key
   * @return the new epoch, with the entry as of the claim when it was read; fails as
   *     {@link #claim} does
   */
  default Future<StashClaim> claimAndGet(String key) {
    return claim(key).map(StashClaim::epochOnly);
  }

  /**
   * {@link #claimAndGet(String)} for a caller that waits only {@code within}: a claim the store
   * has not made by then fails, and is never made later. A caller that gave up on a claim and
   * claims again (a server's next start) must not find its new epoch raised over by the old
   * claim landing late: its writes would all be refused. The default claims as
   * {@link #claimAndGet(String)} does, for a store whose claims land at once or not at all (as
   * {@link LocalStash}'s); the cluster module's Hazelcast stash has the key's owner refuse a
   * claim past the deadline.
   *
   * @param key the key
   * @param within how long the caller waits for the claim, from now
   * @return as {@link #claimAndGet(String)}; fails with {@link StashException.Reason#UNAVAILABLE}
   *     when the claim was not made in time
   */
  default Future<StashClaim> claimAndGet(String key, java.time.Duration within) {
    return claimAndGet(key);
  }

  /**
   * Removes the value under {@code key}; its epoch is kept, so fencing still holds.
   *
   * @param key the key
   * @return completes when done, or fails with the reason
   */
  Future<Void> remove(String key);

  /**
   * Moves the value under {@code key} aside: it is no longer returned by {@link #get}, but kept
   * with {@code reason} in {@link #quarantined()}. Does nothing when there is no value.
   *
   * @param key the key
   * @param reason why
   * @return completes when done, or fails with the reason
   */
  Future<Void> quarantine(String key, String reason);

  /** @return every quarantined entry, oldest first */
  Future<List<QuarantinedEntry>> quarantined();

  /** @return every entry that holds a value, ordered by key (what the console's stash page lists) */
  Future<List<StashEntry>> entries();
}
