package dev.overseer.console.impl;

import dev.overseer.ChildSpec;
import dev.overseer.SupervisorRef;
import dev.overseer.SupervisorBase;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The console's JSON API under {@code /api} (documented in {@code docs/console.md}).
 *
 * <p>Every request is checked in this order, and the first failure answers it with nothing
 * changed: the token (401), the path (404 for an unknown endpoint), the method (405, with
 * {@code Allow}), read-only mode for actions (403), the body (400), then the supervisor and
 * child named (404), and finally the supervisor's own answer (409 when the child's state forbids
 * the action, and so on, with the {@code SupervisorError} name).
 */
public final class Api {

  /** Largest request body accepted: only {@code startChild} has one, and it is tiny. */
  static final long BODY_LIMIT = 16 * 1024;
  private static final String JSON = "application/json; charset=utf-8";

  private final Model model;
  private final Tokens tokens;
  private final boolean readOnly;
  private final LiveChannel live;
  private final Context context;
  private final AuthenticationHandler authentication;
  private InsightsApi insights;
  private ClusterPage cluster;

  /**
   * @param model what is shown
   * @param tokens the token check, used when {@code authentication} is null
   * @param authentication the application's authentication, or {@code null} for the token
   * @param readOnly whether actions are refused
   * @param live the live channel, told of every action so the pages update at once
   * @param context the console's context: model, event memory and live channel are used there
   *     only, whichever server's context a request arrives on (a mounted console's requests come
   *     on the application's)
   */
  public Api(Model model, Tokens tokens, AuthenticationHandler authentication, boolean readOnly, LiveChannel live, Context context) {
    this.model = model;
    this.tokens = tokens;
    this.authentication = authentication;
    this.readOnly = readOnly;
    this.live = live;
    this.context = context;
  }

  /**
   * Adds the history and stash views, mounted with the API behind its token check.
   *
   * @return this
   */
  public Api withInsights(InsightsApi insights) {
    this.insights = insights;
    return this;
  }

  /**
   * Adds {@code GET /api/cluster}, behind the token check.
   *
   * @return this
   */
  public Api withCluster(ClusterPage cluster) {
    this.cluster = cluster;
    return this;
  }

  /** Adds the API's routes to {@code router}. */
  public void mount(Router router) {
    router.route("/api/*").handler(authentication != null ? authentication : this::authenticate);
    endpoint(router, "/api/tree", Map.of(HttpMethod.GET, ctx -> reply(ctx, 200, model.snapshot())));
    endpoint(router, "/api/events", Map.of(HttpMethod.GET, this::events));
    if (cluster != null) {
      endpoint(router, "/api/cluster", Map.of(HttpMethod.GET, ctx -> reply(ctx, 200, cluster.snapshot())));
    }
    endpoint(router, "/api/live", Map.of(HttpMethod.GET, this::live));
    endpoint(router, "/api/supervisors/:supervisor", Map.of(HttpMethod.GET,
        ctx -> reply(ctx, 200, model.supervisorDetail(ctx.pathParam("supervisor")))));
    router.post("/api/supervisors/:supervisor/children")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    endpoint(router, "/api/supervisors/:supervisor/children", Map.of(HttpMethod.POST, mutating(this::startChild)));
    endpoint(router, "/api/supervisors/:supervisor/children/:child", Map.of(
        HttpMethod.GET, ctx -> reply(ctx, 200, model.childDetail(ctx.pathParam("supervisor"), ctx.pathParam("child"))),
        HttpMethod.DELETE, mutating(ctx -> action(ctx, "delete", SupervisorRef::deleteChild))));
    endpoint(router, "/api/supervisors/:supervisor/children/:child/restart",
        Map.of(HttpMethod.POST, mutating(ctx -> action(ctx, "restart", SupervisorRef::restartChild))));
    endpoint(router, "/api/supervisors/:supervisor/children/:child/terminate",
        Map.of(HttpMethod.POST, mutating(ctx -> action(ctx, "terminate", SupervisorRef::terminateChild))));
    if (insights != null) {
      insights.mount(this, router);
    }
    router.route("/api/*").handler(ctx -> fail(ctx, ApiException.notFound(
        "no endpoint " + ctx.request().path() + "; see docs/console.md")));
  }

