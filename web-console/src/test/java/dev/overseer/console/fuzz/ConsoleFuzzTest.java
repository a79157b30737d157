package dev.overseer.console.fuzz;

import dev.overseer.ChildInfo;
import dev.overseer.SupervisorBase;
import dev.overseer.console.ConsoleOptions;
import dev.overseer.console.testing.Fixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's HTTP API and live WebSocket, fed generated hostile requests: every method, real
 * and mangled paths, no token, a wrong token or the right one, random headers, bodies and
 * query strings; then WebSocket upgrades with and without the token and junk frames. Every HTTP
 * answer must be a 2xx for a valid read or a 4xx with a reason (never a 5xx, never a hang),
 * nothing may change (every supervisor's children compared before and after each request), and
 * the console must keep serving. With the right token, actions aim only at children and
 * supervisors that do not exist, so any change is a bug; without it they aim at real ones too.
 * The seed is printed; {@code -Dfuzz.seed=S} repeats a run.
 */
class ConsoleFuzzTest {

  private static final int REQUESTS = 6_000;
  private static final int SOCKETS = 200;
  private static final String[] SUPERVISORS = {"app", "jobs", "sessions"};
  private static final List<String> NASTY = List.of("", "%00", "..", "%2e%2e%2f", "a%2Fb", "x".repeat(5_000), "%", "%zz",
      "<script>", "'", "\u00e9", "db", "counter", "jobs", "sessions");

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static Map<String, String> snapshot(Fixture fx) {
    Map<String, String> rows = new TreeMap<>();
    for (String s : SUPERVISORS) {
      SupervisorBase sup = SupervisorBase.lookup(fx.vertx, s).orElse(null);
      if (sup == null) {
        rows.put(s, "GONE");
        continue;
      }
      for (ChildInfo c : sup.whichChildren().await()) {
        rows.put(s + "/" + c.id(), c.status() + "/" + c.deploymentId() + "/" + c.restartCount());
      }
    }
    return rows;
  }

  private static String pick(Random r, String... values) {
    return values[r.nextInt(values.length)];
  }

  private static String segment(Random r, boolean real) {
    if (real && r.nextBoolean()) {
      return pick(r, "app", "jobs", "sessions", "db", "cache", "counter", "mailer", "indexer");
    }
    return r.nextBoolean() ? "no-such-" + r.nextInt(100) : NASTY.get(r.nextInt(NASTY.size()));
  }

  @Test
  void everyRequestIsRefusedOrAnsweredAndChangesNothing() throws Exception {
    Fixture fx = Fixture.start(vertx, new ConsoleOptions());
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("FUZZ console seed=" + seed + " (repeat with -Dfuzz.seed=" + seed + ")");
    Random r = new Random(seed);
    // One connection per request: a refused 2 MB body makes the server close its connection, and a
    // pooled connection would carry that into the next request's answer.
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    long tried = 0, rejected = 0, accepted = 0, changes = 0, unclear = 0;
    StringBuilder problems = new StringBuilder();
    Map<String, String> before = snapshot(fx);
    HttpMethod[] methods = {HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE, HttpMethod.PUT, HttpMethod.PATCH,
        HttpMethod.OPTIONS, HttpMethod.HEAD, HttpMethod.TRACE, HttpMethod.valueOf("FOO")};
    for (int i = 0; i < REQUESTS; i++) {
      int auth = r.nextInt(3);   // 0: none, 1: wrong, 2: right
      boolean real = auth != 2;  // with the right token, never aim at what exists
      String sup = segment(r, real);
      String child = segment(r, real);
      String path = switch (r.nextInt(10)) {
        case 0 -> "/api/tree";
        case 1 -> "/api/events?limit=" + pick(r, "0", "-1", "1", "100000", "x", "1e3", "", "%00");
        case 2 -> "/api/supervisors/" + sup;
        case 3, 4 -> "/api/supervisors/" + sup + "/children";
        case 5 -> "/api/supervisors/" + sup + "/children/" + child;
        case 6 -> "/api/supervisors/" + sup + "/children/" + child + "/" + pick(r, "restart", "terminate", "delete", "x");
        case 7 -> "/api/live";
        case 8 -> "/api/" + segment(r, false) + "/" + segment(r, false);
        default -> "/api/supervisors/" + sup + "/children/" + child + "?" + segment(r, false) + "=" + segment(r, false);
      };
      HttpMethod method = r.nextInt(3) == 0 ? methods[r.nextInt(methods.length)] : (r.nextBoolean() ? HttpMethod.GET : HttpMethod.POST);
      RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(fx.console.port()).setMethod(method).setURI(path)
          .setTimeout(10_000);
      if (auth == 1) {
        options.putHeader(r.nextBoolean() ? "Authorization" : "X-Overseer-Token", pick(r, "Bearer wrong", "Bearer ", "", Fixture.TOKEN + "x", "Basic Zm9vOmJhcg=="));
      } else if (auth == 2) {
        options.putHeader("Authorization", "Bearer " + Fixture.TOKEN);
      }
      if (r.nextInt(4) == 0) {
        // (Upgrade and Connection headers are left to the WebSocket part: on a plain request they make
        // the client, not the console, drop the answer's body.)
        options.putHeader(pick(r, "Content-Type", "Content-Encoding", "X-Forwarded-For", "Origin", "Accept", "Cookie"),
            pick(r, "application/json", "text/plain", "websocket", "upgrade", "127.0.0.1", "null", "*/*", "x".repeat(2000)));
      }
      Buffer body = switch (r.nextInt(6)) {
        case 0 -> Buffer.buffer();
        case 1 -> Buffer.buffer(new JsonObject().put("startable", pick(r, "nope", "", "java.lang.Runtime")).put("verticle", "java.lang.Runtime").encode());
        case 2 -> Buffer.buffer("{\"startable\":");
        case 3 -> Buffer.buffer("x".repeat(r.nextBoolean() ? 100 : 2_000_000));
        case 4 -> Buffer.buffer(new JsonObject().put("spec", new JsonObject().put("id", "evil").put("verticle", "java.lang.Runtime")).encode());
        default -> Buffer.buffer(new byte[] {0, (byte) 0xff, (byte) 0xfe, 10});
      };
      tried++;
      String described = method + " " + (path.length() > 120 ? path.substring(0, 120) + "…" : path) + " auth=" + auth + " body=" + body.length();
      int status;
      String text;
      String headers;
      String kind;
      try {
        Object[] res = http.request(options).compose(req -> req.send(body))
            .compose(resp -> resp.body().map(b -> new Object[] {resp.statusCode(), b.toString(), resp.headers().toString().replace('\n', ' '),
                String.valueOf(resp.getHeader("content-type")) + "/" + resp.getHeader("content-length")})).await(15, TimeUnit.SECONDS);
        status = (Integer) res[0];
        text = (String) res[1];
        headers = (String) res[2];
        kind = (String) res[3];
        // With Connection: close the server may close before the client has read the body it
        // announced; a body of announced length is a reason all the same (the console's JSON, or
        // vertx-web's "Bad Request" for a path it cannot decode).
        if (text.isBlank() && !((String) res[3]).endsWith("/0") && !((String) res[3]).endsWith("/null")) {
          text = "(reason announced: " + res[3] + ")";
        }
      } catch (Exception e) {
        // A refused oversized body may close the connection: that is a refusal, not a hang.
        if (body.length() > 1_000_000) {
          rejected++;
          continue;
        }
        unclear++;
        if (problems.length() < 4000) {
          problems.append("\n  no answer: ").append(e).append(" <- ").append(described);
        }
        continue;
      }
      // A 4xx carries a reason: the console's JSON, or Vert.x's own text for a request line it cannot parse.
      // 414 (request line over Vert.x's 4096-byte limit) is answered by the HTTP codec before any route, status only.
      if (status >= 500 || (status >= 400 && status != 414 && method != HttpMethod.HEAD && text.isBlank())) {
        unclear++;
        if (problems.length() < 4000) {
          problems.append("\n  ").append(status).append(" ").append(text.length() > 200 ? text.substring(0, 200) : text).append(" <- ").append(described).append(" ").append(options.getHeaders()).append(" => ").append(headers);
        }
      } else if (status >= 400) {
        rejected++;
      } else {
        accepted++;
        // Without the token only the static UI may answer (a path like /api/../ normalises to it,
        // perhaps with a redirect); the API's JSON never.
        if (auth != 2 && status < 300 && kind.startsWith("application/json")) {
          unclear++;
          problems.append("\n  answered ").append(status).append(" without the token <- ").append(described);
        }
      }
      Map<String, String> after = snapshot(fx);
      if (!after.equals(before)) {
        changes++;
        if (problems.length() < 4000) {
          problems.append("\n  state changed ").append(before).append(" -> ").append(after).append(" <- ").append(described);
        }
        before = after;
      }
    }
    // The live channel: upgrades with and without the token, then junk frames on those let in.
    long frames = 0;
    WebSocketClient ws = vertx.createWebSocketClient();
    for (int i = 0; i < SOCKETS; i++) {
      int auth = r.nextInt(3);
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(fx.console.port())
          .setURI(pick(r, "/api/live", "/api/live?x=1", "/api/tree", "/api/live/%00"));
      if (auth == 1) {
        options.addSubProtocol(pick(r, "overseer.v1", "wrong", "bearer.wrong")).addHeader("X-Overseer-Token", "wrong");
      } else if (auth == 2) {
        options.addHeader("X-Overseer-Token", Fixture.TOKEN);
      }
      tried++;
      WebSocket socket;
      try {
        socket = ws.connect(options).await(10, TimeUnit.SECONDS);
      } catch (Exception refused) {
        rejected++;
        continue;
      }
      if (auth != 2) {
        unclear++;
        problems.append("\n  WebSocket let in without the token: ").append(options.getURI());
      }
      accepted++;
      int n = 1 + r.nextInt(20);
      for (int f = 0; f < n && !socket.isClosed(); f++) {
        frames++;
        tried++;
        if (r.nextBoolean()) {
          socket.writeTextMessage(pick(r, "{\"action\":\"restartChild\",\"supervisor\":\"app\",\"id\":\"db\"}", "{}", "null", "x".repeat(r.nextInt(70_000)), "\u0000"));
        } else {
          byte[] junk = new byte[r.nextInt(5000)];
          r.nextBytes(junk);
          socket.writeBinaryMessage(Buffer.buffer(junk));
        }
        accepted++;
      }
      socket.close();
    }
    Map<String, String> end = snapshot(fx);
    if (!end.equals(before)) {
      changes++;
      problems.append("\n  state changed by WebSocket frames: ").append(before).append(" -> ").append(end);
    }
    // Still serving.
    HttpClientResponse tree = http.request(new RequestOptions().setHost("127.0.0.1").setPort(fx.console.port()).setURI("/api/tree")
        .putHeader("Authorization", "Bearer " + Fixture.TOKEN)).compose(req -> req.send()).await(10, TimeUnit.SECONDS);
    long deaths = tree.statusCode() == 200 ? 0 : 1;
    String summary = "FUZZ-COUNTS target=console seed=" + seed + " tried=" + tried + " rejected=" + rejected + " accepted=" + accepted
        + " (frames " + frames + ") stateChanges=" + changes + " deaths=" + deaths + " unclear=" + unclear + problems;
    System.out.println(summary);
    assertThat(rejected).isPositive();
    assertThat(changes + deaths + unclear).as(summary).isZero();
  }
}
