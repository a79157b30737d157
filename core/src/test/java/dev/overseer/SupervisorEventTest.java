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
  class FromJson {

    @Test
    void roundTripsNodeDeploymentAndAFailedReason() {
      SupervisorEvent e = new SupervisorEvent(SupervisorEvent.Type.CHILD_EXITED, "app", "db",
          ExitReason.failure(new IllegalStateException("boom")), 2, Instant.parse("2026-01-02T03:04:05Z"), "node-1", "dep-9");
      SupervisorEvent back = SupervisorEvent.fromJson(e.toJson());
      assertThat(back.nodeId()).isEqualTo("node-1");
      assertThat(back.deploymentId()).isEqualTo("dep-9");
      assertThat(back.reason().cause()).isInstanceOf(RemoteFailure.class)
          .hasMessage(IllegalStateException.class.getName() + ": boom");
      assertThat(((RemoteFailure) back.reason().cause()).errorClass()).isEqualTo(IllegalStateException.class.getName());
      assertThat(back.toJson()).isEqualTo(e.toJson());
      SupervisorEvent bare = new SupervisorEvent(SupervisorEvent.Type.SUPERVISOR_STARTED, "app", null, null, 0, Instant.EPOCH);
      assertThat(SupervisorEvent.fromJson(bare.toJson()).toJson()).isEqualTo(bare.toJson());
    }

    @Test
    void namesTheBadField() {
      JsonObject good = new SupervisorEvent(SupervisorEvent.Type.CHILD_STARTED, "app", "db", null, 0, Instant.EPOCH).toJson();
      assertThatThrownBy(() -> SupervisorEvent.fromJson(good.copy().put("type", "EXPLODED"))).hasMessageStartingWith("type:");
      assertThatThrownBy(() -> SupervisorEvent.fromJson(good.copy().put("supervisor", 3)))
          .hasMessageStartingWith("supervisor:");
      assertThatThrownBy(() -> SupervisorEvent.fromJson(good.copy().put("timestamp", "yesterday"))).hasMessageStartingWith("timestamp:");
      assertThatThrownBy(() -> SupervisorEvent.fromJson(good.copy().put("reason", "bad"))).hasMessageStartingWith("reason:");
      assertThatThrownBy(() -> SupervisorEvent.fromJson(good.copy().put("reason", new JsonObject().put("kind", "WEIRD"))))
          .hasMessageStartingWith("kind:");
    }
  }

  @Nested
  class RowsAndCounts {

    @Test
    void childInfoAndChildCountRoundTrip() {
      ChildInfo row = new ChildInfo("a", ChildStatus.RUNNING, ChildType.SUPERVISOR, RestartType.TRANSIENT, "dep", 4,
          ExitReason.shutdown(), "top/a");
      assertThat(ChildInfo.fromJson(row.toJson())).isEqualTo(row);
      ChildInfo bare = new ChildInfo("b", ChildStatus.STOPPED, ChildType.WORKER, RestartType.PERMANENT, null, 0, null, null);
      assertThat(ChildInfo.fromJson(bare.toJson())).isEqualTo(bare);
      assertThatThrownBy(() -> ChildInfo.fromJson(row.toJson().put("status", "NAPPING"))).hasMessageStartingWith("status:");
      ChildCount count = new ChildCount(3, 2, 1, 2);
      assertThat(ChildCount.fromJson(count.toJson())).isEqualTo(count);
      assertThatThrownBy(() -> ChildCount.fromJson(count.toJson().put("active", "two"))).hasMessageStartingWith("active:");
    }

    @Test
    void descriptionRoundTrips() {
      SupervisorDescription d = new SupervisorDescription("dyn", "n1", SupervisorDescription.Kind.DYNAMIC, 2,
          new DynamicSupervisorOptions().setMaxChildren(7).setIntensity(3).setName("dyn"));
      SupervisorDescription back = SupervisorDescription.fromJson(d.toJson());
      assertThat(back.toJson()).isEqualTo(d.toJson());
      assertThat(back.options()).isInstanceOf(DynamicSupervisorOptions.class);
      assertThat(((DynamicSupervisorOptions) back.options()).getMaxChildren()).isEqualTo(7);
      assertThat(back.intensity()).isEqualTo(3);
      assertThatThrownBy(() -> SupervisorDescription.fromJson(d.toJson().put("kind", "ODD"))).hasMessageStartingWith("kind:");
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
