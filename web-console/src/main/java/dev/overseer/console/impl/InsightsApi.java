package dev.overseer.console.impl;

import dev.overseer.SupervisorBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * The console's read-only views beyond the tree: the restart history the charts draw
 * ({@code GET /api/history}) and the stash page ({@code GET /api/stash}). Mounted by
 * {@link Api} behind its token check; it also samples every supervisor's restart intensity once
 * per {@link #SAMPLE_MILLIS}, because intensity decays without any event to say so.
 */
public final class InsightsApi {

  /** How often the intensity of every supervisor is noted. */
  static final long SAMPLE_MILLIS = 1_000;
  private static final String JSON = "application/json; charset=utf-8";

  private final Vertx vertx;
  private final History history;
  private final StashPage stashes;
  private long timer = -1;

  /**
   * @param vertx the Vert.x instance whose supervisors are sampled
   * @param history the history, fed with events by the console
   * @param stashes the stashes shown
   */
  public InsightsApi(Vertx vertx, History history, StashPage stashes) {
    this.vertx = vertx;
    this.history = history;
    this.stashes = stashes;
  }

  /** Starts sampling intensity; call on the console's context. */
  public void start() {
    sample();
    timer = vertx.setPeriodic(SAMPLE_MILLIS, id -> sample());
  }

  /** Stops sampling. */
  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void sample() {
    for (SupervisorBase supervisor : SupervisorBase.all(vertx)) {
      history.sampleIntensity(supervisor.name(), supervisor.intensityUsed());
    }
  }

  /** Adds the routes through {@code api}, so they share its checks; {@link Api#mount} calls it after its authentication. */
  void mount(Api api, Router router) {
    api.endpoint(router, "/api/history", Map.of(HttpMethod.GET, this::history));
    api.endpoint(router, "/api/stash", Map.of(HttpMethod.GET, ctx -> stashes.read(vertx).onComplete(ar -> {
      if (ar.failed()) {
        Api.fail(ctx, ApiException.of(ar.cause()));
      } else {
        ok(ctx, ar.result().encode());
      }
    })));
  }

  private void history(RoutingContext ctx) {
    String supervisor = ctx.request().getParam("supervisor");
    String child = ctx.request().getParam("child");
    if (supervisor == null || supervisor.isBlank()) {
      Api.fail(ctx, ApiException.badRequest("supervisor: the query parameter is required, as in /api/history?supervisor=app&child=db"));
      return;
    }
    if (child != null && child.isBlank()) {
      Api.fail(ctx, ApiException.badRequest("child: must not be blank when given"));
      return;
    }
    ok(ctx, history.toJson(supervisor, child).put("supervisor", supervisor).put("child", child).encode());
  }

  private static void ok(RoutingContext ctx, String body) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body);
    }
  }
}
