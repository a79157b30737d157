package dev.overseer.chaos;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The checker on synthetic histories: a clean one passes, and each anomaly is caught alone. */
class CheckerTest {

  private static final long MS = 1_000_000;

  private static History history() {
    Map<String, History.ChildKind> kinds = new LinkedHashMap<>();
    kinds.put("seq", History.ChildKind.SEQUENCE);
    kinds.put("ctr", History.ChildKind.COUNTER);
    return new History(42, kinds).window(0, 1000 * MS);
  }

  private static Op ok(String child, String f, long from, long to, long value, String member, long epoch) {
    return new Op("c1", child, f, from * MS, to * MS, Op.Type.OK, value, member, epoch, member, null, false);
  }

  private static Op info(String child, String f, long from, long to) {
    return new Op("c1", child, f, from * MS, to * MS, Op.Type.INFO, null, null, null, "m1", "timeout", false);
  }

  private static Op fin(String child, long at, long value, String member, long epoch) {
    return new Op("final", child, Op.READ, at * MS, (at + 1) * MS, Op.Type.OK, value, member, epoch, member, null, true);
  }

  /** A clean history: every child answers at the end with what was acknowledged. */
  private static History clean() {
    History h = history();
    h.add(ok("seq", Op.NEXT, 10, 20, 0, "m1", 1));
    h.add(ok("seq", Op.NEXT, 30, 40, 1, "m1", 1));
    h.add(ok("seq", Op.NEXT, 35, 45, 2, "m2", 2));   // overlaps the previous one: order free
    h.add(ok("ctr", Op.INCR, 10, 20, 1, "m1", 1));
    h.add(ok("ctr", Op.INCR, 30, 40, 2, "m1", 1));
    h.add(ok("ctr", Op.READ, 50, 60, 2, "m1", 1));
    h.add(fin("seq", 2000, 3, "m2", 2));
    h.add(fin("ctr", 2000, 2, "m1", 1));
    return h;
  }

  private static List<Anomaly.Kind> kinds(History h) {
    return Checker.check(h).anomalies().stream().map(Anomaly::kind).distinct().toList();
  }

  @Test
  void acceptsACleanHistory() {
    Verdict v = Checker.check(clean());
    assertThat(v.valid()).as(v.toJson().encodePrettily()).isTrue();
    assertThat(v.operations()).containsEntry(Op.Type.OK, 8L);
    assertThat(v.availabilityPercent()).isEqualTo(100.0);
  }

  @Test
  void acceptsUnknownIncrementsThatHappened() {
    History h = history();
    h.add(ok("ctr", Op.INCR, 10, 20, 1, "m1", 1));
    h.add(info("ctr", Op.INCR, 30, 3000));
    h.add(fin("seq", 4000, 0, "m1", 1));
    h.add(fin("ctr", 4000, 2, "m1", 1));
    assertThat(Checker.check(h).valid()).isTrue();
  }

  @Test
  void acceptsANewEpochOnAnotherMemberAfterFailover() {
    History h = history();
    h.add(ok("ctr", Op.INCR, 10, 20, 1, "m1", 1));
    h.add(ok("ctr", Op.READ, 100, 110, 1, "m3", 7));
    h.add(ok("ctr", Op.INCR, 120, 130, 2, "m3", 7));
    h.add(fin("seq", 2000, 0, "m2", 3));
    h.add(fin("ctr", 2000, 2, "m3", 7));
    Verdict v = Checker.check(h);
    assertThat(v.valid()).as(v.toJson().encodePrettily()).isTrue();
  }

  @Nested
  class Catches {

    @Test
    void aSequenceNumberHandedOutTwice() {
      History h = clean();
      h.add(ok("seq", Op.NEXT, 36, 46, 2, "m2", 2));
      assertThat(kinds(h)).containsExactly(Anomaly.Kind.DUPLICATE_SEQUENCE);
    }

    @Test
    void aValueGoingBackwards() {
      History h = clean();
      h.add(ok("ctr", Op.READ, 70, 80, 1, "m1", 1));
      assertThat(kinds(h)).containsExactly(Anomaly.Kind.NONMONOTONIC);
    }

    @Test
    void anIncrementThatDidNotMoveTheCounter() {
      History h = clean();
      h.add(ok("ctr", Op.INCR, 70, 80, 2, "m1", 1));   // the read at 60 saw 2 already
      assertThat(kinds(h)).contains(Anomaly.Kind.NONMONOTONIC);
    }

