package dev.overseer;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamicSupervisorOptionsTest {

  @Nested
  class Defaults {

    @Test
    void haveNoChildLimitAndNoExtraArguments() {
      DynamicSupervisorOptions o = new DynamicSupervisorOptions();
      assertThat(o.getMaxChildren()).isEqualTo(Integer.MAX_VALUE);
      assertThat(o.getExtraArguments()).isEqualTo(new JsonObject());
      assertThat(o.getStrategy()).isEqualTo(RestartStrategy.ONE_FOR_ONE);
    }
  }

  @Nested
  class Json {

    @Test
    void roundTripsEveryField() {
      DynamicSupervisorOptions o = new DynamicSupervisorOptions().setName("pool").setMaxChildren(3)
          .setExtraArguments(new JsonObject().put("region", "eu")).setIntensity(2).setPeriod(Duration.ofSeconds(1))
          .setChildLoop(ChildLoop.SUPERVISOR);
      DynamicSupervisorOptions back = new DynamicSupervisorOptions(new JsonObject(o.toJson().encode()));
      assertThat(back.toJson()).isEqualTo(o.toJson());
      assertThat(back.getMaxChildren()).isEqualTo(3);
      assertThat(back.getExtraArguments()).isEqualTo(new JsonObject().put("region", "eu"));
      assertThat(back.getChildLoop()).isEqualTo(ChildLoop.SUPERVISOR);
      assertThat(new DynamicSupervisorOptions(o).getChildLoop()).isEqualTo(ChildLoop.SUPERVISOR);
    }

    @Test
    void rejectsAWronglyTypedMaxChildrenNamingTheField() {
      assertThatThrownBy(() -> new DynamicSupervisorOptions(new JsonObject().put("maxChildren", "many")))
          .isInstanceOf(SupervisorException.class).hasMessageStartingWith("invalid_spec: maxChildren:");
    }
  }

  @Nested
  class Copy {

    @Test
    void copiesExtraArgumentsDeeply() {
      JsonObject extra = new JsonObject().put("k", "v");
      DynamicSupervisorOptions o = new DynamicSupervisorOptions().setExtraArguments(extra);
      extra.put("k", "changed");
      DynamicSupervisorOptions copy = new DynamicSupervisorOptions(o);
      o.getExtraArguments().put("k", "again");
      assertThat(copy.getExtraArguments().getString("k")).isEqualTo("v");
    }
  }
}
