package dev.overseer;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ExitReasonTest {

  @Nested
  class IsAbnormal {

    @Test
    void onlyFailuresAreAbnormal() {
      assertThat(ExitReason.normal().isAbnormal()).isFalse();
      assertThat(ExitReason.shutdown().isAbnormal()).isFalse();
      assertThat(ExitReason.failure(new RuntimeException()).isAbnormal()).isTrue();
    }
  }

  @Nested
  class ToJson {

    @Test
    void writesKindAloneForNormalAndShutdown() {
      assertThat(ExitReason.normal().toJson()).isEqualTo(new JsonObject().put("kind", "NORMAL"));
      assertThat(ExitReason.shutdown().toJson()).isEqualTo(new JsonObject().put("kind", "SHUTDOWN"));
    }

    @Test
    void writesErrorMessageAndStackForAFailure() {
      JsonObject json = ExitReason.failure(new IllegalStateException("boom", new RuntimeException("root"))).toJson();
      assertThat(json.getString("kind")).isEqualTo("FAILURE");
      assertThat(json.getString("error")).isEqualTo(IllegalStateException.class.getName());
      assertThat(json.getString("message")).isEqualTo("boom");
      assertThat(json.getJsonArray("stack").encode()).contains("ExitReasonTest").contains("Caused by: java.lang.RuntimeException: root");
      assertThat(json.containsKey("crashReport")).isFalse();
    }

    @Test
    void carriesACrashReportWhenTheCauseHasOne() {
      CrashReport report = new CrashReport("srv", new RuntimeException("bad"), "msg", new JsonObject().put("n", 1), Instant.EPOCH);
      class Carrying extends RuntimeException implements CrashReport.Carrier {
        Carrying() {
          super("carrying");
        }

        @Override
        public CrashReport crashReport() {
          return report;
        }
      }
      JsonObject json = ExitReason.failure(new Carrying()).toJson();
      assertThat(json.getJsonObject("crashReport").getString("name")).isEqualTo("srv");
      assertThat(json.getJsonObject("crashReport").getString("lastMessage")).isEqualTo("msg");
    }
  }
}
