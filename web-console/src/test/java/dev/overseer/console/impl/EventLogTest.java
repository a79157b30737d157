package dev.overseer.console.impl;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventLogTest {

  static JsonObject event(String type, String childId, String reasonKind) {
    JsonObject e = new JsonObject().put("type", type).put("supervisor", "app").put("timestamp", "t").put("restartCount", 0);
    if (childId != null) {
      e.put("childId", childId);
    }
    if (reasonKind != null) {
      e.put("reason", new JsonObject().put("kind", reasonKind));
    }
    return e;
  }

  @Test
  void keepsABoundedRingPerChild() {
    EventLog log = new EventLog(3);
    for (int i = 0; i < 5; i++) {
      log.record(event("CHILD_STARTED", "a", null).put("n", i));
    }
    assertThat(log.events("app", "a").stream().map(e -> ((JsonObject) e).getInteger("n"))).containsExactly(2, 3, 4);
    assertThat(log.events("app", "b")).isEmpty();
    assertThat(log.seen()).isEqualTo(5);
  }

  @Test
  void remembersTheLastAbnormalExitAsTheLastCrash() {
    EventLog log = new EventLog(5);
    log.record(event("CHILD_EXITED", "a", "FAILURE").put("n", 1));
    log.record(event("CHILD_EXITED", "a", "NORMAL"));
    log.record(event("CHILD_EXITED", "a", "SHUTDOWN"));
    assertThat(log.lastCrash("app", "a").getInteger("n")).isEqualTo(1);
    log.record(event("START_FAILED", "a", "FAILURE").put("n", 2));
    assertThat(log.lastCrash("app", "a").getInteger("n")).isEqualTo(2);
    assertThat(log.lastCrash("app", "b")).isNull();
  }

  @Test
  void keepsSupervisorEventsApartFromChildren() {
    EventLog log = new EventLog(5);
    log.record(event("SUPERVISOR_STARTED", null, null));
    assertThat(log.events("app", null)).hasSize(1);
    assertThat(log.events("app", "")).hasSize(1);
  }

  @Test
  void ignoresWhatIsNotAnEvent() {
    EventLog log = new EventLog(5);
    assertThat(log.record("hello")).isFalse();
    assertThat(log.record(new JsonObject().put("type", "X"))).isFalse();
    assertThat(log.record(new JsonObject().put("supervisor", 3).put("type", "X"))).isFalse();
    assertThat(log.seen()).isZero();
    assertThat(log.hasPending()).isFalse();
  }

  @Test
  void countsWhatAPushCouldNotCarry() {
    EventLog log = new EventLog(5);
    int total = EventLog.MAX_PENDING + 25;
    for (int i = 0; i < total; i++) {
      log.record(event("CHILD_RESTARTED", "a", null));
    }
    JsonObject batch = log.drainPending();
    assertThat(batch.getJsonArray("events")).hasSize(EventLog.MAX_PENDING);
    assertThat(batch.getLong("dropped")).isEqualTo(25L);
    assertThat(log.hasPending()).isFalse();
    assertThat(log.recent(1000)).hasSize(EventLog.RECENT);
  }
}
