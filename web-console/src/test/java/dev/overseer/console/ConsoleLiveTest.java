package dev.overseer.console;

import dev.overseer.console.testing.Fixture;
import dev.overseer.console.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@ExtendWith(VertxExtension.class)
class ConsoleLiveTest {

  static final Duration WAIT = Duration.ofSeconds(10);

  /** Every JSON message a socket received, in order. */
  static final class Received {
    final List<JsonObject> messages = new CopyOnWriteArrayList<>();
    WebSocket socket;
    WebSocketClient client;

    List<JsonObject> of(String type) {
      return messages.stream().filter(m -> type.equals(m.getString("type"))).toList();
    }

    JsonObject lastTree() {
      List<JsonObject> trees = of("tree");
      return trees.isEmpty() ? null : trees.get(trees.size() - 1).getJsonObject("tree");
    }
  }

  static WebSocketConnectOptions options(Fixture fx) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(fx.console.port()).setURI("/api/live");
  }

  /**
   * Connects and records every message. The handler is set in the connect future's callback, on
   * the socket's context, so no message can arrive before it.
   */
  static Received connect(Vertx vertx, WebSocketConnectOptions options) {
    Received received = new Received();
    // keep the client reachable: Vert.x 5 closes a client, and its connections, once it is garbage
    received.client = vertx.createWebSocketClient();
    WebSocket socket = received.client.connect(options)
        .map(ws -> ws.textMessageHandler(text -> received.messages.add(new JsonObject(text))))
        .await();
    received.socket = socket;
    return received;
  }

  static int restartCount(JsonObject tree, String supervisor, String id) {
    if (tree == null) {
      return -1;
    }
    JsonArray roots = tree.getJsonArray("members").getJsonObject(0).getJsonArray("supervisors");
    for (Object root : roots) {
      JsonObject sup = (JsonObject) root;
      if (sup.getString("name").equals(supervisor)) {
        for (Object c : sup.getJsonArray("children")) {
          if (((JsonObject) c).getString("id").equals(id)) {
            return ((JsonObject) c).getInteger("restartCount");
          }
        }
      }
    }
    return -1;
  }

  @Test
  void refusesTheUpgradeWithoutTheToken(Vertx vertx) {
    Fixture fx = Fixture.start(vertx, new ConsoleOptions());
    WebClient client = WebClient.create(vertx);
    for (String protocols : List.of("overseer.v1", "overseer.v1, bearer.wrong-token-wrong-token", "overseer.v1, bearer.")) {
      HttpResponse<Buffer> response = client.get(fx.console.port(), "127.0.0.1", "/api/live")
          .putHeader("Connection", "Upgrade").putHeader("Upgrade", "websocket")
          .putHeader("Sec-WebSocket-Version", "13").putHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
          .putHeader("Sec-WebSocket-Protocol", protocols)
          .send().await();
      assertThat(response.statusCode()).as(protocols).isEqualTo(401);
    }
    // and a real WebSocket client is not let in either
    WebSocketClient ws = vertx.createWebSocketClient();
    Throwable noToken = catchThrowable(() -> ws.connect(options(fx).addSubProtocol("overseer.v1")).await());
    assertThat(noToken).isNotNull();
    ws.close().await();
  }

  @Test
  void answersAPlainGetOnTheLiveChannelWith400(Vertx vertx) {
    Fixture fx = Fixture.start(vertx, new ConsoleOptions());
    HttpResponse<Buffer> response = WebClient.create(vertx).get(fx.console.port(), "127.0.0.1", "/api/live")
        .bearerTokenAuthentication(Fixture.TOKEN).send().await();
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("message")).contains("WebSocket");
  }

  @Test
  void pushesTheTreeAndItsChangesWithoutAsking(Vertx vertx) {
    Fixture fx = Fixture.start(vertx, new ConsoleOptions());
    Received received = connect(vertx, options(fx).addSubProtocol("overseer.v1").addSubProtocol("bearer." + Fixture.TOKEN));
    // the token is never echoed: the server selects the protocol, not the credential
    assertThat(received.socket.subProtocol()).isEqualTo("overseer.v1");
    Poll.until("hello and first tree", WAIT, () -> received.lastTree() != null);
    assertThat(received.messages.get(0).getString("type")).isEqualTo("hello");
    assertThat(restartCount(received.lastTree(), "app", "db")).isZero();

    fx.crash("app", "db");
    Poll.until("a tree with db restarted", WAIT, () -> restartCount(received.lastTree(), "app", "db") == 1);
    Poll.until("the crash event", WAIT, () -> received.of("events").stream()
        .flatMap(m -> m.getJsonArray("events").stream().map(JsonObject.class::cast))
        .anyMatch(e -> "CHILD_EXITED".equals(e.getString("type")) && "db".equals(e.getString("childId"))));
  }

  @Test
  void acceptsTheTokenInAHeaderFromNonBrowserClients(Vertx vertx) {
    Fixture fx = Fixture.start(vertx, new ConsoleOptions());
    Received received = connect(vertx, options(fx).addHeader("Authorization", "Bearer " + Fixture.TOKEN));
    Poll.until("first tree", WAIT, () -> received.lastTree() != null);
  }

  @Test
  void coalescesARestartStormIntoFewUpdates(Vertx vertx) {
    Duration interval = Duration.ofMillis(200);
    Fixture fx = Fixture.start(vertx, new ConsoleOptions().setCoalesceInterval(interval));
    Received received = connect(vertx, options(fx).addSubProtocol("overseer.v1").addSubProtocol("bearer." + Fixture.TOKEN));
    Poll.until("first tree", WAIT, () -> received.lastTree() != null);
    int treesBefore = received.of("tree").size();

    int crashes = 30;
    long start = System.nanoTime();
    for (int i = 1; i <= crashes; i++) {
      fx.crash("app", "db");
      int expected = i;
      Poll.until("restart " + i, WAIT, () -> fx.child("app", "db").restartCount() == expected);
    }
    Poll.until("the storm's end in the tree (last seen " + restartCount(received.lastTree(), "app", "db") + " in "
        + received.of("tree").size() + " trees)", WAIT, () -> restartCount(received.lastTree(), "app", "db") == crashes);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    int trees = received.of("tree").size() - treesBefore;
    // at most one tree per tick, whatever the rate of restarts
    assertThat(trees).isLessThanOrEqualTo((int) (elapsedMs / interval.toMillis()) + 2);
    long exits = received.of("events").stream()
        .flatMap(m -> m.getJsonArray("events").stream().map(JsonObject.class::cast))
        .filter(e -> "CHILD_EXITED".equals(e.getString("type")) && "db".equals(e.getString("childId")))
        .count();
    long dropped = received.of("events").stream().mapToLong(m -> m.getLong("dropped")).sum();
    Poll.until("all exits pushed", WAIT, () -> received.of("events").stream()
        .flatMap(m -> m.getJsonArray("events").stream().map(JsonObject.class::cast))
        .filter(e -> "CHILD_EXITED".equals(e.getString("type")) && "db".equals(e.getString("childId")))
        .count() + dropped >= crashes);
    assertThat(exits + dropped).isLessThanOrEqualTo(crashes);
    assertThat(fx.child("app", "db").restartCount()).isEqualTo(crashes);
  }
}
