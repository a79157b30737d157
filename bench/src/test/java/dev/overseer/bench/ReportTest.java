package dev.overseer.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Sanity of the report writer: ratios, verdicts and skipped peers. */
class ReportTest {

  private static JsonObject side(String system, JsonObject figures) {
    return new JsonObject().put("system", system).put("status", "ok").put("version", system + " 1")
        .put("figures", figures).put("skipped", new JsonObject());
  }

  private static JsonObject fig(double value, String better) {
    return new JsonObject().put("value", value).put("unit", "us").put("better", better);
  }

  @Test
  void ratioIsOverseerOverPeerAndVerdictFollowsTheFiguresDirection() {
    JsonObject systems = new JsonObject()
        .put("overseer", side("overseer", new JsonObject().put("restart.p50", fig(300, "lower"))
            .put("call.throughput", fig(100, "higher"))))
        .put("pekko", side("pekko", new JsonObject().put("restart.p50", fig(100, "lower"))
            .put("call.throughput", fig(400, "higher"))));
    JsonObject latency = Report.compare(new Report.Comparison("restart", "overseer", "restart.p50", "pekko", "restart.p50"), systems);
    JsonObject rate = Report.compare(new Report.Comparison("call", "overseer", "call.throughput", "pekko", "call.throughput"), systems);
    assertThat(latency.getDouble("ratio")).isEqualTo(3.0);
    assertThat(latency.getString("verdict")).isEqualTo("3.00x worse");
    assertThat(rate.getDouble("ratio")).isEqualTo(0.25);
    assertThat(rate.getString("verdict")).isEqualTo("4.00x worse");
  }

