package dev.overseer;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class SupervisorExceptionTest {

  @Nested
  class Message {

    @ParameterizedTest(name = "{0}")
    @EnumSource(SupervisorError.class)
    void startsWithTheErrorNameAndCarriesItsCode(SupervisorError error) {
      SupervisorException e = new SupervisorException(error, "what happened");
      assertThat(e.getMessage()).isEqualTo(error.name().toLowerCase() + ": what happened");
      assertThat(e.toJson()).isEqualTo(new JsonObject().put("error", error.name()).put("code", error.code()).put("message", e.getMessage()));
      assertThat(error.code()).isBetween(400, 599);
    }
  }

  @Nested
  class Codes {

    @Test
    void separateTheCallersMistakesFromTheSupervisors() {
      assertThat(SupervisorError.BAD_REQUEST.code()).isEqualTo(400);
      assertThat(SupervisorError.INVALID_SPEC.code()).isEqualTo(400);
      assertThat(SupervisorError.NOT_FOUND.code()).isEqualTo(404);
      assertThat(SupervisorError.MAX_INTENSITY.code()).isEqualTo(500);
    }
  }
}
