package dev.overseer.cluster.impl;

import dev.overseer.cluster.Placement;
import dev.overseer.cluster.RendezvousPlacement;
import dev.overseer.cluster.impl.OwnershipRecord.Cause;
import dev.overseer.cluster.impl.OwnershipRecord.Status;
import dev.overseer.cluster.impl.Reconciler.Action;
import dev.overseer.cluster.impl.Reconciler.Kind;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ReconcilerTest {

  private static final Placement TO_B = (id, members) -> members.contains("b") ? "b" : members.iterator().next();

  private static OwnershipRecord row(String id, String owner, long epoch, Status status) {
    return new OwnershipRecord(id, new JsonObject().put("id", id), owner, epoch, status, null, Cause.START, 0);
  }

  private static Map<String, OwnershipRecord> rows(OwnershipRecord... rs) {
    Map<String, OwnershipRecord> m = new HashMap<>();
    for (OwnershipRecord r : rs) {
      m.put(r.id(), r);
    }
    return m;
  }

  private static List<Action> plan(String me, Map<String, OwnershipRecord> rows, Map<String, Long> local,
                                   Set<String> cluster, boolean quorum, Placement placement) {
    return Reconciler.plan(me, rows, local, cluster, new java.util.TreeSet<>(cluster), quorum, placement);
  }

  private static List<String> summary(List<Action> actions) {
    return actions.stream().map(a -> a.kind() + " " + a.id()).toList();
  }

  @Nested
  class OwnRows {
    @Test
    void startsWhatItOwnsAndDoesNotRun() {
      assertThat(summary(plan("a", rows(row("x", "a", 1, Status.ASSIGNED)), Map.of(), Set.of("a", "b"), true, TO_B)))
          .containsExactly("ENSURE x");
    }

    @Test
    void leavesAloneWhatItRunsAtTheRowsEpoch() {
      assertThat(plan("a", rows(row("x", "a", 3, Status.ASSIGNED)), Map.of("x", 3L), Set.of("a"), true, TO_B)).isEmpty();
    }

    @Test
    void restartsAnOlderLocalIncarnationAtTheNewEpoch() {
      assertThat(summary(plan("a", rows(row("x", "a", 4, Status.ASSIGNED)), Map.of("x", 3L), Set.of("a"), true, TO_B)))
          .containsExactly("ENSURE x");
    }

    @Test
    void keepsALocalChildNewerThanItsViewOfTheTable() {
      assertThat(plan("a", rows(row("x", "b", 2, Status.ASSIGNED)), Map.of("x", 3L), Set.of("a", "b"), true, TO_B)).isEmpty();
    }
  }

  @Nested
  class Fencing {
    @Test
    void stopsALocalChildNowOwnedByAnother() {
      assertThat(summary(plan("a", rows(row("x", "b", 4, Status.ASSIGNED)), Map.of("x", 3L), Set.of("a", "b"), true, TO_B)))
          .containsExactly("STOP x");
    }

    @Test
    void stopsALocalChildThatFailedOrWasDeletedOrHasNoRow() {
      Map<String, OwnershipRecord> rs = rows(row("f", null, 4, Status.FAILED), row("d", null, 4, Status.DELETED));
      assertThat(summary(plan("a", rs, Map.of("f", 3L, "d", 3L, "n", 1L), Set.of("a"), true, TO_B)))
          .containsExactly("STOP d", "STOP f", "STOP n");
    }

    @Test
    void withoutQuorumStopsEverythingLocalAndTakesNothing() {
      Map<String, OwnershipRecord> rs = rows(row("x", "a", 1, Status.ASSIGNED), row("y", "dead", 1, Status.ASSIGNED));
      assertThat(summary(plan("a", rs, Map.of("x", 1L), Set.of("a"), false, (id, m) -> "a")))
          .containsExactly("STOP x");
    }
  }

  @Nested
  class Takeover {
    @Test
    void thePlacementsChoiceTakesADeadOwnersChildren() {
      Map<String, OwnershipRecord> rs = rows(row("x", "dead", 5, Status.ASSIGNED));
      assertThat(summary(plan("b", rs, Map.of(), Set.of("a", "b"), true, TO_B))).containsExactly("TAKE x");
      assertThat(plan("a", rs, Map.of(), Set.of("a", "b"), true, TO_B)).isEmpty();
    }

    @Test
    void exactlyOneSurvivorTakesEachChildWhenAllAgree() {
      Map<String, OwnershipRecord> rs = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        rs.put("c" + i, row("c" + i, "dead", 1, Status.ASSIGNED));
      }
      Set<String> survivors = Set.of("a", "b", "c");
      Map<String, Integer> takers = new HashMap<>();
      for (String me : survivors) {
        for (Action a : plan(me, rs, Map.of(), survivors, true, RendezvousPlacement.INSTANCE)) {
          assertThat(a.kind()).isEqualTo(Kind.TAKE);
          takers.merge(a.id(), 1, Integer::sum);
        }
      }
      assertThat(takers).hasSize(300);
      assertThat(takers.values()).containsOnly(1);
    }

    @Test
    void doesNotTakeFromAMemberThatLeftTheSupervisorButIsStillInTheCluster() {
      // It is handing its children off: taking them would run them twice.
      Map<String, OwnershipRecord> rs = rows(row("x", "leaving", 5, Status.ASSIGNED));
      assertThat(Reconciler.plan("b", rs, Map.of(), Set.of("b", "leaving"), Set.of("b"), true, TO_B)).isEmpty();
    }

    @Test
    void neverTakesFailedOrDeletedChildren() {
      Map<String, OwnershipRecord> rs = rows(row("f", null, 4, Status.FAILED), row("d", null, 4, Status.DELETED));
      assertThat(plan("b", rs, Map.of(), Set.of("b"), true, TO_B)).isEmpty();
    }

    @Test
    void takesNothingWithoutSupervisorMembers() {
      Map<String, OwnershipRecord> rs = rows(row("x", "dead", 5, Status.ASSIGNED));
      assertThat(Reconciler.plan("b", rs, Map.of(), Set.of("b"), Set.of(), true, TO_B)).isEmpty();
    }
  }
}