    @Test
    void anAcknowledgedIncrementLostAtTheEnd() {
      History h = history();
      h.add(ok("ctr", Op.INCR, 10, 20, 1, "m1", 1));
      h.add(ok("ctr", Op.INCR, 10, 20, 2, "m1", 1));
      h.add(fin("seq", 2000, 0, "m1", 1));
      h.add(fin("ctr", 2000, 1, "m2", 2));
      assertThat(Checker.check(h).anomalies()).extracting(Anomaly::kind)
          .contains(Anomaly.Kind.LOST_UPDATE);
    }

    @Test
    void aSequenceThatWouldHandOutANumberAgain() {
      History h = history();
      h.add(ok("seq", Op.NEXT, 10, 20, 0, "m1", 1));
      h.add(ok("seq", Op.NEXT, 30, 40, 1, "m1", 1));
      h.add(fin("seq", 2000, 1, "m2", 2));
      h.add(fin("ctr", 2000, 0, "m1", 1));
      assertThat(kinds(h)).contains(Anomaly.Kind.LOST_UPDATE);
    }

    @Test
    void anIncrementNobodyMade() {
      History h = clean();
      List<Op> ops = h.ops();
      History bad = history();
      ops.stream().filter(o -> !(o.fin() && o.child().equals("ctr"))).forEach(bad::add);
      bad.add(fin("ctr", 2000, 5, "m1", 1));
      assertThat(kinds(bad)).containsExactly(Anomaly.Kind.PHANTOM_UPDATE);
    }

    @Test
    void anOlderIncarnationAnsweringAfterANewerOne() {
      History h = clean();
      h.add(ok("ctr", Op.READ, 100, 110, 2, "m2", 5));
      h.add(ok("ctr", Op.READ, 120, 130, 2, "m1", 1));   // m1 still answers with epoch 1: a zombie
      assertThat(kinds(h)).containsExactly(Anomaly.Kind.TWO_LIVE_INSTANCES);
    }

    @Test
    void oneEpochOnTwoMembers() {
      History h = clean();
      h.add(ok("ctr", Op.READ, 100, 110, 2, "m2", 1));
      assertThat(kinds(h)).containsExactly(Anomaly.Kind.TWO_LIVE_INSTANCES);
    }

    @Test
    void aChildThatIsNotRunningAtTheEnd() {
      History h = history();
      clean().ops().stream().filter(o -> !(o.fin() && o.child().equals("seq"))).forEach(h::add);
      h.add(new Op("final", "seq", Op.READ, 2000 * MS, 2010 * MS, Op.Type.FAIL, null, null, null, "m1", "no handlers", true));
      assertThat(kinds(h)).containsExactly(Anomaly.Kind.CHILD_LOST);
    }
  }

  @Test
  void measuresTheLongestUnavailability() {
    History h = history();
    h.add(ok("ctr", Op.INCR, 0, 100, 1, "m1", 1));
    h.add(new Op("c1", "ctr", Op.INCR, 110 * MS, 400 * MS, Op.Type.FAIL, null, null, null, "m1", "down", false));
    h.add(ok("ctr", Op.INCR, 500, 700, 2, "m2", 2));
    h.add(ok("seq", Op.NEXT, 0, 10, 0, "m1", 1));
    h.add(fin("ctr", 2000, 2, "m2", 2));
    h.add(fin("seq", 2000, 1, "m1", 1));
    Verdict v = Checker.check(h);
    assertThat(v.valid()).isTrue();
    assertThat(v.longestUnavailabilityMillis()).containsEntry("ctr", 600L).containsEntry("seq", 990L);
    assertThat(v.availabilityPercent()).isEqualTo(75.0);
  }

  @Test
  void readsBackTheHistoryItWrote() {
    History h = clean();
    h.add(new Fault(Fault.Kind.KILL, "member-1", 5 * MS, 9 * MS, "pid 1"));
    History back = History.fromJsonLines(h.toJsonLines());
    assertThat(Checker.check(back).toJson()).isEqualTo(Checker.check(h).toJson());
    assertThat(Checker.check(back).faults()).containsEntry(Fault.Kind.KILL, 1L);
  }
}
