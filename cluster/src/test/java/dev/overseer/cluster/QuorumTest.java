package dev.overseer.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuorumTest {

  @ParameterizedTest(name = "expected {0}: majority {1}")
  @CsvSource({"1,1", "2,2", "3,2", "4,3", "5,3", "6,4", "7,4"})
  void majorityIsStrict(int expected, int size) {
    assertThat(Quorum.majorityOf(expected).size()).isEqualTo(size);
  }

  @ParameterizedTest(name = "expected {0}, quorum {1}, sees {2}: {3}")
  @CsvSource({
      "3,2,1,false", "3,2,2,true", "3,2,3,true",
      // an even split: neither half of 4 has a majority of the expected size
      "4,3,2,false", "4,3,3,true",
      // a lone member that came back from a pause counts against the expected size, not what it sees
      "5,3,1,false", "5,3,2,false", "5,3,3,true",
      "3,1,1,true"})
  void holdsAgainstTheExpectedSize(int expected, int quorum, int visible, boolean holds) {
    assertThat(new Quorum(expected, quorum).holds(visible)).isEqualTo(holds);
  }

  @Test
  void offAlwaysHolds() {
    assertThat(Quorum.OFF.enabled()).isFalse();
    assertThat(Quorum.OFF.holds(1)).isTrue();
    assertThat(Quorum.majorityOf(0)).isEqualTo(Quorum.OFF);
  }

  @Test
  void rejectsAQuorumOutsideTheExpectedSize() {
    assertThatThrownBy(() -> new Quorum(3, 4)).hasMessageContaining("quorum");
    assertThatThrownBy(() -> new Quorum(3, 0)).hasMessageContaining("quorum");
    assertThatThrownBy(() -> new Quorum(-1, 0)).hasMessageContaining("expectedMembers");
  }

  @Test
  void optionsDefaultToAMajority() {
    assertThat(new DistributedSupervisorOptions().setExpectedMembers(5).quorum()).isEqualTo(new Quorum(5, 3));
    assertThat(new DistributedSupervisorOptions().setExpectedMembers(5).setQuorum(4).quorum()).isEqualTo(new Quorum(5, 4));
    assertThat(new DistributedSupervisorOptions().quorum()).isEqualTo(Quorum.OFF);
  }
}
