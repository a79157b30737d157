package dev.overseer.impl;

import dev.overseer.AutoShutdown;
import dev.overseer.ExitReason;
import dev.overseer.RestartStrategy;
import dev.overseer.RestartType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The full grids of OTP's strategy and restart decisions, without Vert.x. */
class StrategiesTest {

  private static final List<String> ORDER = List.of("a", "b", "c", "d");

  @Nested
  class Affected {

    static Stream<Arguments> grid() {
      return Stream.of(
          Arguments.of(RestartStrategy.ONE_FOR_ONE, "a", List.of("a")),
          Arguments.of(RestartStrategy.ONE_FOR_ONE, "c", List.of("c")),
          Arguments.of(RestartStrategy.ONE_FOR_ONE, "d", List.of("d")),
          Arguments.of(RestartStrategy.ONE_FOR_ALL, "a", ORDER),
          Arguments.of(RestartStrategy.ONE_FOR_ALL, "c", ORDER),
          Arguments.of(RestartStrategy.ONE_FOR_ALL, "d", ORDER),
          Arguments.of(RestartStrategy.REST_FOR_ONE, "a", ORDER),
          Arguments.of(RestartStrategy.REST_FOR_ONE, "b", List.of("b", "c", "d")),
          Arguments.of(RestartStrategy.REST_FOR_ONE, "c", List.of("c", "d")),
          Arguments.of(RestartStrategy.REST_FOR_ONE, "d", List.of("d")));
    }

    @ParameterizedTest(name = "{0} after {1} crashes restarts {2}")
    @MethodSource("grid")
    void namesTheSiblingsToRestartInStartOrder(RestartStrategy strategy, String failed, List<String> expected) {
      assertThat(Strategies.affected(strategy, ORDER, failed)).containsExactlyElementsOf(expected);
    }

    @Test
    void rejectsAnUnknownChild() {
      assertThatThrownBy(() -> Strategies.affected(RestartStrategy.ONE_FOR_ONE, ORDER, "x"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x");
    }

    @Test
    void returnsAnImmutableCopy() {
      List<String> affected = Strategies.affected(RestartStrategy.ONE_FOR_ALL, ORDER, "a");
      assertThatThrownBy(() -> affected.add("z")).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class ShouldRestart {

    static Stream<Arguments> grid() {
      ExitReason normal = ExitReason.normal();
      ExitReason shutdown = ExitReason.shutdown();
      ExitReason failure = ExitReason.failure(new RuntimeException("boom"));
      return Stream.of(
          Arguments.of(RestartType.PERMANENT, normal, true),
          Arguments.of(RestartType.PERMANENT, shutdown, true),
          Arguments.of(RestartType.PERMANENT, failure, true),
          Arguments.of(RestartType.TRANSIENT, normal, false),
          Arguments.of(RestartType.TRANSIENT, shutdown, false),
          Arguments.of(RestartType.TRANSIENT, failure, true),
          Arguments.of(RestartType.TEMPORARY, normal, false),
          Arguments.of(RestartType.TEMPORARY, shutdown, false),
          Arguments.of(RestartType.TEMPORARY, failure, false));
    }

    @ParameterizedTest(name = "{0} child exiting {1}: restarted = {2}")
    @MethodSource("grid")
    void decidesAsOtpDoRestart(RestartType type, ExitReason reason, boolean restart) {
      assertThat(Strategies.shouldRestart(type, reason)).isEqualTo(restart);
    }
  }

  @Nested
  class AutoShutdowns {

    @ParameterizedTest(name = "{0}, exited significant={1}, {2} significant left -> {3}")
    @CsvSource({
        "NEVER,           true,  0, false",
        "NEVER,           false, 0, false",
        "ANY_SIGNIFICANT, true,  0, true",
        "ANY_SIGNIFICANT, true,  2, true",
        "ANY_SIGNIFICANT, false, 0, false",
        "ALL_SIGNIFICANT, true,  0, true",
        "ALL_SIGNIFICANT, true,  1, false",
        "ALL_SIGNIFICANT, false, 0, false",
    })
    void followOtpsRule(AutoShutdown mode, boolean significant, int left, boolean shutsDown) {
      assertThat(Strategies.shouldAutoShutdown(mode, significant, left)).isEqualTo(shutsDown);
    }
  }

  @Nested
  class BackoffReset {

    @ParameterizedTest(name = "after {0} consecutive, ran {1} ms, reset after {2} ms -> restart #{3}")
    @CsvSource({
        "0,   0, 1000, 1",
        "1,  10, 1000, 2",
        "4, 999, 1000, 5",
        "4, 1000, 1000, 1",
        "7, 5000, 1000, 1",
        "0, 5000, 1000, 1",
    })
    void startsOverAfterALongEnoughRun(int soFar, long ran, long resetAfter, int next) {
      assertThat(Strategies.nextConsecutiveRestart(soFar, ran, resetAfter)).isEqualTo(next);
    }
  }
}
