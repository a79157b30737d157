package dev.overseer.console;

import dev.overseer.ChildSpec;
import dev.overseer.SupervisorOptions;
import dev.overseer.console.impl.Api;
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
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * // prints: Overseer console: http://127.0.0.1:8088/#token=...
 * }</pre>
 *
 * <p>Security: it binds to 127.0.0.1 by default; every API call and the live channel need the
 * token, generated at start with {@link java.security.SecureRandom} unless configured, carried in
 * a header (never a cookie) and compared in constant time; {@link ConsoleOptions#setReadOnly}
 * refuses every action. The page reads the token from the URL's fragment ({@code #token=}), which
 * browsers never send to the server.
 *
 * <p>Data: the supervisors of this Vert.x instance ({@code SupervisorBase.all}), read afresh for
 * each answer, and the lifecycle events they publish (by default on
 * {@value SupervisorOptions#DEFAULT_EVENTS_ADDRESS}), of which a bounded history per child and
 * each child's last crash are kept. Events from other cluster members are not received: the
 * console listens with local consumers only.
 */
public class Console extends VerticleBase {

  private static final System.Logger LOG = System.getLogger(Console.class.getName());

  private final ConsoleOptions options;
  private final Startables startables = new Startables();
  private final History history = new History();
  private volatile StashPage stashes;
  private final Map<String, Stash> shownStashes = new LinkedHashMap<>();
  private InsightsApi insights;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private volatile String token;
  private volatile int port = -1;
  private Model model;
  private LiveChannel live;
  private HttpServer server;

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
    if (name == null || name.isBlank() || name.equals("default")) {
      throw new IllegalArgumentException("name: must be a non-blank name other than 'default', got " + name);
    }
    Objects.requireNonNull(stash, "stash");
    synchronized (shownStashes) {
      shownStashes.put(name, stash);
      if (stashes != null) {
        stashes.add(name, stash);
      }
    }
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
    model = new Model(vertx, options.isReadOnly(), new EventLog(options.getEventHistory()), startables, this::listen);
    live = new LiveChannel(vertx, model, options.getCoalesceInterval());
    listen(SupervisorOptions.DEFAULT_EVENTS_ADDRESS);
    model.listening(SupervisorOptions.DEFAULT_EVENTS_ADDRESS);

    Router router = Router.router(vertx);
    router.route().handler(Console::securityHeaders);
    StashPage page = new StashPage(vertx);
    synchronized (shownStashes) {
      shownStashes.forEach(page::add);
      stashes = page;
    }
    insights = new InsightsApi(vertx, history, page);
    new Api(model, new Tokens(token), options.isReadOnly(), live).withInsights(insights).mount(router);
    router.route().handler(StaticHandler.create("dev/overseer/console/webroot").setCachingEnabled(false));

    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(options.getHost())
        .setPort(options.getPort())
        .setWebSocketSubProtocols(List.of(Tokens.LIVE_PROTOCOL)));
    return server.requestHandler(router).listen().map(s -> {
      port = s.actualPort();
      live.start();
      insights.start();
      announce(generated);
      return s;
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
    List<Future<Void>> closing = new ArrayList<>();
    consumers.forEach(c -> closing.add(c.unregister()));
    if (server != null) {
      closing.add(server.close());
    }
    return Future.join(closing);
  }

  private void listen(String address) {
    MessageConsumer<Object> consumer = vertx.eventBus().localConsumer(address, message -> {
      if (model.record(message.body())) {
        history.record(message.body());
        live.markDirty();
      }
    });
    consumers.add(consumer);
  }

  private void announce(boolean generated) {
    if (generated) {
      // printed, not only logged: the URL is how a person gets in, and logging may be off
      System.out.println("Overseer console: " + url());
    } else {
      System.out.println("Overseer console: " + baseUrl() + " (token as configured)");
    }
    if (!isLoopback(options.getHost())) {
      LOG.log(System.Logger.Level.WARNING, "the console listens on " + options.getHost()
          + ", not only this machine: it is reachable over plain HTTP from the network (token still required)");
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }

  private static void securityHeaders(RoutingContext ctx) {
    // scripts and styles only from this origin: the page sets no inline style (indentation and
    // meter widths go through the CSSOM, which CSP does not restrict)
    String host = ctx.request().authority() == null ? "" : " ws://" + ctx.request().authority();
    ctx.response()
        .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'" + host
            + "; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
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
