package dev.overseer;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SupervisorOptionsTest {

  @Nested
  class Defaults {

    @Test
    void equalOtpDefaults() {
      SupervisorOptions o = new SupervisorOptions();
      assertThat(o.getStrategy()).isEqualTo(RestartStrategy.ONE_FOR_ONE);
      assertThat(o.getIntensity()).isEqualTo(1);
      assertThat(o.getPeriod()).isEqualTo(Duration.ofSeconds(5));
      assertThat(o.getAutoShutdown()).isEqualTo(AutoShutdown.NEVER);
      assertThat(o.getBackoff().isNone()).isTrue();
      assertThat(o.isPublishEvents()).isTrue();
      assertThat(o.getEventsAddress()).isEqualTo("overseer.events");
      assertThat(o.getName()).isNull();
      assertThat(o.getControlAddress()).isNull();
      assertThat(o.getChildLoop()).isEqualTo(ChildLoop.ANY);
      assertThat(o.toJson().getString("childLoop")).isEqualTo("ANY");
    }
  }

  @Nested
  class Json {

    @Test
    void roundTripsEveryField() {
      SupervisorOptions o = new SupervisorOptions().setName("app").setStrategy(RestartStrategy.REST_FOR_ONE)
          .setIntensity(4).setPeriod(Duration.ofMillis(2_500)).setAutoShutdown(AutoShutdown.ALL_SIGNIFICANT)
          .setBackoff(Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(100)))
          .setPublishEvents(false).setEventsAddress("ev").setControlAddress("ctl")
          .setChildLoop(ChildLoop.SUPERVISOR);
      JsonObject json = new JsonObject(o.toJson().encode());
      SupervisorOptions back = new SupervisorOptions(json);
      assertThat(back.toJson()).isEqualTo(o.toJson());
      assertThat(back.getPeriod()).isEqualTo(Duration.ofMillis(2_500));
      assertThat(back.getBackoff()).isEqualTo(o.getBackoff());
      assertThat(back.getChildLoop()).isEqualTo(ChildLoop.SUPERVISOR);
    }

    @Test
    void readsTheChildLoopCaseInsensitivelyAndRejectsAnUnknownOne() {
      assertThat(new SupervisorOptions(new JsonObject().put("childLoop", "supervisor")).getChildLoop())
          .isEqualTo(ChildLoop.SUPERVISOR);
      assertThatThrownBy(() -> new SupervisorOptions(new JsonObject().put("childLoop", "mine")))
          .isInstanceOf(SupervisorException.class)
          .hasMessageStartingWith("invalid_spec: childLoop:");
      assertThatThrownBy(() -> new SupervisorOptions(new JsonObject().putNull("childLoop")))
          .isInstanceOf(SupervisorException.class)
          .hasMessageStartingWith("invalid_spec: childLoop:");
      assertThatThrownBy(() -> new SupervisorOptions().setChildLoop(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void keepsDefaultsForMissingKeys() {
      assertThat(new SupervisorOptions(new JsonObject()).toJson()).isEqualTo(new SupervisorOptions().toJson());
    }

    @Test
    void readsEnumsCaseInsensitively() {
      SupervisorOptions o = new SupervisorOptions(new JsonObject().put("strategy", "one_for_all").put("autoShutdown", "any_significant"));
      assertThat(o.getStrategy()).isEqualTo(RestartStrategy.ONE_FOR_ALL);
      assertThat(o.getAutoShutdown()).isEqualTo(AutoShutdown.ANY_SIGNIFICANT);
    }

    @Test
    void rejectsAnUnknownStrategyNamingTheField() {
      assertThatThrownBy(() -> new SupervisorOptions(new JsonObject().put("strategy", "one_for_some")))
          .isInstanceOf(SupervisorException.class)
          .satisfies(e -> assertThat(((SupervisorException) e).error()).isEqualTo(SupervisorError.INVALID_SPEC))
          .hasMessageStartingWith("invalid_spec: strategy:");
    }

    @Test
    void rejectsAWronglyTypedIntensityNamingTheField() {
      assertThatThrownBy(() -> new SupervisorOptions(new JsonObject().put("intensity", "three")))
          .isInstanceOf(SupervisorException.class)
          .hasMessageStartingWith("invalid_spec: intensity:");
    }
  }

  @Nested
  class Copy {

    @Test
    void copiesEveryField() {
      SupervisorOptions o = new SupervisorOptions().setName("n").setIntensity(9).setControlAddress("c")
          .setChildLoop(ChildLoop.SUPERVISOR);
      SupervisorOptions copy = new SupervisorOptions(o);
      o.setIntensity(1);
      assertThat(copy.getIntensity()).isEqualTo(9);
      assertThat(copy.getChildLoop()).isEqualTo(ChildLoop.SUPERVISOR);
      assertThat(copy.toJson()).isEqualTo(new SupervisorOptions(o).setIntensity(9).toJson());
    }
  }
}
