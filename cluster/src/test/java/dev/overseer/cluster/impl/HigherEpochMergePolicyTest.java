package dev.overseer.cluster.impl;

import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.spi.merge.MergingValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

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
}
