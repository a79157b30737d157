package dev.overseer.cluster.impl;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.spi.merge.MergingValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The merge decision on plain values; the real split is exercised in the multi-JVM partition test. */
class HigherEpochMergePolicyTest {

  /** A merging value as Hazelcast hands it over: the raw form is what the policy returns. */
  private record Value(HazelcastJsonValue value, String raw) implements MergingValue<Object> {
    @Override
    public Object getDeserializedValue() {
      return value;
    }

    @Override
    public Object getRawValue() {
      return raw;
    }
  }

  private static Value row(long epoch, String side) {
    return new Value(new HazelcastJsonValue("{\"id\":\"c\",\"epoch\":" + epoch + ",\"status\":\"ASSIGNED\"}"), side);
  }

  @ParameterizedTest(name = "merging epoch {0} vs existing {1}: {2} wins")
  @CsvSource({"5,4,merging", "4,5,existing", "5,5,existing", "1,9,existing", "9,1,merging"})
  void theHigherEpochWinsAndATieKeepsTheTarget(long merging, long existing, String winner) {
    assertThat(new HigherEpochMergePolicy().merge(row(merging, "merging"), row(existing, "existing"))).isEqualTo(winner);
  }

  /** A stash slot as {@link StashOp} writes it. */
  private static Value slot(long epoch, long version, String side) {
    return new Value(new HazelcastJsonValue("{\"epoch\":" + epoch + ",\"version\":" + version
        + ",\"entry\":{\"json\":\"" + side + "\",\"revision\":" + version + "}}"), side);
  }

  /**
   * The double fault's loss: one side acknowledged writes at the owner's epoch that the other
   * side's copy never saw, and that side merged in. The newer version must win, whichever side
   * holds it; the epoch still comes first.
   */
  @ParameterizedTest(name = "merging {0}/{1} vs existing {2}/{3}: {4} wins")
  @CsvSource({"4,7,4,5,merging", "4,5,4,7,existing", "4,6,4,6,existing", "5,1,4,9,merging", "4,9,5,1,existing"})
  void atOneEpochTheHigherVersionWins(long mEpoch, long mVersion, long eEpoch, long eVersion, String winner) {
    assertThat(new HigherEpochMergePolicy().merge(slot(mEpoch, mVersion, "merging"), slot(eEpoch, eVersion, "existing")))
        .isEqualTo(winner);
  }

  @Test
  void aSlotWithoutAVersionComparesItsEntrysRevision() {
    Value old = new Value(new HazelcastJsonValue("{\"epoch\":3,\"entry\":{\"revision\":8}}"), "merging");
    assertThat(new HigherEpochMergePolicy().merge(old, slot(3, 7, "existing"))).isEqualTo("merging");
    assertThat(HigherEpochMergePolicy.versionOf("{\"epoch\":3}")).containsExactly(3, 0);
    assertThat(HigherEpochMergePolicy.versionOf("{\"epoch\":\"x\"}")).containsExactly(-1, -1);
  }

  @Test
  void aKeyOnlyOneSideHasIsKept() {
    assertThat(new HigherEpochMergePolicy().merge(row(3, "merging"), null)).isEqualTo("merging");
    assertThat(new HigherEpochMergePolicy().merge(null, row(3, "existing"))).isEqualTo("existing");
  }

  @Test
  void anUnreadableRowLoses() {
    Value junk = new Value(new HazelcastJsonValue("not json"), "junk");
    assertThat(new HigherEpochMergePolicy().merge(junk, row(0, "existing"))).isEqualTo("existing");
    assertThat(HigherEpochMergePolicy.epochOf("{\"epoch\":7}")).isEqualTo(7);
    assertThat(HigherEpochMergePolicy.epochOf(42)).isEqualTo(-1);
  }

  /** A stash slot as {@link StashOp} leaves it, with the raw form the policy returns. */
  private static Value slot(Map.Entry<String, String> e, String side) {
    return new Value(new HazelcastJsonValue(e.getValue()), side);
  }

  private static Map.Entry<String, String> copy(Map.Entry<String, String> e) {
    return new AbstractMap.SimpleEntry<>(e.getKey(), e.getValue());
  }

  /**
   * Issue #10: a member paused while the key's owner kept writing at the same epoch holds an older
   * copy at that epoch. Two single members merge by address, so the cluster merged into may be
   * the paused one: the copy that saw more writes must win either way, or acknowledged writes are
   * lost.
   */
  @Test
  void onATieTheCopyWithMoreWritesWinsWhicheverSideItIsOn() {
    Map.Entry<String, String> key = new AbstractMap.SimpleEntry<>("counter.c1", null);
    StashOp.claim().process(key);
    StashOp.put("1", 1, 1, 10).process(key);
    Map.Entry<String, String> paused = copy(key);
    StashOp.put("2", 1, 1, 20).process(key);
    StashOp.put("3", 1, 1, 30).process(key);
    assertThat(HigherEpochMergePolicy.epochOf(paused.getValue())).isEqualTo(HigherEpochMergePolicy.epochOf(key.getValue()));

    HigherEpochMergePolicy policy = new HigherEpochMergePolicy();
    assertThat(policy.merge(slot(key, "owner's"), slot(paused, "paused"))).isEqualTo("owner's");
    assertThat(policy.merge(slot(paused, "paused"), slot(key, "owner's"))).isEqualTo("owner's");
  }

  /** A claim on a member that had no copy of the key (an empty slot at epoch 1) loses to the owner's entry at epoch 1. */
  @Test
  void anEmptyClaimDoesNotBeatTheOwnersEntryAtTheSameEpoch() {
    Map.Entry<String, String> owner = new AbstractMap.SimpleEntry<>("counter.c2", null);
    StashOp.claim().process(owner);
    StashOp.put("1", 1, 1, 10).process(owner);
    Map.Entry<String, String> empty = new AbstractMap.SimpleEntry<>("counter.c2", null);
    StashOp.claim().process(empty);

    HigherEpochMergePolicy policy = new HigherEpochMergePolicy();
    assertThat(policy.merge(slot(owner, "owner's"), slot(empty, "empty"))).isEqualTo("owner's");
    assertThat(policy.merge(slot(empty, "empty"), slot(owner, "owner's"))).isEqualTo("owner's");
  }

  /** A remove is a change too: the owner's later remove at the same epoch is not undone by an older copy. */
  @Test
  void aRemoveAtTheSameEpochIsNotUndoneByAnOlderCopy() {
    Map.Entry<String, String> key = new AbstractMap.SimpleEntry<>("counter.c3", null);
    StashOp.claim().process(key);
    StashOp.put("1", 1, 1, 10).process(key);
    Map.Entry<String, String> older = copy(key);
    StashOp.remove().process(key);

    HigherEpochMergePolicy policy = new HigherEpochMergePolicy();
    assertThat(policy.merge(slot(key, "removed"), slot(older, "older"))).isEqualTo("removed");
    assertThat(policy.merge(slot(older, "older"), slot(key, "removed"))).isEqualTo("removed");
  }
}
