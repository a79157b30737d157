package dev.overseer.cluster.impl;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stash slot's counters, without Hazelcast: the entry's {@code revision} counts puts since the
 * last remove (what {@code StashEntry.revision} promises), the slot's {@code version} counts every
 * change and never goes back (what a split's merge compares at one epoch).
 */
class StashOpTest {

  private static final class Slot extends AbstractMap.SimpleEntry<String, String> {
    Slot() {
      super("k", null);
    }
  }

  private static JsonObject run(Slot slot, StashOp op) {
    op.process(slot);
    return new JsonObject(slot.getValue());
  }

  @Test
  void everyChangeRaisesTheVersionAndRevisionsCountPutsSinceTheLastRemove() {
    Slot slot = new Slot();
    assertThat(run(slot, StashOp.put("1", 1, 0, 10)).getLong("version")).isEqualTo(1);
    JsonObject two = run(slot, StashOp.put("2", 1, 0, 11));
    assertThat(two.getLong("version")).isEqualTo(2);
    assertThat(two.getJsonObject("entry").getLong("revision")).isEqualTo(2);

    JsonObject claimed = run(slot, StashOp.claim());
    assertThat(claimed.getLong("epoch")).isEqualTo(1);
    assertThat(claimed.getLong("version")).as("a claim changes no value").isEqualTo(2);

    JsonObject removed = run(slot, StashOp.remove());
    assertThat(removed.getLong("version")).isEqualTo(3);
    assertThat(removed.containsKey("entry")).isFalse();

    JsonObject again = run(slot, StashOp.put("3", 1, 1, 12));
    assertThat(again.getLong("version")).as("never reset by a remove").isEqualTo(4);
    assertThat(again.getJsonObject("entry").getLong("revision")).as("puts since the remove").isEqualTo(1);

    long revision = again.getJsonObject("entry").getLong("revision");
    JsonObject cleared = run(slot, StashOp.clearRevision(revision));
    assertThat(cleared.getLong("version")).isEqualTo(5);
    assertThat(cleared.getLong("epoch")).isEqualTo(1);
  }

  @Test
  void aClaimAnswersTheEntryAsOfTheClaimMarkedAsRead() {
    Slot slot = new Slot();
    JsonObject empty = new JsonObject(StashOp.claim().process(slot));
    assertThat(empty.getLong("epoch")).isEqualTo(1);
    assertThat(empty.getBoolean("read")).as("tells a claim that read from an older member's").isTrue();
    assertThat(empty.containsKey("entry")).isFalse();
    JsonObject written = run(slot, StashOp.put("{\"n\":3}", 2, 1, 10)).getJsonObject("entry");
    JsonObject claimed = new JsonObject(StashOp.claim().process(slot));
    assertThat(claimed.getLong("epoch")).isEqualTo(2);
    assertThat(claimed.getBoolean("read")).isTrue();
    assertThat(claimed.getJsonObject("entry")).isEqualTo(written);
  }

  /** Without a member (no cluster time) a deadline cannot be checked: the claim is made. */
  @Test
  void aClaimsBackupAppliesWhatTheOwnerDidWithoutCheckingTheDeadlineAgain() {
    Slot slot = new Slot();
    StashOp claim = StashOp.claim(1L);
    assertThat(new JsonObject(claim.process(slot)).getLong("epoch")).isEqualTo(1);
    Slot backup = new Slot();
    // the backup processor is a copy without the deadline: a backup replica whose clock is past
    // it must still apply the claim its owner made
    com.hazelcast.map.EntryProcessor<String, String, String> onBackup = claim.getBackupProcessor();
    assertThat(onBackup).isNotSameAs(claim);
    onBackup.process(backup);
    assertThat(backup.getValue()).isEqualTo(slot.getValue());
  }

  @Test
  void aRejectedWriteChangesNothing() {
    Slot slot = new Slot();
    run(slot, StashOp.claim());
    run(slot, StashOp.claim());
    String before = run(slot, StashOp.put("x", 1, 2, 1)).encode();
    assertThat(new JsonObject(StashOp.put("y", 1, 1, 2).process(slot)).getLong("stale")).isEqualTo(2);
    assertThat(slot.getValue()).isEqualTo(before);
  }

  @Test
  void aSlotWrittenBeforeVersionsContinuesFromItsEntrysRevision() {
    Map.Entry<String, String> slot = new Slot();
    slot.setValue("{\"epoch\":1,\"entry\":{\"json\":\"1\",\"schemaVersion\":1,\"epoch\":1,\"updatedAt\":1,\"revision\":6}}");
    StashOp.put("2", 1, 1, 2).process(slot);
    assertThat(new JsonObject(slot.getValue()).getLong("version")).isEqualTo(7);
  }
}
