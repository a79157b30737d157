package dev.overseer.chaos.member;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.HazelcastInstance;
import dev.overseer.Overseer;
import dev.overseer.server.Server;
import dev.overseer.server.ServerRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One member of the chaos cluster, a JVM of its own: clustered Vert.x on Hazelcast (loopback,
 * TCP-IP join, fast failure detection), the children under test, and a small HTTP gateway through
 * which the controller's clients reach them (so the controller stays outside the cluster and a
 * fault on a member is a fault on the path a client takes, as in Jepsen).
 *
 * <p>Protocol, on 127.0.0.1 only: {@code POST /op {"child", "f"}} calls the child over the event
 * bus and answers {@code {"type": "ok"|"fail"|"info", "value", "member", "epoch", "error"}};
 * {@code GET /health} answers {@code {"member", "members", "safe", "servers"}}. When it is ready it
 * prints one line {@code CHAOS-READY {"member", "http"}} on stdout. It halts when its stdin closes
 * (the controller died), and leaves the cluster gracefully on SIGTERM.
 *
 * <p>Arguments: {@code --slot N --members COUNT --cluster NAME --port P --peers P1,P2,… --children id:kind,…}.
 */
public final class Member {

  /** The line prefix that announces a ready member on stdout. */
  public static final String READY = "CHAOS-READY ";

  /** How long the gateway waits for a child's reply before the outcome is unknown. */
  static final Duration CALL_TIMEOUT = Duration.ofMillis(1500);

  /** Set when SIGTERM starts a graceful close: the JVM closes stdin then, which is not the controller dying. */
  private static volatile boolean closing;

  private Member() {
  }

  /**
   * Starts a member.
   *
   * @param args see the class comment
   * @throws Exception if it cannot start (the JVM exits non-zero)
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    watchParent();
    String member = "m" + opts.get("slot") + "-" + ProcessHandle.current().pid();
    Map<String, ChaosServer.Kind> children = new LinkedHashMap<>();
    for (String c : opts.get("children").split(",")) {
      String[] parts = c.split(":");
      children.put(parts[0], ChaosServer.Kind.valueOf(parts[1].toUpperCase()));
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(config(opts));
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
    Vertx vertx = Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      closing = true;
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("graceful close failed: " + e);
      }
    }, "chaos-member-close"));
    HazelcastInstance hz = manager.getHazelcastInstance();
    Overseer.setDefaultStash(vertx, new ImapStash(vertx, hz));
    Sut sut = new InterimSut(vertx, hz, member, children, Integer.parseInt(opts.getOrDefault("members", "3")) / 2 + 1);
    CompletableFuture<Integer> port = new CompletableFuture<>();
    sut.start()
        .compose(v -> vertx.createHttpServer().requestHandler(req -> handle(vertx, hz, member, req)).listen(0, "127.0.0.1"))
        .onSuccess(server -> port.complete(server.actualPort()))
        .onFailure(port::completeExceptionally);
    int http = port.get(120, TimeUnit.SECONDS);
    System.out.println(READY + new JsonObject().put("member", member).put("http", http).encode());
    System.out.flush();
  }

  private static Config config(Map<String, String> opts) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(opts.get("cluster"));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(Integer.parseInt(opts.get("port"))).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (String p : opts.get("peers").split(",")) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + p);
    }
    return config;
  }

  private static void watchParent() {
    Thread t = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // the controller writes nothing: this only waits for the pipe to close
        }
      } catch (IOException ignored) {
        // a broken pipe means the same: the controller is gone
      }
      if (!closing && !shuttingDown()) {
        Runtime.getRuntime().halt(3);
      }
    }, "chaos-parent-watch");
    t.setDaemon(true);
    t.start();
  }

  private static boolean shuttingDown() {
    Thread probe = new Thread(() -> { });
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }

  private static void handle(Vertx vertx, HazelcastInstance hz, String member, HttpServerRequest req) {
    if ("/health".equals(req.path())) {
      vertx.executeBlocking(() -> new JsonObject()
              .put("member", member)
              .put("members", hz.getCluster().getMembers().size())
              .put("safe", hz.getPartitionService().isClusterSafe()), false)
          .onComplete(ar -> respond(req, ar.succeeded() ? ar.result() : new JsonObject().put("error", String.valueOf(ar.cause()))));
      return;
    }
    if (!"/op".equals(req.path())) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onComplete(body -> {
      if (body.failed()) {
        respond(req, outcome("fail", "no body: " + body.cause()));
        return;
      }
      JsonObject op;
      try {
        op = body.result().toJsonObject();
      } catch (RuntimeException e) {
        respond(req, outcome("fail", "bad request: " + e.getMessage()));
        return;
      }
      ServerRef.of(vertx, op.getString("child")).call(new JsonObject().put("f", op.getString("f")), CALL_TIMEOUT)
          .onComplete(ar -> respond(req, ar.succeeded() ? reply(ar.result()) : failure(ar.cause())));
    });
  }

  private static JsonObject reply(Object body) {
    if (!(body instanceof JsonObject) || !((JsonObject) body).containsKey("value")) {
      return outcome("fail", "unexpected reply " + body);
    }
    return ((JsonObject) body).copy().put("type", "ok");
  }

  /**
   * Sorts a failed call into "did not happen" and "may have happened". Only failures that prove
   * the request never reached a server's state are definite; a crash is not (the write-through
   * save may have landed before its acknowledgement was lost), nor is a timeout.
   */
  static JsonObject failure(Throwable cause) {
    if (cause instanceof ReplyException) {
      ReplyException e = (ReplyException) cause;
      String message = String.valueOf(e.getMessage());
      boolean definite = e.failureType() == ReplyFailure.NO_HANDLERS
          || (e.failureType() == ReplyFailure.RECIPIENT_FAILURE && e.failureCode() == Server.CODE_UNAVAILABLE)
          || message.contains("was not available within the timeout");
      return outcome(definite ? "fail" : "info", e.failureType() + "(" + e.failureCode() + "): " + message);
    }
    return outcome("info", String.valueOf(cause));
  }

  private static JsonObject outcome(String type, String error) {
    return new JsonObject().put("type", type).put("error", error);
  }

  private static void respond(HttpServerRequest req, JsonObject json) {
    req.response().putHeader("content-type", "application/json").end(json.encode());
  }

  /** What runs the children on the members: the interim stand-in, later the distributed supervisor. */
  interface Sut {
    Future<Void> start();

    JsonArray running();
  }
}
