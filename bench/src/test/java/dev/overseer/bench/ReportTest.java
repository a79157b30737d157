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
}
