package dev.overseer.console;

import dev.overseer.ChildSpec;
import dev.overseer.Overseer;
import dev.overseer.SupervisorBase;
import dev.overseer.SupervisorEvent;
import dev.overseer.console.impl.Api;
import dev.overseer.console.impl.ClusterPage;
import dev.overseer.health.SupervisorHealth;
import dev.overseer.console.impl.EventLog;
import dev.overseer.console.impl.History;
import dev.overseer.console.impl.InsightsApi;
import dev.overseer.console.impl.LiveChannel;
import dev.overseer.console.impl.Model;
import dev.overseer.console.impl.StashPage;
import dev.overseer.console.impl.Startables;
import dev.overseer.console.impl.Tokens;
import dev.overseer.stash.Stash;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The web console: the live supervision tree of this node in a browser, and the same data and
 * actions as a JSON API. One verticle serves a single-page UI (plain HTML, CSS and JavaScript
 * from the classpath: no build step, nothing fetched from elsewhere), the API under
 * {@code /api}, and a WebSocket at {@code /api/live} that pushes the tree, coalesced, as it
 * changes.
 *
 * <pre>{@code
 * Console.start(vertx, new ConsoleOptions().setPort(8088))
 *     .onSuccess(console -> console.registerStartable("jobs", "worker",
 *         () -> ChildSpec.worker("worker-" + UUID.randomUUID(), WorkerVerticle::new)));
 * // logs once (INFO, System.Logger): Overseer console: http://127.0.0.1:8088/#token=...
 * }</pre>
 *
 * <p>Inside an application: start it with {@link ConsoleOptions#setServe setServe(false)} and
 * mount {@link #router} in the application's router, to serve it from the application's server
 * (its TLS) behind the application's {@code AuthenticationHandler}. {@code GET /health} answers
 * UP or DOWN without a token, for liveness probes.
 *
 * <p>Security: it binds to 127.0.0.1 by default; every API call and the live channel need the
 * token, generated at start with {@link java.security.SecureRandom} unless configured, carried in
 * a header (never a cookie) and compared in constant time; {@link ConsoleOptions#setReadOnly}
 * refuses every action. The page reads the token from the URL's fragment ({@code #token=}), which
 * browsers never send to the server.
 *
 * <p>Data: the supervisors of this Vert.x instance ({@code SupervisorBase.all}), read afresh for
 * each answer, and their lifecycle events, taken from the supervisors themselves
 * ({@link Overseer#addEventListener}), never from the event bus, where any verticle (or a bridged
 * browser) could publish a forged crash. A bounded history per child and each child's last crash
 * are kept, within a byte budget ({@link ConsoleOptions#setEventMemoryBytes}).
 */
public class Console extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(Console.class.getName());

  private final ConsoleOptions options;
  private final Startables startables = new Startables();
  private final Handler<SupervisorEvent> tap = this::onEvent;
  private final History history = new History();
  private final StashPage stashes = new StashPage();
  private InsightsApi insights;
  private volatile String token;
  private volatile int port = -1;
  private Model model;
  private LiveChannel live;
  private ClusterPage cluster;
  private HttpServer server;
  private SupervisorHealth health;

  /** A console with the default options: 127.0.0.1:8088, generated token, actions allowed. */
  public Console() {
    this(new ConsoleOptions());
  }

  /** @param options how to serve the console; copied */
  public Console(ConsoleOptions options) {
    this.options = new ConsoleOptions(options);
  }

  /**
   * Deploys a console.
   *
   * @param vertx the Vert.x instance
   * @param options the options
   * @return the running console, or a failure: an {@link IllegalArgumentException} naming a bad
   *     option, or the bind error when the port is taken
   */
  public static Future<Console> start(Vertx vertx, ConsoleOptions options) {
    Console console = new Console(options);
    return vertx.deployVerticle(console).map(id -> console);
  }

  /**
   * Lets the console start children of a supervisor from a spec the application provides: the
   * page offers "Start child" with this template on that supervisor, and the API accepts
   * {@code POST /api/supervisors/{supervisorName}/children {"template": templateName}}. May be
   * called before or after the console starts, and before the supervisor exists; registering a
   * name again replaces the template.
   *
   * @param supervisorName the supervisor that will start the child
   * @param templateName the name shown in the page and used in the API
   * @param spec called once per start; return a spec with a fresh id each time when several
   *     children may be started from it (the API may also override the id)
   * @return this
   * @throws IllegalArgumentException when a name is null or blank
   * @throws NullPointerException when {@code spec} is null
   */
  public Console registerStartable(String supervisorName, String templateName, Supplier<ChildSpec> spec) {
    startables.register(supervisorName, templateName, spec);
    return this;
  }

  /**
   * Shows another stash on the console's stash page, besides the default one
   * ({@code Overseer.defaultStash(vertx)}): its entries' metadata and its quarantined entries with
   * their reasons (never the values). May be called before or after the console starts; a name
   * given again replaces the stash.
   *
   * @param name the name shown on the page; not blank, not {@code default}
   * @param stash the stash
   * @return this
   * @throws IllegalArgumentException when the name is blank or {@code default}
   * @throws NullPointerException when {@code stash} is null
   */
  public Console showStash(String name, Stash stash) {
    stashes.add(name, stash);
    return this;
  }

  @Override
  public Future<?> start() {
    try {
      options.validate();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    boolean generated = options.getToken() == null;
    token = generated ? Tokens.generate() : options.getToken();
    model = new Model(vertx, options.isReadOnly(),
        new EventLog(options.getEventHistory(), options.getEventMemoryBytes()), startables);
    live = new LiveChannel(vertx, model, options.getCoalesceInterval());
    // on a clustered member: the members, the distributed supervisors' children and their moves
    cluster = new ClusterPage(vertx, context, () -> live.markClusterDirty(), event -> recordOnContext(event, -1));
    cluster.attach();
    live.withCluster(cluster);
    insights = new InsightsApi(vertx, history, stashes);
    Overseer.addEventListener(vertx, tap);
    health = SupervisorHealth.watch(vertx);
    insights.start();
    if (!options.isServe()) {
      // mounted in the application's router only: no server of its own, no URL to announce
      live.start();
      return Future.succeededFuture();
    }

    Router router = newRouter(null);
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setWebSocketSubProtocols(List.of(Tokens.LIVE_PROTOCOL)));
    return server.requestHandler(router).listen().map(s -> {
      port = s.actualPort();
      live.start();
      announce(generated);
      return s;
    });
  }

  /**
   * The console as a router, to mount in the application's own router, so that it is served by
   * the application's HTTP server (its port, its TLS) behind the application's authentication:
   *
   * <pre>{@code
   * Console console = Console.start(vertx, new ConsoleOptions().setServe(false)).await();
   * router.route("/console/*").subRouter(console.router(BasicAuthHandler.create(authProvider)));
   * }</pre>
   *
   * <p>Routes, relative to the mount point: the page, {@code api/...} (behind
   * {@code authentication}), and {@code health} (no authentication, nothing sensitive). With
   * {@code authentication} the console's token is not accepted on this router. With an
   * authentication that browsers send by themselves (a session cookie), add vertx-web's
   * {@code CSRFHandler} in front: the actions are POST and DELETE requests.
   *
   * @param authentication the application's authentication for the API and live channel, or
   *     {@code null} to require the console's token as its own server does
   * @return a new router; may be called more than once
   * @throws IllegalStateException before the console started
   */
  public Router router(AuthenticationHandler authentication) {
    if (model == null) {
      throw new IllegalStateException("the console is not started: deploy it first (Console.start)");
    }
    return newRouter(authentication);
  }

  private Router newRouter(AuthenticationHandler authentication) {
    Router router = Router.router(vertx);
    router.route().handler(Console::securityHeaders);
    router.get("/health").handler(this::health);
    new Api(model, new Tokens(token), authentication, options.isReadOnly(), live, context).withInsights(insights).withCluster(cluster).mount(router);
    router.route().handler(StaticHandler.create("dev/overseer/console/webroot").setCachingEnabled(false));
    return router;
  }

  /**
   * {@code GET /health}: liveness for probes, without a token. Says only UP or DOWN and how many
   * supervisors are each (names, reasons and children stay behind the token, in the API).
   */
  private void health(RoutingContext ctx) {
    health.checkAll().onComplete(ar -> {
      JsonObject body = ar.succeeded()
          ? new JsonObject().put("status", ar.result().getString("status")).put("up", ar.result().getInteger("up"))
              .put("down", ar.result().getInteger("down"))
          : new JsonObject().put("status", "DOWN");
      ctx.response().setStatusCode("UP".equals(body.getString("status")) ? 200 : 503)
          .putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
    });
  }

  @Override
  public Future<?> stop() {
    if (live != null) {
      live.stop();
    }
    if (insights != null) {
      insights.stop();
    }
    if (cluster != null) {
      cluster.stop();
    }
    if (health != null) {
      health.close();
    }
    Overseer.removeEventListener(vertx, tap);
    List<Future<Void>> closing = new ArrayList<>();
    if (server != null) {
      closing.add(server.close());
    }
    return Future.join(closing);
  }

  private void onEvent(SupervisorEvent event) {
    // called on the supervisor's context: the model is touched on the console's only. A restart's
    // intensity used is read here, as the restart counted it: by the time the console's context
    // runs, a short period may have aged it out.
    int intensity = event.type() == SupervisorEvent.Type.CHILD_RESTARTED
        ? SupervisorBase.lookup(vertx, event.supervisor()).map(SupervisorBase::intensityUsed).orElse(-1) : -1;
    context.runOnContext(v -> recordOnContext(event, intensity));
  }

  /** @param intensity the supervisor's intensity used at a restart, read as it happened; -1 for none */
  private void recordOnContext(SupervisorEvent event, int intensity) {
    model.record(event);
    history.record(event);
    if (intensity >= 0) {
      history.sampleIntensity(event.supervisor(), intensity);
    }
    live.markDirty();
    if (event.type() == SupervisorEvent.Type.CHILD_HANDED_OFF || event.type() == SupervisorEvent.Type.CHILD_FAILED_OVER) {
      live.markClusterDirty();
    }
  }

  private void announce(boolean generated) {
    // once, through the logger: a generated token is the only way in, so its URL is shown; a
    // configured token is never written anywhere
    if (generated) {
      LOG.log(System.Logger.Level.INFO, "Overseer console: " + url()
          + " (a fresh token each start; set one with ConsoleOptions.setToken)");
    } else {
      LOG.log(System.Logger.Level.INFO, "Overseer console: " + baseUrl() + " (token as configured; open "
          + baseUrl() + "#token=<your token>)");
    }
    if (!isLoopback(options.getHost())) {
      LOG.log(System.Logger.Level.WARNING, "the console listens on " + options.getHost()
          + ", not only this machine: it is reachable over plain HTTP from the network (token still required)");
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }

  /** The page's Content-Security-Policy: no 'unsafe-inline' anywhere. */
  static final String CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'"
      + "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private static void securityHeaders(RoutingContext ctx) {
    // scripts and styles only from this origin: the page sets no inline style (indentation and
    // meter widths are custom properties set through the CSSOM, which CSP does not restrict).
    // The policy is a constant: no request data (a Host header with a ';' would add a directive).
    // 'self' covers the live channel's ws:/wss: on the same host (CSP level 3).
    ctx.response()
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-store");
    ctx.next();
  }

  /** @return the options in force (a copy) */
  public ConsoleOptions options() {
    return new ConsoleOptions(options);
  }

  /** @return the port the console listens on, or -1 before it started */
  public int port() {
    return port;
  }

  /** @return the access token (generated or configured), or {@code null} before the console started */
  public String token() {
    return token;
  }

  /** @return the URL to open, with the token in the fragment: {@code http://127.0.0.1:PORT/#token=...} */
  public String url() {
    return baseUrl() + "#token=" + token;
  }

  private String baseUrl() {
    String host = options.getHost();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::")) {
      host = "[::1]";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port + "/";
  }
}
