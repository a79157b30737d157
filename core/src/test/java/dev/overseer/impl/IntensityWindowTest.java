package dev.overseer.impl;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OTP's {@code add_restart/1} boundaries, driven by a hand-held clock. */
class IntensityWindowTest {

  @Nested
  class RecordRestart {

    @Test
    void refusesTheFirstRestartWhenIntensityIsZero() {
      IntensityWindow window = new IntensityWindow(0, 5_000);
      assertThat(window.recordRestart(0)).isFalse();
    }

    @Test
    void allowsExactlyIntensityRestartsWithinThePeriod() {
      IntensityWindow window = new IntensityWindow(3, 5_000);
      assertThat(window.recordRestart(0)).isTrue();
      assertThat(window.recordRestart(1)).isTrue();
      assertThat(window.recordRestart(2)).isTrue();
      assertThat(window.recordRestart(3)).isFalse();
    }

    @Test
    void stillCountsARestartExactlyOnePeriodOld() {
      // OTP keeps restarts whose time is >= Now - Period: the edge itself is inside the window.
      IntensityWindow window = new IntensityWindow(1, 5_000);
      assertThat(window.recordRestart(1_000)).isTrue();
      assertThat(window.recordRestart(6_000)).isFalse();
    }

    @Test
    void forgetsARestartOneTickOlderThanThePeriod() {
      IntensityWindow window = new IntensityWindow(1, 5_000);
      assertThat(window.recordRestart(1_000)).isTrue();
      assertThat(window.recordRestart(6_001)).isTrue();
    }

    @Test
    void slidesTheWindowRatherThanResettingIt() {
      IntensityWindow window = new IntensityWindow(2, 100);
      assertThat(window.recordRestart(0)).isTrue();
      assertThat(window.recordRestart(60)).isTrue();
      assertThat(window.recordRestart(101)).isTrue();   // 0 has left the window
      assertThat(window.recordRestart(150)).isFalse();  // 60, 101 and 150 are all within 100
    }

    @Test
    void keepsCountingRefusedRestarts() {
      IntensityWindow window = new IntensityWindow(1, 1_000);
      window.recordRestart(0);
      assertThat(window.recordRestart(1)).isFalse();
      assertThat(window.used(2)).isEqualTo(2);
    }

    @ParameterizedTest(name = "intensity {0}: restart {1} at 1 ms intervals allowed = {2}")
    @CsvSource({"0,1,false", "1,1,true", "1,2,false", "5,5,true", "5,6,false", "10,10,true", "10,11,false"})
    void allowsUpToIntensityRestarts(int intensity, int nth, boolean allowed) {
      IntensityWindow window = new IntensityWindow(intensity, 60_000);
      boolean last = true;
      for (int i = 1; i <= nth; i++) {
        last = window.recordRestart(i);
      }
      assertThat(last).isEqualTo(allowed);
    }
  }

  @Nested
  class Used {

    @Test
    void countsOnlyRestartsInsideThePeriod() {
      IntensityWindow window = new IntensityWindow(5, 1_000);
      window.recordRestart(0);
      window.recordRestart(500);
      assertThat(window.used(999)).isEqualTo(2);
      assertThat(window.used(1_000)).isEqualTo(2);
      assertThat(window.used(1_001)).isEqualTo(1);
      assertThat(window.used(1_501)).isZero();
    }

    @Test
    void reportsTheConfiguredIntensity() {
      assertThat(new IntensityWindow(7, 1).intensity()).isEqualTo(7);
    }
  }

  @Nested
  class Construction {

    @Test
    void rejectsNegativeIntensity() {
      assertThatThrownBy(() -> new IntensityWindow(-1, 1_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsZeroPeriod() {
      assertThatThrownBy(() -> new IntensityWindow(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
