package dev.overseer.console.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryTest {

  final AtomicLong now = new AtomicLong(1_000_000);
  final History history = new History(1_000, 5, now::get);

  static JsonObject event(String type, String supervisor, String child, String reasonKind) {
    JsonObject e = new JsonObject().put("type", type).put("supervisor", supervisor);
    if (child != null) {
      e.put("childId", child);
    }
    if (reasonKind != null) {
      e.put("reason", new JsonObject().put("kind", reasonKind));
    }
    return e;
  }

  static List<Integer> column(JsonObject json, String field) {
    return json.getJsonArray("buckets").stream().map(b -> ((JsonObject) b).getInteger(field)).toList();
  }

  @Test
  void countsRestartsAndCrashesPerChildAndSumsThemPerSupervisor() {
    history.record(event("CHILD_EXITED", "app", "db", "FAILURE"));
    history.record(event("CHILD_RESTARTED", "app", "db", null));
    history.record(event("START_FAILED", "app", "cache", "FAILURE"));
    history.record(event("CHILD_EXITED", "app", "cache", "NORMAL"));
    history.record(event("CHILD_STARTED", "app", "cache", null));

    assertThat(column(history.toJson("app", "db"), "crashes")).containsExactly(0, 0, 0, 0, 1);
    assertThat(column(history.toJson("app", "db"), "restarts")).containsExactly(0, 0, 0, 0, 1);
    assertThat(column(history.toJson("app", "cache"), "crashes")).containsExactly(0, 0, 0, 0, 1);
    assertThat(column(history.toJson("app", null), "crashes")).containsExactly(0, 0, 0, 0, 2);
    assertThat(column(history.toJson("app", null), "restarts")).containsExactly(0, 0, 0, 0, 1);
  }

  @Test
  void bucketsFollowTheClockAndOldOnesAreReused() {
    history.record(event("CHILD_RESTARTED", "app", "db", null));
    now.addAndGet(2_000);
    history.record(event("CHILD_RESTARTED", "app", "db", null));
    history.record(event("CHILD_RESTARTED", "app", "db", null));
    JsonObject json = history.toJson("app", "db");
    assertThat(column(json, "restarts")).containsExactly(0, 0, 1, 0, 2);
    JsonArray buckets = json.getJsonArray("buckets");
    assertThat(buckets.getJsonObject(4).getLong("start")).isEqualTo(1_002_000L);
    assertThat(buckets.getJsonObject(0).getLong("start")).isEqualTo(998_000L);
    assertThat(json.getLong("bucketMillis")).isEqualTo(1_000L);

    // five buckets after the first restart it left the window, and its slot (the same ring
    // position) counts the new bucket afresh instead of adding to the old count
    now.addAndGet(3_000);
    history.record(event("CHILD_RESTARTED", "app", "db", null));
    assertThat(column(history.toJson("app", "db"), "restarts")).containsExactly(0, 2, 0, 0, 1);
    now.addAndGet(10_000);
    assertThat(column(history.toJson("app", "db"), "restarts")).containsExactly(0, 0, 0, 0, 0);
  }

  @Test
  void keepsTheHighestIntensityOfABucketForSupervisorsOnly() {
    history.sampleIntensity("app", 2);
    history.sampleIntensity("app", 4);
    history.sampleIntensity("app", 1);
    now.addAndGet(1_000);
    history.sampleIntensity("app", 1);
    assertThat(column(history.toJson("app", null), "intensity")).containsExactly(0, 0, 0, 4, 1);
    assertThat(history.toJson("app", "db").getJsonArray("buckets").getJsonObject(0).containsKey("intensity")).isFalse();
  }

  @Test
  void ignoresWhatIsNotAnEventAndAnswersZerosForTheUnknown() {
    history.record("not json");
    history.record(new JsonObject().put("type", "CHILD_RESTARTED"));
    history.record(new JsonObject().put("type", "CHILD_RESTARTED").put("supervisor", 42));
    assertThat(history.size()).isZero();
    assertThat(column(history.toJson("nobody", "nothing"), "restarts")).containsExactly(0, 0, 0, 0, 0);
  }

  @Test
  void forgetsTheLeastRecentlyTouchedSeriesBeyondTheBound() {
    for (int i = 0; i < History.MAX_KEYS + 50; i++) {
      history.record(event("CHILD_RESTARTED", "dyn", "child-" + i, null));
    }
    assertThat(history.size()).isEqualTo(History.MAX_KEYS);
    assertThat(column(history.toJson("dyn", "child-0"), "restarts")).containsOnly(0);
    assertThat(column(history.toJson("dyn", "child-" + (History.MAX_KEYS + 49)), "restarts")).contains(1);
    // the supervisor is touched by every child, so it is never the one forgotten
    assertThat(column(history.toJson("dyn", null), "restarts")).contains(History.MAX_KEYS + 50);
  }

  @Test
  void refusesAnEmptyWindow() {
    assertThatThrownBy(() -> new History(0, 5, now::get)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucketMillis");
    assertThatThrownBy(() -> new History(1_000, 0, now::get)).isInstanceOf(IllegalArgumentException.class);
  }
}
