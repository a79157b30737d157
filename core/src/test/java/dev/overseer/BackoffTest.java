package dev.overseer;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pure tests of {@link Backoff}; the engine's use of it is in {@code SupervisorTest.Backoffs}. */
class BackoffTest {

  private static final Backoff EXP = Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(1_000)).withJitter(0);

  @Nested
  class DelayMillis {

    @ParameterizedTest(name = "restart {0} waits {1} ms")
    @CsvSource({"0,0", "1,100", "2,200", "3,400", "4,800", "5,1000", "6,1000", "40,1000", "2147483647,1000"})
    void doublesFromMinAndCapsAtMax(int consecutive, long expected) {
      assertThat(EXP.delayMillis(consecutive, () -> 0.99)).isEqualTo(expected);
    }

    @Test
    void addsJitterProportionalToTheDelayAndNeverBeyondMax() {
      Backoff b = Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(1_000)).withJitter(0.5);
      assertThat(b.delayMillis(1, () -> 0.0)).isEqualTo(100);
      assertThat(b.delayMillis(1, () -> 0.5)).isEqualTo(125);
      assertThat(b.delayMillis(1, () -> 0.999)).isBetween(149L, 150L);
      assertThat(b.delayMillis(5, () -> 0.999)).isEqualTo(1_000);
    }

    @Test
    void neverDelaysWithNone() {
      assertThat(Backoff.none().delayMillis(1, () -> 0.5)).isZero();
      assertThat(Backoff.none().delayMillis(100, () -> 0.5)).isZero();
      assertThat(Backoff.none().isNone()).isTrue();
    }

    @Test
    void survivesAHugeMaxWithoutOverflow() {
      Backoff b = Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(Long.MAX_VALUE / 2)).withJitter(0);
      assertThat(b.delayMillis(64, () -> 0)).isPositive();
    }
  }

  @Nested
  class Construction {

    @Test
    void defaultsJitterToAFifthAndResetToMax() {
      Backoff b = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(500));
      assertThat(b.jitter()).isEqualTo(0.2);
      assertThat(b.resetAfter()).isEqualTo(Duration.ofMillis(500));
      assertThat(b.min()).isEqualTo(Duration.ofMillis(10));
      assertThat(b.max()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void rejectsZeroMin() {
      assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min");
    }

    @Test
    void rejectsMaxBelowMin() {
      assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
    }

    @Test
    void rejectsJitterOutsideZeroToOne() {
      assertThatThrownBy(() -> EXP.withJitter(1.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jitter");
      assertThatThrownBy(() -> EXP.withJitter(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNegativeReset() {
      assertThatThrownBy(() -> EXP.withResetAfter(Duration.ofMillis(-1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resetAfter");
    }
  }

  @Nested
  class Json {

    @Test
    void roundTripsAnExponentialBackoff() {
      Backoff b = Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(800)).withJitter(0.3).withResetAfter(Duration.ofSeconds(3));
      JsonObject json = b.toJson();
      assertThat(json).isEqualTo(new JsonObject().put("min", 50L).put("max", 800L).put("jitter", 0.3).put("resetAfter", 3_000L));
      assertThat(Backoff.fromJson(new JsonObject(json.encode()))).isEqualTo(b);
    }

    @Test
    void roundTripsNoneAsAnEmptyObject() {
      assertThat(Backoff.none().toJson()).isEqualTo(new JsonObject());
      assertThat(Backoff.fromJson(new JsonObject())).isEqualTo(Backoff.none());
      assertThat(Backoff.fromJson(null)).isEqualTo(Backoff.none());
    }

    @Test
    void rejectsAnInvalidBackoff() {
      assertThatThrownBy(() -> Backoff.fromJson(new JsonObject().put("min", 0)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