  @Test
  void aPeerThatDidNotRunIsReportedSkippedWithItsReason() {
    JsonObject systems = new JsonObject()
        .put("overseer", side("overseer", new JsonObject().put("restart.p50", fig(300, "lower"))))
        .put("otp", new JsonObject().put("system", "otp").put("status", "skipped").put("reason", "erl not installed"));
    JsonObject report = Report.build(Mode.of("quick"), "bench/run quick", Instant.EPOCH, new JsonObject(), systems);
    JsonObject otp = report.getJsonArray("ratios").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("peer").equals("otp") && r.getString("metric").equals("restart.p50"))
        .findFirst().orElseThrow();
    assertThat(otp.getString("status")).isEqualTo("skipped");
    assertThat(otp.getString("reason")).isEqualTo("otp skipped: erl not installed");
    assertThat(Report.table(report)).contains("SKIPPED: otp skipped: erl not installed");
  }

  private static java.util.SortedMap<Integer, JsonObject> reps(double... overseerOverPekko) {
    java.util.TreeMap<Integer, JsonObject> reps = new java.util.TreeMap<>();
    for (int i = 0; i < overseerOverPekko.length; i++) {
      reps.put(i + 1, new JsonObject()
          .put("overseer", side("overseer", new JsonObject().put("restart.p50", fig(overseerOverPekko[i] * 10, "lower"))))
          .put("pekko", side("pekko", new JsonObject().put("restart.p50", fig(10 + i, "lower")))));
    }
    return reps;
  }

  @Test
  void repetitionsAreFoldedIntoTheMedianWithTheirSpreadAndThePairedRatios() {
    JsonObject report = Report.build(Mode.of("quick"), "bench/run quick", Instant.EPOCH, new JsonObject(), reps(2, 4, 3));
    JsonObject fig = report.getJsonObject("systems").getJsonObject("overseer").getJsonObject("figures").getJsonObject("restart.p50");
    assertThat(fig.getDouble("value")).isEqualTo(30.0);
    assertThat(fig.getJsonArray("reps").getList()).containsExactly(20.0, 40.0, 30.0);
    assertThat(fig.getDouble("min")).isEqualTo(20.0);
    assertThat(fig.getDouble("max")).isEqualTo(40.0);
    assertThat(fig.getDouble("spread")).isEqualTo(0.667);
    JsonObject ratio = report.getJsonArray("ratios").stream().map(JsonObject.class::cast)
        .filter(r -> r.getString("peer").equals("pekko") && r.getString("metric").equals("restart.p50"))
        .findFirst().orElseThrow();
    // medians 30 / 11; each repetition paired with its own peer: 20/10, 40/11, 30/12
    assertThat(ratio.getDouble("ratio")).isEqualTo(2.727);
    assertThat(ratio.getJsonArray("repRatios").getList()).containsExactly(2.0, 3.636, 2.5);
    assertThat(ratio.getDouble("ratioMin")).isEqualTo(2.0);
    assertThat(ratio.getDouble("ratioMax")).isEqualTo(3.636);
    assertThat(report.getInteger("repetitions")).isEqualTo(3);
  }

  @Test
  void aPartThatFailedInOneRepetitionKeepsTheFiguresOfTheOthers() {
    java.util.SortedMap<Integer, JsonObject> reps = reps(2, 3);
    JsonObject systems = new JsonObject();
    Report.merge(systems, new JsonObject().put("system", "overseer").put("part", "main").put("status", "failed")
        .put("reason", "boom"));
    reps.put(3, systems.put("pekko", side("pekko", new JsonObject().put("restart.p50", fig(12, "lower")))));
    JsonObject agg = Report.aggregate(reps);
    JsonObject overseer = agg.getJsonObject("overseer");
    assertThat(overseer.getString("status")).isEqualTo("ok");
    assertThat(overseer.getJsonObject("figures").getJsonObject("restart.p50").getJsonArray("reps").getList()).containsExactly(20.0, 30.0);
    assertThat(overseer.getJsonObject("skipped").containsKey("restart")).isFalse();
    assertThat(overseer.getJsonObject("failedInSomeRepetitions").getString("restart")).isEqualTo("failed: boom");
    assertThat(overseer.getJsonObject("repStatus").getString("3")).isEqualTo("failed");
  }

  @Test
  void goalsSayMetOrMissedAndCarryTheFloor() {
    JsonObject systems = new JsonObject()
        .put("overseer", side("overseer", new JsonObject().put("restart.p50", fig(90, "lower"))
            .put("vertx.restart.p50", fig(30, "lower")).put("call.throughput", fig(96, "higher"))
            .put("vertx.call.throughput", fig(100, "higher"))))
        .put("otp", side("otp", new JsonObject().put("restart.p50", fig(15, "lower"))));
    JsonObject report = Report.build(Mode.of("quick"), "bench/run quick", Instant.EPOCH, new JsonObject(), systems);
    java.util.Map<String, JsonObject> goals = new java.util.HashMap<>();
    report.getJsonArray("goals").forEach(o -> goals.put(((JsonObject) o).getString("goal"), (JsonObject) o));
    JsonObject restart = goals.get("restart p50 warm <= 1.0x OTP (time to init)");
    assertThat(restart.getString("status")).isEqualTo("missed");
    assertThat(restart.getJsonObject("comparison").getDouble("ratio")).isEqualTo(6.0);
    assertThat(restart.getJsonObject("floor").getDouble("ratio")).isEqualTo(3.0);
    assertThat(goals.get("call throughput >= 0.95x a plain Vert.x consumer").getString("status")).isEqualTo("met");
    assertThat(goals.get("start rate >= 1.0x Pekko").getString("status")).startsWith("not measured: ");
    assertThat(Report.table(report)).contains("issue 12 goals:").contains("missed");
  }

  @Test
  void repetitionAndLoadAreReadFromWhatBenchRunWrites() {
    assertThat(Report.rep("overseer-main-r3.json")).isEqualTo(3);
    assertThat(Report.rep("vertx-scale-r12.json")).isEqualTo(12);
    assertThat(Report.rep("otp.json")).isEqualTo(1);
    io.vertx.core.json.JsonArray load = Report.loads(java.util.List.of(
        "overseer-main 2 1764559000 13.41 15.92 18.74 9/812", "garbage", "otp 1 1764559100 - - - -"));
    assertThat(load.size()).isEqualTo(2);
    assertThat(load.getJsonObject(0).getString("step")).isEqualTo("overseer-main");
    assertThat(load.getJsonObject(0).getInteger("rep")).isEqualTo(2);
    assertThat(load.getJsonObject(0).getDouble("load1")).isEqualTo(13.41);
    assertThat(load.getJsonObject(0).getString("runnable")).isEqualTo("9/812");
    assertThat(load.getJsonObject(1).getValue("load1")).isNull();
  }
}
