package dev.overseer.chaos.member;

import com.hazelcast.core.HazelcastInstance;
import dev.overseer.ChildSpec;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.cluster.ClusterOptions;
import dev.overseer.cluster.DistributedSupervisor;
import dev.overseer.cluster.DistributedSupervisorOptions;
import dev.overseer.cluster.OverseerCluster;
import dev.overseer.server.Server;
import dev.overseer.server.ServerOptions;
import dev.overseer.server.ServerRef;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One member of the chaos cluster, a JVM of its own: an {@link OverseerCluster} member (loopback,
 * TCP-IP join, fast failure detection, quorum = a majority of the expected members), the
 * {@link DistributedSupervisor} {@value #SUPERVISOR} that places the children under test, and a
 * small HTTP gateway through which the controller's clients reach them (so the controller stays
 * outside the cluster, and a fault on a member is a fault on the path a client takes, as in
 * Jepsen).
 *
 * <p>Protocol, on 127.0.0.1 only: {@code POST /op {"child", "f"}} calls the child over the event
 * bus and answers {@code {"type": "ok"|"fail"|"info", "value", "member", "epoch", "error"}};
 * {@code GET /health} answers {@code {"member", "members", "supervisors", "safe"}};
 * {@code POST /setup {"id": "sequence"|"counter", …}} starts the children. When it is ready it
 * prints one line {@code CHAOS-READY {"member", "slot", "pid", "http"}} on stdout. It halts when
 * its stdin closes (the controller died), and leaves the cluster gracefully on SIGTERM (the
 * cluster's shutdown hook: its children are handed off).
 *
 * <p>Arguments: {@code --slot N --members COUNT --cluster NAME --port P --peers P1,P2,…}.
 */
public final class Member {

  /** The distributed supervisor's name. */
  public static final String SUPERVISOR = "chaos";

  /** The line prefix that announces a ready member on stdout. */
  public static final String READY = "CHAOS-READY ";

  /** How long the gateway waits for a child's reply before the outcome is unknown. */
  static final Duration CALL_TIMEOUT = Duration.ofMillis(1500);

  /** Set when SIGTERM starts a graceful close: the closing of stdin that follows is not the controller dying. */
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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> closing = true, "chaos-member-closing"));
    int members = Integer.parseInt(opts.getOrDefault("members", "3"));
    int quorum = members / 2 + 1;
    ClusterOptions options = new ClusterOptions()
        .setClusterName(opts.get("cluster"))
        .setPort(Integer.parseInt(opts.get("port")))
        .setPortAutoIncrement(false)
        .setShutdownHook(true)
        .setMergeFirstRunDelaySeconds(5)
        .setMergeNextRunDelaySeconds(5)
        .setQuorum(quorum);
    for (String p : opts.get("peers").split(",")) {
      options.addMember("127.0.0.1:" + p);
    }
    OverseerCluster cluster = OverseerCluster.start(options).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    Vertx vertx = cluster.vertx();
    DistributedSupervisor sup = new DistributedSupervisor(cluster.hazelcast(), new DistributedSupervisorOptions()
        .setName(SUPERVISOR)
        .addAllowedVerticle(ChaosServer.class.getName())
        .setExpectedMembers(members)
        .setQuorum(quorum)
        .setRequestTimeout(Duration.ofSeconds(1))
        // The run tests failover and fencing, not the restart budget: the nemesis may poison one child often.
        .setChildIntensity(20)
        .setChildPeriod(Duration.ofSeconds(10)));
    CompletableFuture<Integer> port = new CompletableFuture<>();
    vertx.deployVerticle(sup)
        .compose(id -> vertx.createHttpServer().requestHandler(req -> handle(vertx, cluster.hazelcast(), sup, req)).listen(0, "127.0.0.1"))
        .onSuccess(server -> port.complete(server.actualPort()))
        .onFailure(port::completeExceptionally);
    int http = port.get(120, TimeUnit.SECONDS);
    System.out.println(READY + new JsonObject().put("member", cluster.nodeId()).put("slot", opts.get("slot"))
        .put("pid", ProcessHandle.current().pid()).put("http", http).encode());
    System.out.flush();
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

  private static void handle(Vertx vertx, HazelcastInstance hz, DistributedSupervisor sup, HttpServerRequest req) {
    switch (req.path()) {
      case "/health" -> sup.supervisorMembersCount().compose(supervisors -> localSafe(vertx, hz).map(safe -> new JsonObject()
              .put("member", sup.nodeId())
              .put("members", hz.getCluster().getMembers().size())
              .put("supervisors", supervisors)
              .put("safe", safe)))
          .onComplete(ar -> respond(req, ar.succeeded() ? ar.result() : outcome("fail", String.valueOf(ar.cause()))));
      case "/setup" -> body(req, json -> setup(sup, json).onComplete(ar -> respond(req,
          ar.succeeded() ? new JsonObject().put("type", "ok") : outcome("fail", String.valueOf(ar.cause())))));
      case "/op" -> body(req, op -> ServerRef.of(vertx, op.getString("child"))
          .call(new JsonObject().put("f", op.getString("f")), CALL_TIMEOUT)
          .onComplete(ar -> respond(req, ar.succeeded() ? reply(ar.result()) : failure(ar.cause()))));
      default -> req.response().setStatusCode(404).end();
    }
  }

  /** The check in flight, shared by every /health request that arrives meanwhile. */
  private static final AtomicReference<Future<Boolean>> SAFE_CHECK = new AtomicReference<>();

  /**
   * Whether this member's partition replicas are in sync. The controller asks every member, so
   * this local check means what {@code isClusterSafe()} meant, without its fan-out: that call sends
   * an operation to every member, each of which can hold a generic operation thread for up to
   * 10 s, and the controller's polling during a fault piled them up (a 600 s run saw 8 pending on
   * one member). One check at a time per member; requests meanwhile share it.
   */
  private static Future<Boolean> localSafe(Vertx vertx, HazelcastInstance hz) {
    Future<Boolean> running = SAFE_CHECK.get();
    if (running != null) {
      return running;
    }
    Promise<Boolean> promise = Promise.promise();
    if (!SAFE_CHECK.compareAndSet(null, promise.future())) {
      Future<Boolean> other = SAFE_CHECK.get();
      return other == null ? Future.succeededFuture(false) : other;
    }
    vertx.executeBlocking(() -> hz.getPartitionService().isLocalMemberSafe(), false).onComplete(ar -> {
      SAFE_CHECK.set(null);
      promise.handle(ar);
    });
    return promise.future();
  }

  private static void body(HttpServerRequest req, java.util.function.Consumer<JsonObject> then) {
    req.body().onComplete(body -> {
      JsonObject json;
      try {
        json = body.result().toJsonObject();
      } catch (RuntimeException e) {
        respond(req, outcome("fail", "bad request: " + e.getMessage()));
        return;
      }
      then.accept(json);
    });
  }

  /** Starts every child (id → kind) under the distributed supervisor; one that already runs is fine. */
  private static Future<Void> setup(DistributedSupervisor sup, JsonObject children) {
    List<Future<?>> started = new ArrayList<>();
    for (String id : children.fieldNames()) {
      JsonObject config = new JsonObject().put(ChaosServer.KIND, children.getString(id))
          .put(ServerOptions.CONFIG_KEY, new JsonObject().put("name", id));
      ChildSpec spec = ChildSpec.verticle(id, ChaosServer.class.getName())
          .withDeploymentOptions(new DeploymentOptions().setConfig(config));
      started.add(sup.startChild(spec).recover(err -> err instanceof SupervisorException
          && ((SupervisorException) err).error() == SupervisorError.ALREADY_STARTED ? Future.succeededFuture(id) : Future.failedFuture(err)));
    }
    return Future.all(started).mapEmpty();
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
}
