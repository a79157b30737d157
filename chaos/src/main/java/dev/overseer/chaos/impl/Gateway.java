package dev.overseer.chaos.impl;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The controller's side of a member's HTTP gateway. A request that never connected did not
 * happen (fail); one that was sent and got no answer may have (info).
 */
public final class Gateway {

  /** How long a client waits for a member's gateway; longer than the gateway's own call timeout. */
  public static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1))
      .build();

  /**
   * Calls a child through a member.
   *
   * @param port the member's gateway port
   * @param child the child
   * @param f the function
   * @return the gateway's answer, or a fail/info outcome of its own
   */
  public JsonObject op(int port, String child, String f) {
    return post(port, "/op", new JsonObject().put("child", child).put("f", f), TIMEOUT);
  }

  /**
   * Asks a member to start the children under the distributed supervisor.
   *
   * @param port the member's gateway port
   * @param children id → kind
   * @return {@code {"type": "ok"}} or a failure
   */
  public JsonObject setup(int port, JsonObject children) {
    return post(port, "/setup", children, Duration.ofSeconds(20));
  }

  /**
   * Asks a member how it sees the cluster.
   *
   * @param port the member's gateway port
   * @return {@code {"member", "members", "safe"}} or {@code {"type": "fail"|"info", "error"}}
   */
  public JsonObject health(int port) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).GET().build();
    return send(req);
  }

  private JsonObject post(int port, String path, JsonObject body, Duration timeout) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout)
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
    return send(req);
  }

  private JsonObject send(HttpRequest req) {
    try {
      HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        return new JsonObject().put("type", "info").put("error", "HTTP " + res.statusCode());
      }
      return new JsonObject(res.body());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      return new JsonObject().put("type", "fail").put("error", "not connected: " + e);
    } catch (HttpTimeoutException e) {
      return new JsonObject().put("type", "info").put("error", "timeout: " + e.getMessage());
    } catch (IOException e) {
      // Sent, then the connection broke: the member may have acted on it.
      return new JsonObject().put("type", "info").put("error", String.valueOf(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new JsonObject().put("type", "info").put("error", "interrupted");
    } catch (RuntimeException e) {
      return new JsonObject().put("type", "info").put("error", "unreadable answer: " + e);
    }
  }
}
