package dev.overseer;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SupervisorEventTest {

  @Nested
  class ToJson {

    @Test
    void writesEveryFieldOfAChildEvent() {
      SupervisorEvent e = new SupervisorEvent(SupervisorEvent.Type.CHILD_EXITED, "app", "db", ExitReason.normal(), 3,
          Instant.parse("2026-01-02T03:04:05Z"));
      assertThat(e.toJson()).isEqualTo(new JsonObject()
          .put("type", "CHILD_EXITED").put("supervisor", "app").put("restartCount", 3)
          .put("timestamp", "2026-01-02T03:04:05Z").put("childId", "db").put("reason", new JsonObject().put("kind", "NORMAL")));
      assertThat(e.toString()).isEqualTo("CHILD_EXITED app/db normal");
    }

    @Test
    void leavesOutChildAndReasonOfASupervisorEvent() {
      SupervisorEvent e = new SupervisorEvent(SupervisorEvent.Type.SUPERVISOR_STARTED, "app", null, null, 0, Instant.EPOCH);
      assertThat(e.toJson().fieldNames()).containsExactlyInAnyOrder("type", "supervisor", "restartCount", "timestamp");
    }
  }

  /** Item 17: whatever a child throws or a caller sends, an event's JSON stays small. */
  @Nested
  class Bounds {

    private final String mega = "m".repeat(1 << 20);

    @Test
    void cutsIdsAndNamesWithAVisibleMarker() {
      JsonObject json = new SupervisorEvent(SupervisorEvent.Type.START_FAILED, mega, mega, null, 0, Instant.EPOCH).toJson();
      assertThat(json.getString("childId")).startsWith("mmm").contains("…[+")
          .hasSizeLessThanOrEqualTo(SupervisorEvent.MAX_ID_LENGTH + 20);
      assertThat(json.getString("supervisor")).hasSizeLessThanOrEqualTo(SupervisorEvent.MAX_ID_LENGTH + 20);
    }

    @Test
    void keepsAShortEventAsItIs() {
      SupervisorEvent e = new SupervisorEvent(SupervisorEvent.Type.CHILD_EXITED, "app", "db",
          ExitReason.failure(new IllegalStateException("boom")), 1, Instant.EPOCH);
      assertThat(e.toJson().getString("childId")).isEqualTo("db");
      assertThat(e.toJson().getJsonObject("reason").getString("message")).isEqualTo("boom");
    }

    @Test
    void boundsAHostileReasonMessageStackAndCrashReport() {
      Throwable cause = new IllegalStateException(mega);
      for (int i = 0; i < 1000; i++) {
        cause = new RuntimeException(mega, cause);
      }
      JsonObject state = new JsonObject().put("blob", mega);
      Throwable crash = new Crash(new CrashReport(mega, cause, new io.vertx.core.json.JsonArray().add(mega), state, Instant.EPOCH));
      JsonObject json = new SupervisorEvent(SupervisorEvent.Type.CHILD_EXITED, "app", "db", ExitReason.failure(crash), 0,
          Instant.EPOCH).toJson();
      assertThat(json.encode().length()).isLessThan(64 * 1024);
      JsonObject reason = json.getJsonObject("reason");
      assertThat(reason.getJsonArray("stack")).hasSizeLessThanOrEqualTo(ExitReason.MAX_STACK_LINES);
      JsonObject report = reason.getJsonObject("crashReport");
      assertThat(report.getString("state")).startsWith("{\"blob\":\"mmm").contains("…[+");
      assertThat(report.getJsonObject("reason").getString("message")).hasSizeLessThanOrEqualTo(ExitReason.MAX_MESSAGE_LENGTH + 20);
    }
  }

  private static final class Crash extends RuntimeException implements CrashReport.Carrier {
    private final CrashReport report;

    Crash(CrashReport report) {
      super("crashed", report.reason());
      this.report = report;
    }

    @Override
    public CrashReport crashReport() {
      return report;
    }
  }

  @Nested
  class Construction {

    @Test
    void requiresTypeSupervisorAndTimestamp() {
      assertThatThrownBy(() -> new SupervisorEvent(null, "s", null, null, 0, Instant.EPOCH)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> new SupervisorEvent(SupervisorEvent.Type.CHILD_STARTED, null, null, null, 0, Instant.EPOCH))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> new SupervisorEvent(SupervisorEvent.Type.CHILD_STARTED, "s", null, null, 0, null))
          .isInstanceOf(NullPointerException.class);
    }
  }
}
