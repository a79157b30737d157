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
