package dev.overseer.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The default {@link Placement}: rendezvous (highest-random-weight) hashing. Every (child,
 * member) pair gets a pseudo-random weight; the child goes to the member with the highest. When a
 * member leaves, only its own children move (each to the member with its next-highest weight);
 * when a member joins, it takes only the children for which it now has the highest weight, about
 * {@code 1/n} of them. No ring, no virtual nodes, no state.
 *
 * <p>The weight is a 64-bit FNV-1a hash of the member and child ids (UTF-8), finished with
 * SplitMix64's mixer: stable across JVMs, versions and restarts, which matters because every
 * member must compute the same owner. Ties (a 2<sup>-64</sup> chance) go to the smaller node id.
 */
public final class RendezvousPlacement implements Placement {

  /** The one instance: the strategy has no state. */
  public static final RendezvousPlacement INSTANCE = new RendezvousPlacement();

  private RendezvousPlacement() {
  }

  @Override
  public String ownerOf(String childId, Collection<String> members) {
    if (members == null || members.isEmpty()) {
      throw new IllegalArgumentException("members: no live member to place child '" + childId + "' on");
    }
    String best = null;
    long bestWeight = 0;
    for (String member : members) {
      long w = weight(childId, member);
      if (best == null || Long.compareUnsigned(w, bestWeight) > 0
          || (w == bestWeight && member.compareTo(best) < 0)) {
        best = member;
        bestWeight = w;
      }
    }
    return best;
  }

  /** @return the weight of {@code member} for {@code childId}; exposed for tests */
  static long weight(String childId, String member) {
    long h = 0xcbf29ce484222325L;
    h = fnv(h, member.getBytes(StandardCharsets.UTF_8));
    h = (h ^ 0xff) * 0x100000001b3L; // a separator no UTF-8 text contains, so ("ab","c") != ("a","bc")
    h = fnv(h, childId.getBytes(StandardCharsets.UTF_8));
    h += 0x9e3779b97f4a7c15L;
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }

  private static long fnv(long h, byte[] bytes) {
    for (byte b : bytes) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return h;
  }

  @Override
  public String toString() {
    return "rendezvous";
  }
}
