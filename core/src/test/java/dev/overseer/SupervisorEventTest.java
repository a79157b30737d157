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
