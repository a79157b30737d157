package dev.overseer;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pure tests of {@link Shutdown}; the engine's use of it is in {@code SupervisorTest.Stop}. */
class ShutdownTest {

  @Nested
  class Defaults {

    @Test
    void givesWorkersFiveSecondsAndSupervisorsInfinity() {
      assertThat(Shutdown.defaultFor(ChildType.WORKER)).isEqualTo(Shutdown.timeout(Duration.ofSeconds(5)));
      assertThat(Shutdown.defaultFor(ChildType.SUPERVISOR)).isEqualTo(Shutdown.infinity());
      assertThat(ChildSpec.worker("w", () -> null).shutdown().timeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(ChildSpec.supervisor("s", () -> null).shutdown().kind()).isEqualTo(Shutdown.Kind.INFINITY);
    }
  }

  @Nested
  class Timeout {

    @Test
    void acceptsZeroWithOtpsMeaning() {
      // OTP's shutdown 0: ask the child to stop, kill it at once if it has not
      Shutdown zero = Shutdown.timeout(Duration.ZERO);
      assertThat(zero.kind()).isEqualTo(Shutdown.Kind.TIMEOUT);
      assertThat(zero.timeout()).isZero();
      assertThat(Shutdown.fromJson(0)).isEqualTo(zero);
      assertThat(zero.toJson()).isEqualTo(0L);
    }

    @Test
    void rejectsNegativeTimeouts() {
      assertThatThrownBy(() -> Shutdown.timeout(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsItsDuration() {
      Shutdown s = Shutdown.timeout(Duration.ofMillis(250));
      assertThat(s.kind()).isEqualTo(Shutdown.Kind.TIMEOUT);
      assertThat(s.timeout()).isEqualTo(Duration.ofMillis(250));
    }
  }

  @Nested
  class Json {

    @Test
    void roundTripsEveryKind() {
      for (Shutdown s : new Shutdown[] {Shutdown.brutalKill(), Shutdown.infinity(), Shutdown.timeout(Duration.ofMillis(1234))}) {
        assertThat(Shutdown.fromJson(s.toJson())).isEqualTo(s);
      }
      assertThat(Shutdown.brutalKill().toJson()).isEqualTo("brutal_kill");
      assertThat(Shutdown.infinity().toJson()).isEqualTo("infinity");
      assertThat(Shutdown.timeout(Duration.ofMillis(1234)).toJson()).isEqualTo(1234L);
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"kill", "", "INFINITY", "5s"})
    void rejectsUnknownWords(String word) {
      assertThatThrownBy(() -> Shutdown.fromJson(word)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("brutal_kill");
    }

    @Test
    void rejectsNegativeMillisAndNull() {
      assertThatThrownBy(() -> Shutdown.fromJson(-1)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Shutdown.fromJson(null)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
