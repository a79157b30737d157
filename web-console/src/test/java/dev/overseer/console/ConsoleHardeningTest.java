package dev.overseer.console;

import dev.overseer.ChildSpec;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.console.impl.ApiException;
import dev.overseer.console.testing.CrashableChild;
import dev.overseer.SupervisorOptions;
import dev.overseer.console.testing.Fixture;
import dev.overseer.console.testing.Http;
import dev.overseer.console.testing.Poll;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What the console must not be made to show or send: forged events, request data in headers, 500s for bad specs. */
@ExtendWith(VertxExtension.class)
class ConsoleHardeningTest {

  Fixture fx;
  Http http;

  @BeforeEach
  void start(Vertx vertx) {
    fx = Fixture.start(vertx, new ConsoleOptions());
    http = new Http(vertx, fx.console.port());
  }

  static JsonObject forgedCrash(String childId) {
    return new JsonObject().put("type", "CHILD_EXITED").put("supervisor", "app").put("childId", childId)
        .put("restartCount", 0).put("timestamp", Instant.now().toString())
        .put("reason", new JsonObject().put("kind", "FAILURE").put("error", "java.lang.IllegalStateException")
            .put("message", "forged by a stranger"));
  }

  @Test
  void ignoresCrashEventsPublishedByAnyoneOnTheEventsAddress() {
    fx.vertx.eventBus().publish(SupervisorOptions.DEFAULT_EVENTS_ADDRESS, forgedCrash("db"));
    // a real crash afterwards: once it is shown, the forged one would have been too
    fx.crash("app", "cache");
    Poll.until("the real crash recorded", Duration.ofSeconds(10),
        () -> http.get("/api/supervisors/app/children/cache").bodyAsJsonObject().containsKey("lastCrash"));
    JsonObject db = http.get("/api/supervisors/app/children/db").bodyAsJsonObject();
    assertThat(db.containsKey("lastCrash")).isFalse();
    assertThat(db.getJsonArray("events").encode()).doesNotContain("forged");
    assertThat(http.get("/api/events?limit=200").bodyAsJsonObject().encode())
        .doesNotContain("forged")
        .contains("crash requested for cache");
  }

  @Test
  void keepsRequestDataOutOfTheContentSecurityPolicy() {
    // Vert.x refuses a Host with a space or a semicolon (400); any host it accepts must stay out too
    String evil = "evil.example:" + fx.console.port();
    HttpResponse<Buffer> page = http.raw(HttpMethod.GET, "/").putHeader("Host", evil).send().await();
    String csp = page.getHeader("Content-Security-Policy");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(csp).isEqualTo(Console.CSP).doesNotContain("evil");
    HttpResponse<Buffer> api = http.authed(HttpMethod.GET, "/api/tree").putHeader("Host", evil).send().await();
    assertThat(api.getHeader("Content-Security-Policy")).isEqualTo(Console.CSP);
  }

  @Test
  void answersAStartTheSupervisorFindsInvalidWith400AndStartsNothing() {
    // the console maps a supervisor's refusal by its error code: INVALID_SPEC is the caller's fault
    fx.console.registerStartable("sessions", "two", () -> ChildSpec.worker("two", CrashableChild::new)
        .withDeploymentOptions(new DeploymentOptions().setInstances(2)));
    HttpResponse<Buffer> response = http.post("/api/supervisors/sessions/children", "{\"template\":\"two\"}");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("INVALID_SPEC");
    assertThat(response.bodyAsJsonObject().getString("message")).contains("deploymentOptions.instances");
    assertThat(fx.childIds("sessions")).doesNotContain("two");
  }

  @Test
  void answersAStartOfAnUnknownClassWith400AndStartsNothing() {
    fx.console.registerStartable("sessions", "ghost", () -> ChildSpec.verticle("ghost", "com.example.NoSuchVerticle"));
    HttpResponse<Buffer> response = http.post("/api/supervisors/sessions/children", "{\"template\":\"ghost\"}");
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("error")).isIn("INVALID_SPEC", "BAD_REQUEST");
    assertThat(fx.childIds("sessions")).doesNotContain("ghost");
  }

  @ParameterizedTest
  @CsvSource({"INVALID_SPEC, 400", "BAD_REQUEST, 400", "NOT_FOUND, 404", "ALREADY_PRESENT, 409", "UNSUPPORTED, 409",
      "MAX_CHILDREN, 429", "START_FAILED, 500", "SHUTTING_DOWN, 503"})
  void mapsASupervisorErrorToAStatusByItsCode(SupervisorError error, int status) {
    ApiException mapped = ApiException.of(new SupervisorException(error, error.name().toLowerCase() + ": why"));
    assertThat(mapped.status()).isEqualTo(status);
    assertThat(mapped.error()).isEqualTo(error.name());
  }

  @Test
  void answersHealthWithoutTokenAndGoesDownWhenASupervisorGaveUp() {
    HttpResponse<Buffer> up = http.raw(HttpMethod.GET, "/health").send().await();
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    dev.overseer.Supervisor fragile = dev.overseer.Supervisor.start(fx.vertx,
        new SupervisorOptions().setName("fragile").setIntensity(0), java.util.List.of(ChildSpec.worker("w", CrashableChild::new))).await();
    fx.crash("fragile", "w");
    assertThat(fragile.terminationFuture().otherwise((dev.overseer.ExitReason) null).await()).isNull();
    Poll.until("health DOWN", Duration.ofSeconds(10), () -> http.raw(HttpMethod.GET, "/health").send().await().statusCode() == 503);
    HttpResponse<Buffer> down = http.raw(HttpMethod.GET, "/health").send().await();
    assertThat(down.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
    assertThat(down.bodyAsJsonObject().getInteger("down")).isEqualTo(1);
    assertThat(down.bodyAsString()).doesNotContain("fragile", Fixture.TOKEN);
  }
}
