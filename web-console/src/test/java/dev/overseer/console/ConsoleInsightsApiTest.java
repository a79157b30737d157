package dev.overseer.console;

import dev.overseer.Overseer;
import dev.overseer.console.testing.Fixture;
import dev.overseer.console.testing.Http;
import dev.overseer.stash.LocalStash;
import dev.overseer.stash.Stash;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static dev.overseer.console.testing.Poll.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** GET /api/history and GET /api/stash, over real HTTP. */
@ExtendWith(VertxExtension.class)
class ConsoleInsightsApiTest {

  Fixture fx;
  Http http;

  @BeforeEach
  void start(Vertx vertx) {
    fx = Fixture.start(vertx, new ConsoleOptions());
    http = new Http(vertx, fx.console.port());
  }

  static int sum(JsonObject history, String field) {
    return history.getJsonArray("buckets").stream().mapToInt(b -> ((JsonObject) b).getInteger(field)).sum();
  }

  @Test
  void historyCountsACrashForTheChildAndItsSupervisor() {
    fx.crash("app", "db");
    until("the crash in the history", Duration.ofSeconds(10),
        () -> sum(http.get("/api/history?supervisor=app&child=db").bodyAsJsonObject(), "crashes") == 1);
    JsonObject child = http.get("/api/history?supervisor=app&child=db").bodyAsJsonObject();
    assertThat(child.getString("supervisor")).isEqualTo("app");
    assertThat(child.getString("child")).isEqualTo("db");
    assertThat(child.getJsonArray("buckets")).hasSize(30);
    assertThat(child.getLong("bucketMillis")).isEqualTo(10_000L);
    until("the restart", Duration.ofSeconds(10),
        () -> sum(http.get("/api/history?supervisor=app&child=db").bodyAsJsonObject(), "restarts") == 1);
    JsonObject sup = http.get("/api/history?supervisor=app").bodyAsJsonObject();
    assertThat(sum(sup, "crashes")).isEqualTo(1);
    assertThat(sup.getJsonArray("buckets").getJsonObject(0).containsKey("intensity")).isTrue();
    until("intensity sampled", Duration.ofSeconds(10),
        () -> sum(http.get("/api/history?supervisor=app").bodyAsJsonObject(), "intensity") >= 1);
    assertThat(sum(http.get("/api/history?supervisor=app&child=cache").bodyAsJsonObject(), "crashes")).isZero();
  }

  /**
   * The console notes a supervisor's intensity used with each restart it records, so the first
   * history that counts a restart already charts its intensity: it does not wait up to a second
   * for the next sample (which, landing between the restart and this read, would also pass the
   * check now and then), nor miss it when the supervisor's period is shorter than the sampling.
   */
  @Test
  void theHistoryThatCountsARestartChartsItsIntensity() {
    fx.crash("app", "db");
    JsonObject[] seen = new JsonObject[1];
    until("the restart in the history", Duration.ofSeconds(10), () -> {
      seen[0] = http.get("/api/history?supervisor=app").bodyAsJsonObject();
      return sum(seen[0], "restarts") == 1;
    });
    assertThat(seen[0].getJsonArray("buckets").stream().mapToInt(b -> ((JsonObject) b).getInteger("intensity")).max().orElse(0))
        .isEqualTo(1);
  }

  @Test
  void historyAnswersBadRequestsWithAReasonAndNeedsTheToken() {
    var missing = http.get("/api/history");
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.bodyAsJsonObject().getString("message")).contains("supervisor");
    assertThat(http.get("/api/history?supervisor=app&child=").statusCode()).isEqualTo(400);
    assertThat(http.post("/api/history?supervisor=app").statusCode()).isEqualTo(405);
    assertThat(http.raw(HttpMethod.GET, "/api/history?supervisor=app").send().await().statusCode()).isEqualTo(401);
    assertThat(http.raw(HttpMethod.GET, "/api/stash").send().await().statusCode()).isEqualTo(401);
  }

  @Test
  void stashListsMetadataAndQuarantineReasonsButNeverValues() {
    Stash stash = Overseer.defaultStash(fx.vertx);
    stash.put("orders", "{\"card\":\"4111-secret\"}", 1, stash.claim("orders").await()).await();
    stash.quarantine("orders", "corrupt: not the declared type").await();
    stash.put("carts", "{\"items\":[\"hidden-value\"]}", 3, stash.claim("carts").await()).await();
    LocalStash archive = new LocalStash();
    archive.put("old", "{\"x\":\"archived-value\"}", 1, archive.claim("old").await()).await();
    fx.console.showStash("archive", archive);

    var response = http.get("/api/stash");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).doesNotContain("4111-secret", "hidden-value", "archived-value");
    JsonArray stashes = response.bodyAsJsonObject().getJsonArray("stashes");
    assertThat(stashes).hasSize(2);
    JsonObject main = stashes.getJsonObject(0);
    assertThat(main.getString("name")).isEqualTo("default");
    JsonObject carts = main.getJsonArray("entries").stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("key").equals("carts")).findFirst().orElseThrow();
    assertThat(carts.fieldNames()).containsExactlyInAnyOrder("key", "schemaVersion", "epoch", "updatedAt", "revision", "ageMillis");
    assertThat(carts.getInteger("schemaVersion")).isEqualTo(3);
    JsonObject orders = main.getJsonArray("quarantined").getJsonObject(0);
    assertThat(orders.getString("key")).isEqualTo("orders");
    assertThat(orders.getString("reason")).isEqualTo("corrupt: not the declared type");
    assertThat(orders.containsKey("json")).isFalse();
    assertThat(main.getInteger("quarantinedTotal")).isEqualTo(1);
    assertThat(stashes.getJsonObject(1).getString("name")).isEqualTo("archive");
    assertThat(stashes.getJsonObject(1).getJsonArray("entries").getJsonObject(0).getString("key")).isEqualTo("old");
  }

  @Test
  void servesThePageAsModulesUnderACspWithoutInlineStyles() {
    var page = http.raw(HttpMethod.GET, "/").send().await();
    assertThat(page.getHeader("Content-Security-Policy")).contains("style-src 'self';").doesNotContain("unsafe-inline");
    assertThat(page.bodyAsString()).contains("<script type=\"module\" src=\"js/main.js\">");
    var module = http.raw(HttpMethod.GET, "/js/main.js").send().await();
    assertThat(module.statusCode()).isEqualTo(200);
    // browsers refuse a module script served with any other type (and nosniff is on)
    assertThat(module.getHeader("Content-Type")).as("module content type").startsWith("text/javascript");
  }

  @Test
  void showStashRefusesTheReservedName() {
    assertThatThrownBy(() -> fx.console.showStash("default", new LocalStash())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
    assertThatThrownBy(() -> fx.console.showStash(" ", new LocalStash())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fx.console.showStash("x", null)).isInstanceOf(NullPointerException.class);
  }
}
