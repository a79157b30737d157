package dev.overseer.cluster.impl;

import dev.overseer.cluster.impl.OwnershipRecord.Cause;
import dev.overseer.cluster.impl.OwnershipRecord.Status;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TableOpTest {

  private static final JsonObject SPEC = new JsonObject().put("id", "c").put("verticle", "V");

  private static OwnershipRecord row(String owner, long epoch, Status status) {
    return new OwnershipRecord("c", SPEC, owner, epoch, status, null, Cause.START, 0);
  }

  @Nested
  class Create {
    @Test
    void addsAnAbsentChildAtEpochOne() {
      OwnershipRecord r = TableOp.create(SPEC, "a", 7).apply("c", null);
      assertThat(r).isEqualTo(new OwnershipRecord("c", SPEC, "a", 1, Status.ASSIGNED, null, Cause.START, 7));
    }

    @Test
    void neverReplacesALiveOrFailedRow() {
      OwnershipRecord live = row("b", 4, Status.ASSIGNED);
      OwnershipRecord failed = row(null, 5, Status.FAILED);
      assertThat(TableOp.create(SPEC, "a", 7).apply("c", live)).isSameAs(live);
      assertThat(TableOp.create(SPEC, "a", 7).apply("c", failed)).isSameAs(failed);
    }

    @Test
    void reusesATombstoneAboveItsEpoch() {
      OwnershipRecord r = TableOp.create(SPEC, "a", 7).apply("c", row(null, 9, Status.DELETED));
      assertThat(r.epoch()).isEqualTo(10);
      assertThat(r.assigned()).isTrue();
    }
  }

  @Nested
  class Move {
    @Test
    void movesAtTheExpectedEpochAndRemembersWhereFrom() {
      OwnershipRecord r = TableOp.move(4, "b", Cause.FAILOVER, 11).apply("c", row("a", 4, Status.ASSIGNED));
      assertThat(r).isEqualTo(new OwnershipRecord("c", SPEC, "b", 5, Status.ASSIGNED, "a", Cause.FAILOVER, 11));
    }

    @Test
    void losesARaceAtAnyOtherEpoch() {
      OwnershipRecord newer = row("x", 5, Status.ASSIGNED);
      assertThat(TableOp.move(4, "b", Cause.FAILOVER, 11).apply("c", newer)).isSameAs(newer);
      assertThat(TableOp.move(6, "b", Cause.FAILOVER, 11).apply("c", newer)).isSameAs(newer);
    }

    @Test
    void neverRevivesAFailedOrDeletedChild() {
      OwnershipRecord failed = row(null, 4, Status.FAILED);
      OwnershipRecord deleted = row(null, 4, Status.DELETED);
      assertThat(TableOp.move(4, "b", Cause.FAILOVER, 1).apply("c", failed)).isSameAs(failed);
      assertThat(TableOp.move(4, "b", Cause.FAILOVER, 1).apply("c", deleted)).isSameAs(deleted);
      assertThat(TableOp.move(0, "b", Cause.FAILOVER, 1).apply("c", null)).isNull();
    }
  }

  @Nested
  class Delete {
    @Test
    void leavesATombstoneOneEpochUp() {
      OwnershipRecord r = TableOp.delete(-1, 3).apply("c", row("a", 4, Status.ASSIGNED));
      assertThat(r.status()).isEqualTo(Status.DELETED);
      assertThat(r.epoch()).isEqualTo(5);
      assertThat(r.owner()).isNull();
      assertThat(r.from()).isEqualTo("a");
    }

    @Test
    void atAnExpectedEpochOnly() {
      OwnershipRecord live = row("a", 4, Status.ASSIGNED);
      assertThat(TableOp.delete(3, 3).apply("c", live)).isSameAs(live);
      assertThat(TableOp.delete(4, 3).apply("c", live).deleted()).isTrue();
    }

    @Test
    void deletesAFailedChildButNotATombstone() {
      assertThat(TableOp.delete(-1, 3).apply("c", row(null, 4, Status.FAILED)).deleted()).isTrue();
      OwnershipRecord tomb = row(null, 4, Status.DELETED);
      assertThat(TableOp.delete(-1, 3).apply("c", tomb)).isSameAs(tomb);
    }
  }

  @Nested
  class Fail {
    @Test
    void marksAnAssignedChildAtTheExpectedEpoch() {
      OwnershipRecord r = TableOp.fail(4, 3).apply("c", row("a", 4, Status.ASSIGNED));
      assertThat(r.status()).isEqualTo(Status.FAILED);
      assertThat(r.epoch()).isEqualTo(5);
      OwnershipRecord moved = row("b", 5, Status.ASSIGNED);
      assertThat(TableOp.fail(4, 3).apply("c", moved)).isSameAs(moved);
    }
  }

  @Test
  void aRowSurvivesItsJsonForm() {
    OwnershipRecord r = new OwnershipRecord("c", SPEC, "a", 3, Status.ASSIGNED, "b", Cause.HANDOFF, 99);
    assertThat(OwnershipRecord.fromJson(r.toJson().encode())).isEqualTo(r);
    OwnershipRecord noOwner = new OwnershipRecord("c", SPEC, null, 3, Status.DELETED, null, Cause.TERMINATE, 99);
    assertThat(OwnershipRecord.fromJson(noOwner.toJson().encode())).isEqualTo(noOwner);
  }
}
