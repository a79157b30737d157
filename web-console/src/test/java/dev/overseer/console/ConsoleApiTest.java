package dev.overseer.console;

import dev.overseer.ChildSpec;
import dev.overseer.ChildStatus;
import dev.overseer.server.ServerRef;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import dev.overseer.console.testing.CounterServer;
import dev.overseer.console.testing.CrashableChild;
import dev.overseer.console.testing.Fixture;
import dev.overseer.console.testing.Http;
import dev.overseer.console.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class ConsoleApiTest {

  Fixture fx;
  Http http;

  @BeforeEach
  void start(Vertx vertx) {
    fx = Fixture.start(vertx, new ConsoleOptions());
    http = new Http(vertx, fx.console.port());
  }

  static JsonObject json(HttpResponse<Buffer> response) {
    return response.bodyAsJsonObject();
  }

  static JsonObject root(JsonObject tree, String name) {
    JsonArray roots = tree.getJsonArray("members").getJsonObject(0).getJsonArray("supervisors");
    return roots.stream().map(JsonObject.class::cast).filter(s -> s.getString("name").equals(name)).findFirst().orElseThrow();
  }

  static JsonObject child(JsonObject supervisor, String id) {
    return supervisor.getJsonArray("children").stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("id").equals(id)).findFirst().orElseThrow();
  }

  @Nested
  class Authentication {

    @Test
    void refusesApiCallsWithoutToken() {
      HttpResponse<Buffer> response = http.raw(HttpMethod.GET, "/api/tree").send().await();
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
      assertThat(json(response).getString("error")).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void refusesAWrongTokenOfTheSameLength() {
      String wrong = Fixture.TOKEN.substring(0, Fixture.TOKEN.length() - 1) + "X";
      assertThat(http.raw(HttpMethod.GET, "/api/tree").bearerTokenAuthentication(wrong).send().await().statusCode()).isEqualTo(401);
    }

    @Test
    void refusesTheTokenInACookieOrTheQuery() {
      assertThat(http.raw(HttpMethod.GET, "/api/tree").putHeader("Cookie", "token=" + Fixture.TOKEN).send().await().statusCode())
          .isEqualTo(401);
      assertThat(http.raw(HttpMethod.GET, "/api/tree?token=" + Fixture.TOKEN).send().await().statusCode()).isEqualTo(401);
    }

    @Test
    void refusesActionsWithoutTokenAndChangesNothing() {
      HttpResponse<Buffer> response = http.raw(HttpMethod.POST, "/api/supervisors/app/children/db/terminate").send().await();
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(fx.child("app", "db").status()).isEqualTo(ChildStatus.RUNNING);
    }

    @Test
    void acceptsTheTokenInEitherHeader() {
      assertThat(http.raw(HttpMethod.GET, "/api/tree").putHeader("X-Overseer-Token", Fixture.TOKEN).send().await().statusCode())
          .isEqualTo(200);
      assertThat(http.get("/api/tree").statusCode()).isEqualTo(200);
    }

    @Test
    void servesThePageWithoutTokenAndWithStrictHeaders() {
      HttpResponse<Buffer> page = http.raw(HttpMethod.GET, "/").send().await();
      assertThat(page.statusCode()).isEqualTo(200);
      // offline: nothing is loaded from another origin
      assertThat(page.bodyAsString()).contains("<title>Overseer console</title>")
          .doesNotContainPattern("(src|href)=\"(https?:)?//");
      assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'", "frame-ancestors 'none'");
      assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");
      assertThat(page.bodyAsString()).contains("<script type=\"module\" src=\"js/main.js\">");
      HttpResponse<Buffer> script = http.raw(HttpMethod.GET, "/js/main.js").send().await();
      assertThat(script.statusCode()).isEqualTo(200);
      assertThat(script.bodyAsString()).doesNotContainPattern("https?://[a-z]");
    }
  }

  @Nested
  class Tree {

    @Test
    void showsMembersRootsAndNestedSupervisors() {
      JsonObject tree = json(http.get("/api/tree"));
      assertThat(tree.getJsonArray("members")).hasSize(1);
      JsonObject member = tree.getJsonArray("members").getJsonObject(0);
      assertThat(member.getBoolean("self")).isTrue();
      assertThat(member.getJsonArray("supervisors").stream().map(s -> ((JsonObject) s).getString("name")))
          .containsExactly("app", "sessions");

      JsonObject app = root(tree, "app");
      assertThat(app.getString("strategy")).isEqualTo("ONE_FOR_ONE");
      assertThat(app.getString("kind")).isEqualTo("static");
      assertThat(app.getInteger("intensity")).isEqualTo(50);
      assertThat(app.getInteger("intensityUsed")).isZero();
      assertThat(app.getLong("period")).isEqualTo(5000L);
      assertThat(app.getJsonArray("children").stream().map(c -> ((JsonObject) c).getString("id")))
          .containsExactly("db", "cache", "counter", "jobs");
      JsonObject db = child(app, "db");
      assertThat(db.getString("state")).isEqualTo("running");
      assertThat(db.getInteger("restartCount")).isZero();
      assertThat(db.getString("type")).isEqualTo("WORKER");

      JsonObject jobs = child(app, "jobs").getJsonObject("supervisor");
      assertThat(jobs.getString("name")).isEqualTo("jobs");
      assertThat(jobs.getString("strategy")).isEqualTo("REST_FOR_ONE");
      assertThat(jobs.getJsonArray("children").stream().map(c -> ((JsonObject) c).getString("id")))
          .containsExactly("mailer", "indexer");

      JsonObject sessions = root(tree, "sessions");
      assertThat(sessions.getString("kind")).isEqualTo("dynamic");
      assertThat(sessions.getInteger("maxChildren")).isEqualTo(100);
      assertThat(sessions.getJsonArray("startables")).containsExactly("session");
    }

    @Test
    void countsRestartsAndIntensityAfterACrash() {
      fx.crash("app", "db");
      Poll.until("db restarted", Duration.ofSeconds(10), () -> fx.child("app", "db").restartCount() == 1);
      // the crash event travels on the event bus and may reach the console after the restart
      Poll.until("the crash seen by the console", Duration.ofSeconds(10),
          () -> child(root(json(http.get("/api/tree")), "app"), "db").containsKey("lastCrashAt"));
      JsonObject app = root(json(http.get("/api/tree")), "app");
      assertThat(child(app, "db").getInteger("restartCount")).isEqualTo(1);
      assertThat(child(app, "db").getString("lastCrashAt")).isNotBlank();
      assertThat(app.getInteger("intensityUsed")).isEqualTo(1);
    }

    @Test
    void keepsARootSupervisorThatGaveUpVisibleAsFailed() {
      Supervisor.start(fx.vertx, new SupervisorOptions().setName("fragile").setIntensity(0),
          List.of(ChildSpec.worker("w", CrashableChild::new))).await();
      // the console must have seen it as a root before it dies
      Poll.until("fragile in the tree", Duration.ofSeconds(10),
          () -> json(http.get("/api/tree")).encode().contains("\"fragile\""));
      fx.crash("fragile", "w");
      // between the supervisor's end and the console hearing its SUPERVISOR_STOPPED, one read may
      // not list it at all: poll for the failed root instead of failing on its absence
      Poll.until("fragile failed", Duration.ofSeconds(10), () -> json(http.get("/api/tree")).getJsonArray("members")
          .getJsonObject(0).getJsonArray("supervisors").stream().map(JsonObject.class::cast)
          .anyMatch(s -> "fragile".equals(s.getString("name")) && "failed".equals(s.getString("status"))));
      JsonObject fragile = root(json(http.get("/api/tree")), "fragile");
      assertThat(fragile.getJsonObject("reason").getString("kind")).isEqualTo("FAILURE");
      assertThat(child(fragile, "w").getString("state")).isEqualTo("stopped");
    }
  }

  @Nested
  class Details {

    @Test
    void showsAChildsSpecEventsAndLastCrash() {
      fx.crash("app", "cache");
      Poll.until("cache restarted", Duration.ofSeconds(10), () -> fx.child("app", "cache").restartCount() == 1);
      // the event travels on the event bus; the restart may be seen before the console got it
      Poll.until("crash and restart recorded", Duration.ofSeconds(10), () -> {
        JsonObject d = json(http.get("/api/supervisors/app/children/cache"));
        return d.containsKey("lastCrash") && d.getJsonArray("events").encode().contains("CHILD_RESTARTED");
      });
      JsonObject detail = json(http.get("/api/supervisors/app/children/cache"));
      assertThat(detail.getString("supervisor")).isEqualTo("app");
      assertThat(detail.getJsonObject("child").getString("state")).isEqualTo("running");
      assertThat(detail.getJsonObject("spec").getString("restart")).isEqualTo("PERMANENT");
      JsonObject reason = detail.getJsonObject("lastCrash").getJsonObject("reason");
      assertThat(reason.getString("kind")).isEqualTo("FAILURE");
      assertThat(reason.getString("message")).isEqualTo("crash requested for cache");
      assertThat(reason.getJsonArray("stack")).isNotEmpty();
      assertThat(detail.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")))
          .contains("CHILD_EXITED", "CHILD_RESTARTED");
    }

    @Test
    void showsAServersFormattedStateAndStashEntry() {
      assertThat(ServerRef.of(fx.vertx, CounterServer.NAME).call("inc", Duration.ofSeconds(5)).await()).isEqualTo(1);
      assertThat(child(root(json(http.get("/api/tree")), "app"), "counter").getString("server")).isEqualTo("counter");
      JsonObject server = json(http.get("/api/supervisors/app/children/counter")).getJsonObject("server");
      assertThat(server.getString("name")).isEqualTo("counter");
      assertThat(server.getJsonObject("state")).isEqualTo(new JsonObject().put("count", 1).put("owner", "console-test"));
      JsonObject entry = server.getJsonObject("stash").getJsonObject("entry");
      assertThat(entry.getInteger("schemaVersion")).isEqualTo(2);
      assertThat(entry.getLong("ageMillis")).isNotNegative();
      assertThat(entry.containsKey("epoch")).isTrue();
    }

    @Test
    void showsAServersCrashReport() {
      assertThat(ServerRef.of(fx.vertx, CounterServer.NAME).call("inc", Duration.ofSeconds(5)).await()).isEqualTo(1);
      fx.vertx.eventBus().send(CounterServer.NAME, "crash");
      Poll.until("crash report recorded", Duration.ofSeconds(10),
          () -> json(http.get("/api/supervisors/app/children/counter")).containsKey("lastCrash"));
      JsonObject report = json(http.get("/api/supervisors/app/children/counter"))
          .getJsonObject("lastCrash").getJsonObject("reason").getJsonObject("crashReport");
      assertThat(report.getString("name")).isEqualTo("counter");
      assertThat(report.getValue("lastMessage")).isEqualTo(new JsonObject().put("cast", new JsonObject().put("type", "String").put("size", 5)));
      assertThat(report.getJsonObject("state")).isEqualTo(new JsonObject().put("count", 1).put("owner", "console-test"));
      assertThat(report.getJsonObject("reason").getString("message")).contains("counter asked to crash at 1");
    }

    @Test
    void listensToASupervisorsOwnEventsAddress() {
      Supervisor.start(fx.vertx, new SupervisorOptions().setName("custom").setEventsAddress("custom.events").setIntensity(5),
          List.of(ChildSpec.worker("w", CrashableChild::new))).await();
      // the console finds the address when it next reads the tree
      Poll.until("custom in the tree", Duration.ofSeconds(10),
          () -> json(http.get("/api/tree")).encode().contains("\"custom\""));
      fx.crash("custom", "w");
      Poll.until("its crash recorded", Duration.ofSeconds(10),
          () -> json(http.get("/api/supervisors/custom/children/w")).containsKey("lastCrash"));
    }

    @Test
    void showsASupervisorsFlagsAndOwnEvents() {
      JsonObject detail = json(http.get("/api/supervisors/jobs"));
      assertThat(detail.getJsonObject("supervisor").getString("strategy")).isEqualTo("REST_FOR_ONE");
      assertThat(detail.getJsonObject("supervisor").getJsonArray("children")).hasSize(2);
      assertThat(detail.getJsonArray("events")).isNotNull();
    }

    @ParameterizedTest
    @CsvSource({
        "/api/supervisors/nope, no supervisor named 'nope'",
        "/api/supervisors/nope/children/db, no supervisor named 'nope'",
        "/api/supervisors/app/children/nope, has no child 'nope'",
        "/api/nothing-here, no endpoint"
    })
    void answersUnknownNamesWith404(String path, String reason) {
      HttpResponse<Buffer> response = http.get(path);
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(json(response).getString("error")).isEqualTo("NOT_FOUND");
      assertThat(json(response).getString("message")).contains(reason);
    }

    @Test
    void validatesTheEventsLimit() {
      assertThat(http.get("/api/events?limit=0").statusCode()).isEqualTo(400);
      assertThat(http.get("/api/events?limit=abc").statusCode()).isEqualTo(400);
      assertThat(http.get("/api/events?limit=5").statusCode()).isEqualTo(200);
    }
  }

  @Nested
  class Actions {

    @Test
    void terminatesThenRestartsThenDeletesAChild() {
      HttpResponse<Buffer> terminated = http.post("/api/supervisors/app/children/cache/terminate");
      assertThat(terminated.statusCode()).isEqualTo(200);
      assertThat(json(terminated).getBoolean("ok")).isTrue();
      assertThat(fx.child("app", "cache").status()).isEqualTo(ChildStatus.STOPPED);

      assertThat(http.post("/api/supervisors/app/children/cache/restart").statusCode()).isEqualTo(200);
      assertThat(fx.child("app", "cache").status()).isEqualTo(ChildStatus.RUNNING);

      assertThat(http.post("/api/supervisors/app/children/cache/terminate").statusCode()).isEqualTo(200);
      assertThat(http.delete("/api/supervisors/app/children/cache").statusCode()).isEqualTo(200);
      assertThat(fx.childIds("app")).containsExactly("db", "counter", "jobs");
    }

    @Test
    void refusesToRestartOrDeleteARunningChildAndChangesNothing() {
      String before = fx.child("app", "db").deploymentId();
      HttpResponse<Buffer> restart = http.post("/api/supervisors/app/children/db/restart");
      assertThat(restart.statusCode()).isEqualTo(409);
      assertThat(json(restart).getString("error")).isEqualTo("RUNNING");
      HttpResponse<Buffer> delete = http.delete("/api/supervisors/app/children/db");
      assertThat(delete.statusCode()).isEqualTo(409);
      assertThat(fx.child("app", "db").deploymentId()).isEqualTo(before);
      assertThat(fx.childIds("app")).containsExactly("db", "cache", "counter", "jobs");
    }

    @Test
    void refusesRestartOnADynamicSupervisorWithAReason() {
      JsonObject started = json(http.post("/api/supervisors/sessions/children", "{\"template\":\"session\"}"));
      HttpResponse<Buffer> restart = http.post("/api/supervisors/sessions/children/" + started.getString("id") + "/restart");
      assertThat(restart.statusCode()).isEqualTo(409);
      assertThat(json(restart).getString("error")).isEqualTo("UNSUPPORTED");
    }

    @Test
    void startsChildrenFromARegisteredTemplate() {
      HttpResponse<Buffer> first = http.post("/api/supervisors/sessions/children", "{\"template\":\"session\"}");
      assertThat(first.statusCode()).isEqualTo(201);
      assertThat(json(first).getString("id")).isEqualTo("session-1");
      HttpResponse<Buffer> named = http.post("/api/supervisors/sessions/children", "{\"template\":\"session\",\"id\":\"vip\"}");
      assertThat(named.statusCode()).isEqualTo(201);
      assertThat(fx.childIds("sessions")).containsExactly("session-1", "vip");
      HttpResponse<Buffer> again = http.post("/api/supervisors/sessions/children", "{\"template\":\"session\",\"id\":\"vip\"}");
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(json(again).getString("error")).isEqualTo("ALREADY_STARTED");
    }

    @Test
    void terminatesAChildOfANestedSupervisor() {
      assertThat(http.post("/api/supervisors/jobs/children/indexer/terminate").statusCode()).isEqualTo(200);
      assertThat(fx.child("jobs", "indexer").status()).isEqualTo(ChildStatus.STOPPED);
    }
  }

  @Nested
  class BadInput {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{not json            | malformed JSON",
        "[1,2]                | must be a JSON object",
        "{}                   | template: must be",
        "{\"template\": 7}    | template: must be",
        "{\"template\":\"session\",\"id\":\"\"} | id: must be",
        "{\"template\":\"session\",\"x\":1}     | unknown field 'x'"
    })
    void refusesAMalformedStartWith400AndStartsNothing(String body, String reason) {
      HttpResponse<Buffer> response = http.post("/api/supervisors/sessions/children", body);
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(json(response).getString("error")).isEqualTo("BAD_REQUEST");
      assertThat(json(response).getString("message")).contains(reason);
      assertThat(fx.childIds("sessions")).isEmpty();
    }

    @Test
    void refusesAnEmptyBody() {
      HttpResponse<Buffer> response = http.post("/api/supervisors/sessions/children");
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(fx.childIds("sessions")).isEmpty();
    }

    @Test
    void answersAnUnknownTemplateOrSupervisorWith404() {
      HttpResponse<Buffer> template = http.post("/api/supervisors/sessions/children", "{\"template\":\"nope\"}");
      assertThat(template.statusCode()).isEqualTo(404);
      assertThat(json(template).getString("message")).contains("no startable template 'nope'", "[session]");
      assertThat(http.post("/api/supervisors/nope/children", "{\"template\":\"session\"}").statusCode()).isEqualTo(404);
      assertThat(http.post("/api/supervisors/app/children/nope/terminate").statusCode()).isEqualTo(404);
      assertThat(fx.childIds("sessions")).isEmpty();
    }

    @Test
    void answersAWrongMethodWith405AndAllow() {
      HttpResponse<Buffer> get = http.get("/api/supervisors/app/children/db/terminate");
      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(get.getHeader("Allow")).isEqualTo("POST");
      assertThat(json(get).getString("error")).isEqualTo("METHOD_NOT_ALLOWED");
      HttpResponse<Buffer> post = http.post("/api/tree");
      assertThat(post.statusCode()).isEqualTo(405);
      HttpResponse<Buffer> put = http.authed(HttpMethod.PUT, "/api/supervisors/app/children/db").send().await();
      assertThat(put.statusCode()).isEqualTo(405);
      assertThat(put.getHeader("Allow")).isEqualTo("DELETE, GET");
      assertThat(fx.child("app", "db").status()).isEqualTo(ChildStatus.RUNNING);
    }

    @Test
    void refusesAnOversizedBody() {
      String big = "{\"template\":\"" + "x".repeat(20_000) + "\"}";
      assertThat(http.post("/api/supervisors/sessions/children", big).statusCode()).isEqualTo(413);
      assertThat(fx.childIds("sessions")).isEmpty();
    }
  }

  @Nested
  class ReadOnly {

    @BeforeEach
    void restartReadOnly(Vertx vertx) {
      vertx.undeploy(fx.console.deploymentID()).await();
      Console console = new Console(new ConsoleOptions().setPort(0).setToken(Fixture.TOKEN).setReadOnly(true));
      console.registerStartable("sessions", "session", () -> ChildSpec.worker("s", CrashableChild::new));
      vertx.deployVerticle(console).await();
      http = new Http(vertx, console.port());
    }

    @Test
    void refusesEveryActionWith403AndChangesNothing() {
      List<HttpResponse<Buffer>> responses = List.of(
          http.post("/api/supervisors/app/children/db/terminate"),
          http.post("/api/supervisors/app/children/db/restart"),
          http.delete("/api/supervisors/app/children/db"),
          http.post("/api/supervisors/sessions/children", "{\"template\":\"session\"}"));
      for (HttpResponse<Buffer> response : responses) {
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(json(response).getString("error")).isEqualTo("READ_ONLY");
      }
      assertThat(fx.child("app", "db").status()).isEqualTo(ChildStatus.RUNNING);
      assertThat(fx.childIds("sessions")).isEmpty();
    }

    @Test
    void stillShowsTheTreeAndSaysItIsReadOnly() {
      JsonObject tree = json(http.get("/api/tree"));
      assertThat(tree.getBoolean("readOnly")).isTrue();
      assertThat(root(tree, "app").getJsonArray("children")).hasSize(4);
    }
  }
}
