package dev.overseer.stash;

import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Stash#claimAndGet} returns: the epoch just claimed and, when the stash read the key
 * in the same step, its entry as of that claim.
 *
 * @param epoch the new epoch
 * @param entryRead whether the stash read the entry with the claim; when {@code false} the
 *     caller reads it with {@link Stash#get} (the claim still fences older writers)
 * @param entry the key's entry as of the claim, empty when it holds no value (always empty when
 *     {@code entryRead} is {@code false})
 */
public record StashClaim(long epoch, boolean entryRead, Optional<StashEntry> entry) {

  /**
   * Checks the fields.
   *
   * @param epoch the new epoch
   * @param entryRead whether the entry was read with the claim
   * @param entry the entry as of the claim; empty when none, or when it was not read
   */
  public StashClaim {
    Objects.requireNonNull(entry, "entry");
    if (!entryRead && entry.isPresent()) {
      throw new IllegalArgumentException("an entry that was not read cannot be present");
    }
  }

  /**
   * @param epoch the new epoch
   * @return a claim whose entry was not read
   */
  public static StashClaim epochOnly(long epoch) {
    return new StashClaim(epoch, false, Optional.empty());
  }

  /**
   * @param epoch the new epoch
   * @param entry the entry as of the claim, empty when the key holds no value
   * @return a claim with its entry
   */
  public static StashClaim withEntry(long epoch, Optional<StashEntry> entry) {
    return new StashClaim(epoch, true, entry);
  }
}
