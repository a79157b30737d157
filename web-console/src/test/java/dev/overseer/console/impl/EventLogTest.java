package dev.overseer.console.impl;

import io.vertx.core.json.JsonArray;
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

  static JsonObject bigCrash(String childId, int stateChars) {
    JsonObject e = event("CHILD_EXITED", childId, "FAILURE");
    JsonArray stack = new JsonArray();
    for (int i = 0; i < 30; i++) {
      stack.add("at com.example.Frame.method" + i + "(Frame.java:" + i + ")");
    }
    e.getJsonObject("reason").put("message", "boom").put("stack", stack)
        .put("crashReport", new JsonObject().put("state", "x".repeat(stateChars)).put("lastMessage", "y".repeat(stateChars)));
    return e;
  }

  @Test
  void keepsWhatItHoldsWithinItsByteBudget() {
    long budget = 256 * 1024;
    EventLog log = new EventLog(50, budget);
    // 3,000 children crashing with 20 KB each: about 240 MB held uncapped (four places each)
    for (int i = 0; i < 3_000; i++) {
      log.record(bigCrash("child-" + i, 10_000));
      assertThat(log.bytes()).isLessThanOrEqualTo(budget);
    }
    // the most recent children are the ones remembered
    assertThat(log.lastCrash("app", "child-2999")).isNotNull();
    assertThat(log.lastCrash("app", "child-0")).isNull();
    assertThat(log.drainPending().getLong("dropped")).isPositive();
    assertThat(log.bytes()).isLessThanOrEqualTo(budget);
  }

  @Test
  void trimsAnEventLargerThanTheBoundAndSaysSo() {
    EventLog log = new EventLog(5);
    log.record(bigCrash("a", 1_000_000));
    JsonObject kept = log.lastCrash("app", "a");
    assertThat(kept.getBoolean("truncated")).isTrue();
    assertThat(kept.encode().length()).isLessThanOrEqualTo(EventLog.MAX_EVENT_BYTES);
    assertThat(kept.getJsonObject("reason").getString("message")).isEqualTo("boom");
    assertThat(kept.getJsonObject("reason").getJsonObject("crashReport").getString("state")).startsWith("xxx").endsWith("(1000000 characters)");
    // a small event is kept as it is
    JsonObject small = event("CHILD_EXITED", "b", "FAILURE");
    log.record(small);
    assertThat(log.lastCrash("app", "b")).isEqualTo(small);
  }

  @Test
  void trimsAHugeIdToAHeader() {
    EventLog log = new EventLog(5);
    String id = "i".repeat(1_000_000);
    log.record(event("START_FAILED", id, "FAILURE"));
    JsonObject kept = log.recent(1).getJsonObject(0);
    assertThat(kept.getBoolean("truncated")).isTrue();
    assertThat(kept.encode().length()).isLessThanOrEqualTo(EventLog.MAX_EVENT_BYTES);
  }

  @Test
  void refusesABudgetSmallerThanOneEvent() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new EventLog(5, 1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
  }
}