  private void authenticate(RoutingContext ctx) {
    // the console may be mounted under a prefix (/ops/console/api/live)
    boolean upgrade = ctx.request().path().endsWith("/api/live");
    if (upgrade ? tokens.inUpgrade(ctx.request()) : tokens.inHeaders(ctx.request())) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"overseer-console\"");
    fail(ctx, new ApiException(401, "UNAUTHORIZED", "missing or wrong token: send 'Authorization: Bearer <token>' or '"
        + Tokens.HEADER + ": <token>' (a generated token is logged once at start)"));
  }

  /** One path: dispatches on the method, and answers 405 with {@code Allow} for any other. */
  void endpoint(Router router, String path, Map<HttpMethod, Handler<RoutingContext>> methods) {
    Map<HttpMethod, Handler<RoutingContext>> table = new LinkedHashMap<>(methods);
    String allow = table.keySet().stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
    router.route(path).handler(ctx -> {
      Handler<RoutingContext> handler = table.get(ctx.request().method());
      if (handler == null) {
        ctx.response().putHeader(HttpHeaders.ALLOW, allow);
        fail(ctx, new ApiException(405, "METHOD_NOT_ALLOWED",
            ctx.request().method().name() + " is not allowed on " + path + "; allowed: " + allow));
        return;
      }
      if (path.equals("/api/live") || Vertx.currentContext() == context) {
        handler.handle(ctx);
      } else {
        // the body, if any, was read already (BodyHandler runs before): handing the request over is safe
        context.runOnContext(v -> handler.handle(ctx));
      }
    });
  }

  private Handler<RoutingContext> mutating(Handler<RoutingContext> handler) {
    return ctx -> {
      if (readOnly) {
        fail(ctx, new ApiException(403, "READ_ONLY", "the console is read-only: actions are disabled"));
        return;
      }
      handler.handle(ctx);
    };
  }

  private void events(RoutingContext ctx) {
    String raw = ctx.request().getParam("limit", "50");
    int limit;
    try {
      limit = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > EventLog.RECENT) {
      fail(ctx, ApiException.badRequest("limit: must be an integer from 1 to " + EventLog.RECENT + ", got " + raw));
      return;
    }
    reply(ctx, 200, Future.succeededFuture(new JsonObject().put("events", model.events().recent(limit))));
  }

  private void live(RoutingContext ctx) {
    String upgrade = ctx.request().getHeader(HttpHeaders.UPGRADE);
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
      fail(ctx, ApiException.badRequest("/api/live is a WebSocket: send an upgrade request"));
      return;
    }
    // upgraded on the request's own context, then handed to the live channel on the console's
    ctx.request().toWebSocket()
        .onSuccess(socket -> context.runOnContext(v -> live.add(socket)))
        .onFailure(err -> {
          if (!ctx.response().ended()) {
            fail(ctx, ApiException.badRequest("WebSocket upgrade failed: " + err.getMessage()));
          }
        });
  }

  private interface Operation {
    Future<Void> apply(SupervisorRef supervisor, String childId);
  }

  private void action(RoutingContext ctx, String name, Operation operation) {
    String supervisor = ctx.pathParam("supervisor");
    String child = ctx.pathParam("child");
    reply(ctx, 200, model.supervisor(supervisor)
        .compose(sup -> operation.apply(sup, child))
        .map(v -> new JsonObject().put("ok", true).put("action", name).put("supervisor", supervisor).put("id", child)));
  }

  private static final Set<String> START_FIELDS = Set.of("template", "id");

  private void startChild(RoutingContext ctx) {
    String supervisor = ctx.pathParam("supervisor");
    JsonObject body;
    try {
      body = jsonBody(ctx.body().buffer());
    } catch (ApiException e) {
      fail(ctx, e);
      return;
    }
    for (String field : body.fieldNames()) {
      if (!START_FIELDS.contains(field)) {
        fail(ctx, ApiException.badRequest("unknown field '" + field + "'; expected " + START_FIELDS));
        return;
      }
    }
    Object template = body.getValue("template");
    if (!(template instanceof String) || ((String) template).isBlank()) {
      fail(ctx, ApiException.badRequest("template: must be the name of a registered template, got " + template));
      return;
    }
    Object id = body.getValue("id");
    if (id != null && (!(id instanceof String) || ((String) id).isBlank())) {
      fail(ctx, ApiException.badRequest("id: must be a non-blank string when given, got " + id));
      return;
    }
    reply(ctx, 201, model.supervisor(supervisor).compose(sup -> {
      Supplier<ChildSpec> factory = model.startables().find(supervisor, (String) template);
      if (factory == null) {
        return Future.failedFuture(ApiException.notFound("supervisor '" + supervisor + "' has no startable template '"
            + template + "'; registered: " + model.startables().names(supervisor)));
      }
      ChildSpec spec;
      try {
        spec = factory.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(new ApiException(500, "TEMPLATE_FAILED", "template '" + template + "' threw " + e));
      }
      if (spec == null) {
        return Future.failedFuture(new ApiException(500, "TEMPLATE_FAILED", "template '" + template + "' returned no spec"));
      }
      ChildSpec toStart = id == null ? spec : spec.withId((String) id);
      return sup.startChild(toStart).map(started -> new JsonObject().put("ok", true).put("action", "start")
          .put("supervisor", supervisor).put("id", started).put("template", template));
    }));
  }

  private static JsonObject jsonBody(Buffer buffer) {
    if (buffer == null || buffer.length() == 0) {
      throw ApiException.badRequest("the body must be a JSON object like {\"template\": \"name\"}");
    }
    Object value;
    try {
      value = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      throw ApiException.badRequest("malformed JSON: " + e.getMessage());
    }
    if (!(value instanceof JsonObject)) {
      throw ApiException.badRequest("the body must be a JSON object like {\"template\": \"name\"}");
    }
    return (JsonObject) value;
  }

  private void reply(RoutingContext ctx, int status, Future<JsonObject> answer) {
    answer.onComplete(ar -> {
      if (ctx.request().method() != HttpMethod.GET) {
        // even a failed action may have changed something (a start that failed half-way)
        live.markDirty();
      }
      if (ctx.response().ended()) {
        return;
      }
      if (ar.failed()) {
        fail(ctx, ApiException.of(ar.cause()));
        return;
      }
      ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(ar.result().encode());
    });
  }

  static void fail(RoutingContext ctx, ApiException e) {
    ctx.response().setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(e.toJson().encode());
  }
}
