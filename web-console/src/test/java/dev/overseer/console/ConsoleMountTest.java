package dev.overseer.console;

import dev.overseer.ChildSpec;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import dev.overseer.console.testing.CrashableChild;
import dev.overseer.console.testing.Fixture;
import dev.overseer.console.testing.Poll;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BasicAuthHandler;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The console inside an application: its router, its TLS, its authentication. */
@ExtendWith(VertxExtension.class)
class ConsoleMountTest {

  Vertx vertx;
  WebClient client;
  int port;
  Supervisor app;

  /** The application's users: one, checked by the application, not by Overseer. */
  static final AuthenticationProvider USERS = credentials -> {
    UsernamePasswordCredentials c = (UsernamePasswordCredentials) credentials;
    return "ops".equals(c.getUsername()) && "s3cret".equals(c.getPassword())
        ? Future.succeededFuture(User.fromName("ops"))
        : Future.failedFuture("wrong user or password");
  };

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    app = Supervisor.start(vertx, new SupervisorOptions().setName("shop").setIntensity(10),
        List.of(ChildSpec.worker("db", CrashableChild::new))).await();
    Console console = Console.start(vertx, new ConsoleOptions().setServe(false)).await();
    assertThat(console.port()).isEqualTo(-1);

    Router router = Router.router(vertx);
    router.get("/").handler(ctx -> ctx.end("the application"));
    router.route("/ops/console/*").subRouter(console.router(BasicAuthHandler.create(USERS)));
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
            .setKeyCertOptions(certificate.keyCertOptions()).setHost("127.0.0.1").setPort(0))
        .requestHandler(router).listen().await();
    port = server.actualPort();
    client = WebClient.create(vertx, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
  }

  HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, port, "127.0.0.1", "/ops/console" + path);
  }

  HttpResponse<Buffer> asOps(HttpMethod method, String path) {
    return request(method, path).basicAuthentication("ops", "s3cret").send().await();
  }

  @Test
  void servesTheApiOverTheApplicationsTlsBehindItsAuthentication() {
    HttpResponse<Buffer> tree = asOps(HttpMethod.GET, "/api/tree");
    assertThat(tree.statusCode()).isEqualTo(200);
    assertThat(tree.bodyAsString()).contains("\"shop\"");
    assertThat(tree.getHeader("Content-Security-Policy")).isEqualTo(Console.CSP);

    assertThat(request(HttpMethod.GET, "/api/tree").send().await().statusCode()).isEqualTo(401);
    assertThat(request(HttpMethod.GET, "/api/tree").basicAuthentication("ops", "wrong").send().await().statusCode()).isEqualTo(401);
    // the console's own token means nothing here: the application decides who gets in
    assertThat(request(HttpMethod.GET, "/api/tree").bearerTokenAuthentication(Fixture.TOKEN).send().await().statusCode())
        .isEqualTo(401);
  }

  @Test
  void carriesOutActionsAndRecordsEventsWhenMounted() {
    vertx.eventBus().send(CrashableChild.address("shop", "db"), "crash");
    Poll.until("the crash recorded", Duration.ofSeconds(10),
        () -> asOps(HttpMethod.GET, "/api/supervisors/shop/children/db").bodyAsJsonObject().containsKey("lastCrash"));
    assertThat(asOps(HttpMethod.POST, "/api/supervisors/shop/children/db/terminate").statusCode()).isEqualTo(200);
    assertThat(asOps(HttpMethod.GET, "/api/supervisors/shop/children/db").bodyAsJsonObject()
        .getJsonObject("child").getString("status")).isEqualTo("STOPPED");
  }

  @Test
  void servesThePageAndHealthWithoutAuthentication() {
    HttpResponse<Buffer> page = request(HttpMethod.GET, "/").send().await();
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("<title>Overseer console</title>");
    HttpResponse<Buffer> health = request(HttpMethod.GET, "/health").send().await();
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    // liveness tells nothing an outsider could use: no names, no reasons
    assertThat(health.bodyAsString()).doesNotContain("shop", "db");
  }
}
