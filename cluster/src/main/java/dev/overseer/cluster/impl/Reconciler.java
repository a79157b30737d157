package dev.overseer.cluster.impl;

import dev.overseer.cluster.Placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one member must do to make what it runs match the ownership table: the whole decision
 * logic of the distributed supervisor, pure (no Vert.x, no Hazelcast), so it is tested as a grid.
 * The supervisor calls it on every membership change, every table change it hears of, and on a
 * timer that repairs what events missed; every action it returns is idempotent.
 *
 * <ul>
 *   <li>Without quorum, stop everything local and touch nothing else: the other side owns the
 *       children now (or will once it removes us).</li>
 *   <li>A local child whose row is gone, not assigned, owned by another member, or at a newer
 *       epoch owned by us is stopped (fenced); in the last case it is then started again at the
 *       new epoch.</li>
 *   <li>A row owned by us that we do not run at its epoch is started.</li>
 *   <li>A row whose owner is no longer a cluster member is taken over by the member the
 *       placement picks among the live supervisor members, by compare-and-set on its epoch, so
 *       members that disagree cannot both take it.</li>
 * </ul>
 *
 * <p>Ownership is judged against cluster membership ({@code clusterMembers}), not supervisor
 * membership: a member that left the supervisor but is still in the cluster is handing its
 * children off, and taking them from it would run them twice.
 */
public final class Reconciler {

  /** What to do. */
  public enum Kind {
    /** Stop the local child (it is no longer ours at this epoch). */
    STOP,
    /** Start the row's child here at its epoch (stopping an older local incarnation first). */
    ENSURE,
    /** Take the row over from its dead owner (compare-and-set on its epoch), then start it. */
    TAKE
  }

  /**
   * One action.
   *
   * @param kind what to do
   * @param id the child
   * @param row the row the action is based on, or {@code null} for a stop of a child without one
   */
  public record Action(Kind kind, String id, OwnershipRecord row) {
  }

  private Reconciler() {
  }

  /**
   * @param me this member's node id
   * @param rows the table as this member last saw it, by child id
   * @param local the epochs of the children this member runs or is starting, by child id
   * @param clusterMembers node ids of the cluster's members, this one included
   * @param supervisorMembers node ids of the live members that run this supervisor (placement candidates)
   * @param quorum whether this side has quorum
   * @param placement the placement strategy
   * @return the actions, ordered by child id
   */
  public static List<Action> plan(String me, Map<String, OwnershipRecord> rows, Map<String, Long> local,
                                  Set<String> clusterMembers, Collection<String> supervisorMembers,
                                  boolean quorum, Placement placement) {
    List<Action> actions = new ArrayList<>();
    Map<String, Long> sortedLocal = new TreeMap<>(local);
    if (!quorum) {
      for (String id : sortedLocal.keySet()) {
        actions.add(new Action(Kind.STOP, id, rows.get(id)));
      }
      return actions;
    }
    for (Map.Entry<String, Long> e : sortedLocal.entrySet()) {
      OwnershipRecord row = rows.get(e.getKey());
      if (row == null ? false : row.epoch() < e.getValue()) {
        continue; // our view of the table is behind what we started: keep it
      }
      if (row == null || !row.assigned() || !me.equals(row.owner())) {
        actions.add(new Action(Kind.STOP, e.getKey(), row));
      }
    }
    Map<String, OwnershipRecord> sortedRows = new TreeMap<>(rows);
    for (OwnershipRecord row : sortedRows.values()) {
      if (!row.assigned()) {
        continue;
      }
      if (me.equals(row.owner())) {
        Long epoch = local.get(row.id());
        if (epoch == null || epoch < row.epoch()) {
          actions.add(new Action(Kind.ENSURE, row.id(), row));
        }
      } else if (!clusterMembers.contains(row.owner()) && !supervisorMembers.isEmpty()
          && me.equals(placement.ownerOf(row.id(), supervisorMembers))) {
        actions.add(new Action(Kind.TAKE, row.id(), row));
      }
    }
    return actions;
  }
}
