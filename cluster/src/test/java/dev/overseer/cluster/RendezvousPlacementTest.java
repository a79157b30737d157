package dev.overseer.cluster;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RendezvousPlacementTest {

  private final Placement placement = RendezvousPlacement.INSTANCE;

  private static List<String> members(int n) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add("node-" + i);
    }
    return list;
  }

  private static List<String> children(int n) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add("child-" + i);
    }
    return list;
  }

  private Map<String, String> place(List<String> children, List<String> members) {
    Map<String, String> out = new HashMap<>();
    for (String c : children) {
      out.put(c, placement.ownerOf(c, members));
    }
    return out;
  }

  @Nested
  class OwnerOf {

    @Test
    void picksOneOfTheMembers() {
      for (String c : children(200)) {
        assertThat(placement.ownerOf(c, members(5))).isIn(members(5));
      }
    }

    @Test
    void doesNotDependOnTheOrderOfMembers() {
      List<String> shuffled = members(7);
      Collections.shuffle(shuffled, new Random(42));
      assertThat(place(children(500), shuffled)).isEqualTo(place(children(500), members(7)));
    }

    @Test
    void aSingleMemberOwnsEverything() {
      assertThat(new TreeSet<>(place(children(100), List.of("only")).values())).containsExactly("only");
    }

    @Test
    void isStableAcrossCallsAndInstances() {
      // Pinned: every JVM and version must compute the same owner.
      assertThat(RendezvousPlacement.weight("child-1", "node-1")).isEqualTo(RendezvousPlacement.weight("child-1", "node-1"));
      assertThat(RendezvousPlacement.weight("ab", "c")).isNotEqualTo(RendezvousPlacement.weight("b", "ac"));
    }

    @Test
    void rejectsNoMembers() {
      assertThatThrownBy(() -> placement.ownerOf("c", List.of())).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("members");
    }
  }

  @Nested
  class Balance {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 8})
    void spreadsChildrenEvenly(int n) {
      Map<String, Integer> counts = new HashMap<>();
      place(children(10_000), members(n)).values().forEach(m -> counts.merge(m, 1, Integer::sum));
      double fair = 10_000.0 / n;
      assertThat(counts).hasSize(n);
      counts.values().forEach(c -> assertThat((double) c).isBetween(fair * 0.9, fair * 1.1));
    }
  }

  @Nested
  class MinimalMovement {

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 6, 9})
    void aLeavingMemberMovesOnlyItsOwnChildren(int n) {
      List<String> before = members(n);
      for (String gone : before) {
        List<String> after = new ArrayList<>(before);
        after.remove(gone);
        Map<String, String> was = place(children(3000), before);
        Map<String, String> now = place(children(3000), after);
        for (String c : was.keySet()) {
          if (!was.get(c).equals(gone)) {
            assertThat(now.get(c)).as("child %s of a staying member", c).isEqualTo(was.get(c));
          } else {
            assertThat(now.get(c)).isNotEqualTo(gone);
          }
        }
      }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8})
    void aJoiningMemberTakesOnlyChildrenItNowOwnsAboutOneNth(int n) {
      List<String> before = members(n);
      List<String> after = new ArrayList<>(before);
      after.add("newcomer");
      Map<String, String> was = place(children(6000), before);
      Map<String, String> now = place(children(6000), after);
      int moved = 0;
      for (String c : was.keySet()) {
        if (!was.get(c).equals(now.get(c))) {
          moved++;
          assertThat(now.get(c)).as("a moved child goes to the newcomer").isEqualTo("newcomer");
        }
      }
      double expected = 6000.0 / (n + 1);
      assertThat((double) moved).isBetween(expected * 0.85, expected * 1.15);
    }
  }
}
