package dev.overseer.console.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** A small synchronous HTTP client for API tests, on Vert.x's web client. */
public final class Http {

  private final WebClient client;
  private final int port;

  public Http(Vertx vertx, int port) {
    this.client = WebClient.create(vertx);
    this.port = port;
  }

  /** @return a request with the test token in {@code Authorization: Bearer} */
  public HttpRequest<Buffer> authed(HttpMethod method, String path) {
    return raw(method, path).bearerTokenAuthentication(Fixture.TOKEN);
  }

  /** @return a request with no token */
  public HttpRequest<Buffer> raw(HttpMethod method, String path) {
    return client.request(method, port, "127.0.0.1", path);
  }

  public HttpResponse<Buffer> get(String path) {
    return authed(HttpMethod.GET, path).send().await();
  }

  public HttpResponse<Buffer> post(String path) {
    return authed(HttpMethod.POST, path).send().await();
  }

  public HttpResponse<Buffer> post(String path, String body) {
    return authed(HttpMethod.POST, path).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)).await();
  }

  public HttpResponse<Buffer> delete(String path) {
    return authed(HttpMethod.DELETE, path).send().await();
  }
}
