package dev.overseer.cluster;

/**
 * Whether a side of the cluster may run distributed children: at least {@code size} members
 * must be visible, counted against the cluster size the application <em>expects</em>, not the
 * members a side happens to see. Counting against what a side sees would let both halves of an
 * even split, or a lone member that was paused and came back, believe they are the cluster.
 * Immutable and pure.
 *
 * @param expectedMembers the size of the healthy cluster; 0 turns the check off
 * @param size members needed; defaults to a strict majority of {@code expectedMembers}
 */
public record Quorum(int expectedMembers, int size) {

  /** No quorum: every side runs its children (split-brain duplicates are then possible until the merge). */
  public static final Quorum OFF = new Quorum(0, 0);

  /**
   * Validates the values.
   *
   * @param expectedMembers the size of the healthy cluster; 0 turns the check off
   * @param size members needed, between 1 and {@code expectedMembers} when the check is on
   * @throws IllegalArgumentException when a value is negative, or {@code size} is out of range
   *     while the check is on
   */
  public Quorum {
    if (expectedMembers < 0 || size < 0) {
      throw new IllegalArgumentException("expectedMembers and quorum must be 0 or more");
    }
    if (expectedMembers > 0 && (size < 1 || size > expectedMembers)) {
      throw new IllegalArgumentException("quorum: must be between 1 and expectedMembers (" + expectedMembers + "), got " + size);
    }
  }

  /**
   * @param expectedMembers the size of the healthy cluster; 0 gives {@link #OFF}
   * @return a quorum of a strict majority of {@code expectedMembers} (2 of 3, 3 of 4, 3 of 5)
   */
  public static Quorum majorityOf(int expectedMembers) {
    return expectedMembers == 0 ? OFF : new Quorum(expectedMembers, expectedMembers / 2 + 1);
  }

  /** @return whether the check is on */
  public boolean enabled() {
    return expectedMembers > 0;
  }

  /**
   * @param visibleMembers the members a side sees, itself included
   * @return whether a side that sees {@code visibleMembers} members has quorum; always
   *     {@code true} when the check is off
   */
  public boolean holds(int visibleMembers) {
    return !enabled() || visibleMembers >= size;
  }
}
