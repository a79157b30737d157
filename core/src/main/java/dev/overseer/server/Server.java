package dev.overseer.server;

import dev.overseer.ChildHandle;
import dev.overseer.CrashReport;
import dev.overseer.ExitReason;
import dev.overseer.NameRecord;
import dev.overseer.NameRegistry;
import dev.overseer.Overseer;
import dev.overseer.stash.LocalStash;
import dev.overseer.stash.Stash;

import dev.overseer.impl.ChildHost;
import dev.overseer.impl.Contexts;
import dev.overseer.impl.Registry;
import dev.overseer.impl.StateKeeper;
import dev.overseer.impl.StateLoader;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A verticle with an explicit state, addressed by name: OTP's {@code gen_server} on Vert.x.
 *
 * <pre>
 *   ServerRef.call / event-bus request ──┐                 ┌── user module (this subclass):
 *   ServerRef.cast / event-bus send ─────┤ generic part:   │   init, handleCall, handleCast,
 *   info(...) / sendAfter(...) ──────────┘ mailbox, one    │   handleInfo, terminate,
 *                                          message at a    │   formatStatus, migrate, validate
 *                                          time ───────────┘
 *                                            │ changes
 *                                          state keeper: claim + load, save per
 *                                          persistence mode, StateCodec
 * </pre>
 *
 * <p>The name is the event-bus address, registered with {@link Overseer#nameRegistry} (a
 * duplicate fails the start): an event-bus request is a call (the reply is the callback's reply),
 * a send or publish is a cast. The consumer is local when the registry's names are unique in this
 * Vert.x instance and clustered when they are unique cluster-wide, so "unique" and "reachable"
 * cover the same members. Bodies and replies are JSON values (String, Number, Boolean,
 * {@link JsonObject}, {@link JsonArray}); a reply that is not one is a bad return value (a crash,
 * and the caller fails at once). Messages are handled one at a time on the server's context, in
 * arrival order.
 *
 * <p>{@link #start()} completes once {@link #init} has run, as OTP's {@code start_link} returns
 * after {@code init/1}: a failing init fails the start, so the supervisor sees a failed start.
 * Messages that arrive while the state loads wait and are then handled in order.
 *
 * <p>A throwable from a callback is a crash: the caller of the crashing call gets a failure
 * (code {@value #CODE_CRASHED}), a {@link CrashReport} (name, reason, the last message through
 * {@link #describeMessage}, last good state through {@link #formatStatus}) becomes the exit
 * reason, and the server's supervisor restarts it per its spec. The crashing message is not
 * retried.
 *
 * <p>A supervised server is restarted <em>in place</em> when its supervisor decides to restart
 * it (and its shutdown is not {@code brutalKill()}): the deployment, its event-bus consumer and
 * its registered name stay; the crashed instance's {@link #terminate} runs and its state is saved
 * as its persistence says; then a fresh instance, built from the child spec as for any restart,
 * claims the stash anew (a new epoch), loads the last good state and runs {@link #init}. Calls
 * queued behind the crashing one, and calls and casts that arrive meanwhile, wait in arrival
 * order and are served by the fresh instance. If the supervisor does not restart the server
 * (restart type, intensity, shutdown), it stops the deployment and the waiting calls are answered
 * with code {@value #CODE_UNAVAILABLE}, which {@link ServerRef} retries until its timeout. Timers
 * and consumers the server set up itself (other than {@link #sendAfter}, whose messages the old
 * instance drops) outlive an in-place restart: cancel them in {@link #terminate}.
 *
 * <p>State is kept in a {@link Stash} (by default {@link Overseer#defaultStash}) as
 * {@link ServerOptions#getPersistence()} says, encoded by the server's {@link #stateCodec()},
 * and loaded on start with the guards of {@link StateLoader}: the state restored after a crash is
 * the last good one. Treat the state as immutable: return a new value instead of changing it in
 * place (a change is noticed by {@code equals}).
 *
 * <p>Options may come from the deployment's config ({@link ServerOptions#fromConfig}), so a
 * subclass with a no-argument constructor can be started by class name with a JSON config.
 *
 * <p>Divergences from OTP: {@code init} cannot refuse to start ({@code ignore}); calls carry
 * JSON, not terms; a call's timeout is the caller's ({@link ServerRef}), there is no
 * {@code hibernate}; casts queued in a crashing server are lost, as in OTP, and so are casts sent
 * while a server is redeployed (an event-bus send finds no consumer); a restart keeps the
 * deployment id unless the server is redeployed (shutdown {@code brutalKill()}, or no supervisor).
 *
 * @param <S> the state's type
 */
public abstract class Server<S> extends VerticleBase {

  /** Failure code of a call that crashed the server. */
  public static final int CODE_CRASHED = 500;
  /** Failure code of a call that reached a server while it was crashing or stopping: retry. */
  public static final int CODE_UNAVAILABLE = 503;
  /**
   * Failure code of a call whose reply the member's {@link ServerFence} refused (a cluster member
   * without a lease): the call was handled and its effects may or may not persist, so its outcome
   * is unknown, unlike {@value #CODE_UNAVAILABLE}.
   */
  public static final int CODE_FENCED = 421;
  /** Header that marks a system request; the only one is {@value #STATUS} (OTP's {@code sys:get_status}). */
  public static final String SYSTEM_HEADER = "overseer-system";
  /** The status system request. */
  public static final String STATUS = "status";

  private static final System.Logger LOG = System.getLogger("dev.overseer.server.Server");
  private static final Registry<Server<?>> SERVERS = new Registry<>("dev.overseer.servers", Server::deploymentId);

  private enum Kind { CALL, CAST, INFO }

  /** The context key of the {@link Inbox} a deployment keeps across in-place restarts. */
  private static final String INBOX_KEY = "dev.overseer.server.Inbox";

  /**
   * What a deployment keeps across its incarnations: the event-bus consumer, the name record and
   * the messages that arrived while no incarnation takes them. Used on the server's context only.
   */
  private static final class Inbox implements Handler<Message<Object>> {
    final String name;
    final ArrayDeque<Message<Object>> waiting = new ArrayDeque<>();
    Server<?> current;
    MessageConsumer<Object> consumer;
    NameRecord record;
    boolean released;
    // completes when the consumer has closed (after its cluster-wide route was withdrawn)
    Future<Void> closed = Future.succeededFuture();

    Inbox(String name) {
      this.name = name;
    }

    @Override
    public void handle(Message<Object> message) {
      if (current != null) {
        current.onMessage(message);
      } else if (released) {
        // Delivered after the deployment let go (its consumer's unregistration is on its way):
        // no incarnation will ever take it, so answer as a server that is not there, which
        // ServerRef retries, instead of leaving the caller to its timeout.
        if (message.replyAddress() != null) {
          message.fail(CODE_UNAVAILABLE, "server '" + name + "' is not running");
        }
      } else if (STATUS.equals(message.headers().get(SYSTEM_HEADER))) {
        message.reply(new JsonObject().put("name", name).put("ready", false).put("restarting", true)
            .put("queued", waiting.size()));
      } else {
        waiting.add(message);
      }
    }
  }

  /** One message in the mailbox. */
  private final class Envelope implements From {
    final Kind kind;
    final Object body;
    final Message<Object> message;
    final long received = System.nanoTime();
    boolean answered;

    Envelope(Kind kind, Object body, Message<Object> message) {
      this.kind = kind;
      this.body = body;
      this.message = message;
    }

    @Override
    public void reply(Object reply) {
      if (answered || message == null) {
        return;
      }
      if (reply != null && !StateCodec.isJsonValue(reply)) {
        IllegalStateException bad = new IllegalStateException("bad return value: server '" + name() + "' replied with a "
            + reply.getClass().getName() + ", not a JSON value");
        fail(CODE_CRASHED, "server '" + name() + "' crashed: " + bad.getMessage());
        crash(bad, this);
        return;
      }
      answered = true;
      // The reply may reflect changes whose saves are in flight: it waits for them.
      keeper.acknowledged().onComplete(ar -> {
        // observed first, so a caller that sees the reply finds it counted
        observer.callCompleted(Server.this, System.nanoTime() - received, ar.failed());
        // Checked last, synchronously: a member that has lost its lease (woken from a pause, its
        // children already moved) must not acknowledge anything, not even what its stale copy took.
        // (the running context's owner: a server restarted in place may be a fresh instance)
        io.vertx.core.Context running = io.vertx.core.Vertx.currentContext();
        String refused = ar.succeeded() && running != null ? Overseer.serverFence(running.owner()).refusal(Server.this) : null;
        if (refused != null) {
          message.fail(CODE_FENCED, "server '" + name() + "' is fenced: " + refused);
        } else if (ar.succeeded()) {
          message.reply(reply);
        } else {
          message.fail(CODE_CRASHED, "server '" + name() + "' crashed: " + ar.cause().getMessage());
        }
      });
    }

    @Override
    public void fail(String why) {
      fail(CODE_CRASHED, why);
    }

    void fail(int code, String why) {
      if (!answered && message != null) {
        answered = true;
        observer.callCompleted(Server.this, System.nanoTime() - received, true);
        message.fail(code, why);
      }
    }

    Object describe() {
      Object described;
      try {
        described = describeMessage(body);
        if (described != null && !StateCodec.isJsonValue(described)) {
          described = "describeMessage returned a " + described.getClass().getName();
        }
      } catch (Throwable t) {
        described = "describeMessage failed: " + t;
      }
      return new JsonObject().put(kind.name().toLowerCase(), described);
    }
  }

  private final ServerOptions baseOptions;
  private final Stash configuredStash;
  private final ArrayDeque<Envelope> mailbox = new ArrayDeque<>();

  private ServerOptions options;
  private StateKeeper<S> keeper;
  private S state;
  private boolean ready;
  private boolean crashed;
  private boolean stopping;
  private long handled;
  private Object lastMessage;
  private ExitReason exitReason;
  private Inbox inbox;
  /** This incarnation was retired for a restart in place: its terminate ran, its state was saved. */
  private boolean retired;
  private boolean indexed;
  private ServerObserver observer = ServerObserver.NONE;

  /**
   * A server whose options all come from its deployment config ({@link ServerOptions#fromConfig}):
   * what a subclass started by class name uses.
   */
  protected Server() {
    this(new ServerOptions(), null);
  }

  /**
   * @param options name, persistence and load guards; copied; the deployment config's
   *     {@value ServerOptions#CONFIG_KEY} object overrides them field by field. State is kept in
   *     {@link Overseer#defaultStash}.
   */
  protected Server(ServerOptions options) {
    this(options, null);
  }

  /**
   * @param options name, persistence and load guards; copied; the deployment config's
   *     {@value ServerOptions#CONFIG_KEY} object overrides them field by field
   * @param stash where state is kept; {@code null} for {@link Overseer#defaultStash}
   */
  protected Server(ServerOptions options, Stash stash) {
    this.baseOptions = new ServerOptions(Objects.requireNonNull(options, "options"));
    this.options = baseOptions;
    this.configuredStash = stash;
  }

  // ------------------------------------------------------------------ callbacks

  /**
   * Builds the state to start from. Called once per start, after the stash was read; the start
   * completes when the returned future does.
   *
   * @param config the deployment's config
   * @param stashed the last good state from the stash, or empty: no entry, persistence
   *     {@code NONE}, or an entry that was refused by the guards (then quarantined)
   * @return the initial state; a failure fails the start
   */
  protected abstract Future<S> init(JsonObject config, Optional<S> stashed);

  /**
   * Handles a call; the default crashes on any call (as Elixir's default).
   *
   * @param request the request
   * @param from where to send a deferred reply
   * @param state the current state
   * @return what to do next, with the next state
   */
  protected Result<S> handleCall(Object request, From from, S state) {
    throw new UnsupportedOperationException("server '" + name() + "' does not handle calls; got " + describeMessage(request));
  }

  /**
   * Handles a cast; the default crashes on any cast (as Elixir's default).
   *
   * @param request the request
   * @param state the current state
   * @return what to do next, with the next state
   */
  protected Result<S> handleCast(Object request, S state) {
    throw new UnsupportedOperationException("server '" + name() + "' does not handle casts; got " + describeMessage(request));
  }

  /**
   * Handles a message from {@link #info} or {@link #sendAfter}; the default logs and ignores it.
   *
   * @param message the message
   * @param state the current state
   * @return what to do next, with the next state
   */
  protected Result<S> handleInfo(Object message, S state) {
    LOG.log(System.Logger.Level.WARNING, "server '" + name() + "' received an unexpected message: " + describeMessage(message));
    return Result.noReply(state);
  }

  /**
   * Called when the server stops, crash included, with the last good state (OTP's
   * {@code terminate/2}). Not called after a brutal kill. With persistence
   * {@code ON_TERMINATE} the state is saved right after.
   *
   * @param reason why
   * @param state the current state
   */
  protected void terminate(ExitReason reason, S state) {
  }

  /**
   * @param state the current state
   * @return what reports, status requests and the console may show of {@code state}, as a JSON
   *     value; redact secrets here. The default shows the state as its codec stores it.
   */
  protected Object formatStatus(S state) {
    return state == null ? null : io.vertx.core.json.Json.decodeValue(keeper.codec().encodeToText(state));
  }

  /**
   * @param message a message the server received (a call's request, a cast or an info), possibly
   *     {@code null}
   * @return what crash reports, events, status replies and logs may show of a message (OTP's
   *     {@code format_status} for the last message), as a JSON value. The default is a bounded
   *     summary that shows no content: {@code {"type":"JsonObject","size":3}} (size: fields,
   *     elements or characters). Override to show more, redacting secrets.
   */
  protected Object describeMessage(Object message) {
    JsonObject summary = new JsonObject().put("type", message == null ? "null" : message.getClass().getSimpleName());
    if (message instanceof JsonObject) {
      summary.put("size", ((JsonObject) message).size());
    } else if (message instanceof JsonArray) {
      summary.put("size", ((JsonArray) message).size());
    } else if (message instanceof CharSequence) {
      summary.put("size", ((CharSequence) message).length());
    }
    return summary;
  }

  /**
   * @return how the state is kept in the stash (its type checks, schema version, migration and
   *     validation). The default is the codec the options name ({@link ServerOptions#getCodec()}),
   *     else {@link StateCodec#json()} (any JSON value). Override to declare your state's codec,
   *     e.g. {@code StateCodec.longs()}; a config that names another codec then fails the start.
   */
  @SuppressWarnings("unchecked")
  protected StateCodec<S> stateCodec() {
    // A codec chosen by config: its decode checks the stored value against the codec's own
    // type, which the server's code must match (the config names a type, never a class).
    return (StateCodec<S>) (options.getCodec() != null ? StateCodec.named(options.getCodec()) : StateCodec.json());
  }

  // ------------------------------------------------------------------ API for subclasses

  /** @return the name: the event-bus address */
  public final String name() {
    return options.getName();
  }

  /** @return the options in effect: the constructor's, overridden by the deployment config once started */
  public final ServerOptions options() {
    return new ServerOptions(options);
  }

  /**
   * Queues {@code message} for {@link #handleInfo}, after the messages already waiting.
   *
   * @param message the message
   */
  protected final void info(Object message) {
    context.runOnContext(v -> enqueue(new Envelope(Kind.INFO, message, null)));
  }

  /**
   * Delivers {@code message} to {@link #handleInfo} after {@code delayMillis} (OTP's {@code erlang:send_after}).
   *
   * @param delayMillis the delay in milliseconds
   * @param message the message
   * @return the timer id
   */
  protected final long sendAfter(long delayMillis, Object message) {
    return vertx.setTimer(delayMillis, t -> enqueue(new Envelope(Kind.INFO, message, null)));
  }

  /**
   * @return the server's status, as OTP's {@code sys:get_status}: name, supervisor and child id,
   *     whether init finished, the state through {@link #formatStatus}, the last message through
   *     {@link #describeMessage} (never raw), messages handled, queue length, persistence and the
   *     stash entry's metadata
   */
  public Future<JsonObject> status() {
    if (context == null) {
      return Future.failedFuture(new IllegalStateException("server '" + name() + "' is not deployed"));
    }
    Promise<JsonObject> promise = Promise.promise();
    context.runOnContext(v -> promise.complete(statusNow()));
    return promise.future();
  }

  /**
   * @param vertx the Vert.x instance
   * @return the servers running in {@code vertx}
   */
  public static List<Server<?>> all(io.vertx.core.Vertx vertx) {
    return SERVERS.all(vertx);
  }

  /**
   * @param vertx the Vert.x instance
   * @param name the name
   * @return the server of that name running in {@code vertx}
   */
  public static Optional<Server<?>> lookup(io.vertx.core.Vertx vertx, String name) {
    return SERVERS.lookup(vertx, name);
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public Future<?> start() {
    StateCodec<S> codec;
    try {
      options = ServerOptions.fromConfig(baseOptions, config());
      if (name() == null || name().isBlank()) {
        throw new IllegalArgumentException("name: a server needs a name (its event-bus address)");
      }
      if (options.getLoadAttempts() < 1) {
        throw new IllegalArgumentException("loadAttempts must be 1 or more, got " + options.getLoadAttempts());
      }
      codec = Objects.requireNonNull(stateCodec(), "stateCodec() returned null");
      if (options.getCodec() != null && !options.getCodec().equals(codec.name())) {
        throw new IllegalArgumentException("codec: the config names '" + options.getCodec() + "' but server '" + name()
            + "' declares '" + codec.name() + "'");
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    observer = Overseer.serverObserver(vertx);
    Stash stash = configuredStash != null ? configuredStash : Overseer.defaultStash(vertx);
    keeper = new StateKeeper<>(context, name(), stash, options, codec, () -> state, t -> crash(t, null));
    ChildHost host = host();
    Inbox held = context.get(INBOX_KEY);
    if (held != null && !held.released && held.current == null) {
      return restartInPlace(held, host);
    }
    if (host != null) {
      host.offerInPlace(this, this::retire);
    }
    NameRegistry registry = Overseer.nameRegistry(vertx);
    NameRecord record = new NameRecord(name(), "server", Overseer.nodeId(vertx), context.deploymentID());
    inbox = new Inbox(name());
    inbox.current = this;
    context.put(INBOX_KEY, inbox);
    if (registry.clusterWide()) {
      // Open to this member's relay before the registration is done: callers learn of a new
      // holder from the registration's event, which can reach them before its answer reaches
      // us; their calls wait in the mailbox until init is done instead of being told "not here".
      // Not over a live server of the same name on this member (the registration then fails).
      ServerRelay.openIfFree(vertx, name(), context.deploymentID(), context, inbox);
    }
    Future<StateLoader.Outcome<S>> loaded;
    if (registry.clusterWide() && SERVERS.lookup(vertx, name()).isEmpty() && movedHere()) {
      // The next incarnation of a moved child (see ServerHandoff#movedHere): the name was let go
      // of, so the registration, the consumer and the stash's claim go at once, one round trip
      // to the cluster instead of two. Should the registration fail all the same, the claim has
      // raised the key's epoch: the start fails, and whoever holds the name can no longer save.
      Future<Void> registered = register(registry, record).compose(v -> owned(registry, record));
      Future<Void> listening = listen(registry);
      Future<StateLoader.Outcome<S>> claimed = keeper.load();
      loaded = Future.join(registered, listening, claimed).compose(x -> {
        routed();
        return claimed;
      });
    } else {
      loaded = register(registry, record).compose(v -> owned(registry, record)).compose(v -> {
        // The consumer's cluster-wide registration and the stash's claim and read are separate
        // round trips to the cluster: made at once, a server is back one round trip sooner.
        Future<Void> listening = listen(registry);
        routed();
        Future<StateLoader.Outcome<S>> claimed = keeper.load();
        // Both settle before a failure is acted on: the release that follows must not undo a
        // consumer registration or race a load (a quarantine) still in flight.
        return Future.join(listening, claimed).compose(x -> claimed);
      });
    }
    return loaded
        .compose(this::runInit)
        .compose(this::becomeReady)
        .recover(err -> {
          stopping = true;
          failQueuedCalls();
          return releaseEverything().compose(v -> consumerClosed()).transform(x -> Future.failedFuture(err));
        });
  }

  private Future<Void> register(NameRegistry registry, NameRecord record) {
    return here(registry.register(record)).recover(err -> Future.failedFuture(new IllegalStateException(
        "name: a server named '" + name() + "' is already running (" + err.getMessage() + ")", err)));
  }

  /** The name is registered: it is this deployment's to release, unless the start was stopped meanwhile. */
  private Future<Void> owned(NameRegistry registry, NameRecord record) {
    if (inbox.released) {
      // stopped while the name was being registered: give it back
      return here(registry.unregister(record)).transform(x -> Future.failedFuture(
          new IllegalStateException("server '" + name() + "' was stopped while it registered its name")));
    }
    inbox.record = record;
    indexed = SERVERS.register(vertx, name(), this);
    return Future.succeededFuture();
  }

  /** Opens the consumer of the name; completes once the event bus has registered it. */
  private Future<Void> listen(NameRegistry registry) {
    inbox.consumer = registry.clusterWide()
        ? vertx.eventBus().consumer(name(), inbox)
        : vertx.eventBus().localConsumer(name(), inbox);
    return here(inbox.consumer.completion());
  }

  /** The name is ours: a relay door left by an earlier holder on this member is stale. */
  private void routed() {
    if (Overseer.nameRegistry(vertx).clusterWide() && !inbox.released) {
      ServerRelay.open(vertx, name(), context.deploymentID(), context, inbox);
    }
  }

  /** @return whether a {@link ServerHandoff} hook says this start is a moved child's next incarnation */
  private boolean movedHere() {
    for (ServerHandoff h : Overseer.serverHandoffs(vertx)) {
      try {
        if (h.movedHere(this)) {
          return true;
        }
      } catch (Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "server '" + name() + "': a handoff hook failed", e);
      }
    }
    return false;
  }

  private Future<Void> becomeReady(S initial) {
    if (stopping) {
      return Future.failedFuture(new IllegalStateException("server '" + name() + "' was stopped during init"));
    }
    state = initial;
    ready = true;
    keeper.started();
    // after start completes, so a crash in the first message is reported as an exit
    context.runOnContext(x -> drain());
    return Future.succeededFuture();
  }

  /**
   * Starts this fresh instance in the deployment of a retired incarnation: the consumer and the
   * name record stay (so a name lookup never finds the server absent or twice); the stash is
   * claimed and loaded and {@code init} runs as on any start; the messages that waited are
   * handled first, in arrival order. A failed start leaves the deployment vacant for the next
   * attempt, with the messages still waiting.
   */
  private Future<Void> restartInPlace(Inbox held, ChildHost host) {
    if (!held.name.equals(name())) {
      return Future.failedFuture(new IllegalArgumentException("name: server '" + name()
          + "' was started in place of '" + held.name + "'; a restarted server keeps its name"));
    }
    inbox = held;
    Server<?> previous = SERVERS.lookup(vertx, name()).orElse(null);
    if (previous != null && previous.context == context) {
      SERVERS.unregister(vertx, name(), previous);
    }
    indexed = SERVERS.register(vertx, name(), this);
    if (host != null) {
      host.offerInPlace(this, this::retire);
    }
    inbox.current = this;
    Message<Object> waited;
    while ((waited = inbox.waiting.poll()) != null) {
      onMessage(waited);
    }
    return keeper.load()
        .compose(this::runInit)
        .compose(this::becomeReady)
        .recover(err -> {
          stopping = true;
          detach();
          return Future.failedFuture(err);
        });
  }

  private Future<S> runInit(StateLoader.Outcome<S> outcome) {
    if (outcome.kind() == LoadOutcome.QUARANTINED || outcome.kind() == LoadOutcome.FALLBACK) {
      LOG.log(System.Logger.Level.WARNING, "server '" + name() + "': stashed state not loaded (" + outcome.kind()
          + "): " + outcome.detail() + "; starting from the initial state");
    }
    Future<S> init;
    try {
      init = init(config(), outcome.state());
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
    if (init == null) {
      return Future.failedFuture(new IllegalStateException("init of server '" + name() + "' returned null instead of a Future"));
    }
    return here(init);
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    failQueuedCalls();
    if (retired || !ready) {
      return releaseEverything().compose(v -> consumerClosed());
    }
    // stopped from outside (its supervisor's terminate or shutdown, an undeploy), not after a
    // crash it saw in a handler or a stop it returned: only then may a successor take over
    // before the stop is done
    boolean fromOutside = exitReason == null;
    ExitReason reason = exitReason != null ? exitReason : ExitReason.shutdown();
    try {
      terminate(reason, state);
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.WARNING, "server '" + name() + "': terminate failed", t);
    }
    // The name's release and the last save go at once (neither fails; a successor starts only
    // after both: a restart after this stop, a handoff after released()). The consumer closes
    // last: until then it answers 503 to whatever still reaches it (see releaseEverything).
    Future<Void> freed = releaseEverything();
    Future<Void> saved = keeper.stop(true, state);
    return Future.join(freed, saved).<Void>mapEmpty().andThen(ar -> {
      if (ar.succeeded() && fromOutside) {
        released();
      }
    }).compose(v -> consumerClosed());
  }

  /**
   * Ends the current incarnation for a restart in place (its supervisor decided it): what is
   * queued waits for the next incarnation, {@code terminate} runs with the exit reason (as on a
   * stop after a crash), and the state is saved as the persistence mode says.
   */
  private Future<Void> retire(ExitReason reason) {
    boolean wasReady = ready;
    retired = true;
    stopping = true;
    detach();
    if (wasReady) {
      try {
        terminate(reason, state);
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "server '" + name() + "': terminate failed", t);
      }
    }
    return keeper.stop(wasReady, state);
  }

  /**
   * Hands the deployment's inbox back, vacant: the calls still queued here wait there, in order,
   * for the next incarnation (casts and infos queued in a crashed incarnation are lost, as a dead
   * process's mailbox is).
   */
  private void detach() {
    if (inbox == null || inbox.current != this) {
      failQueuedCalls();
      return;
    }
    inbox.current = null;
    ArrayDeque<Message<Object>> calls = new ArrayDeque<>();
    Envelope e;
    while ((e = mailbox.poll()) != null) {
      if (e.kind == Kind.CALL && !e.answered) {
        calls.add(e.message);
      }
    }
    // ahead of anything that reached the inbox while this incarnation was detached from it
    while (!calls.isEmpty()) {
      inbox.waiting.addFirst(calls.pollLast());
    }
  }

  /**
   * Frees the name (vacated when a supervisor may restart the server, so callers wait) and starts
   * closing the consumer, which from now on answers every call with {@value #CODE_UNAVAILABLE}
   * (never handled: {@link ServerRef} sends it again). A cluster-wide consumer closes only once the
   * registry has withdrawn its route ({@link NameRegistry#withdrawRoute}): a call that reached this
   * member after its consumer had closed would be dropped by the event bus without an answer, and
   * its caller would wait out its whole timeout. {@link #consumerClosed} tells when it has closed.
   */
  private Future<Void> releaseEverything() {
    if (indexed) {
      SERVERS.unregister(vertx, name(), this);
      indexed = false;
    }
    Inbox held = inbox;
    if (held == null || held.released) {
      return Future.succeededFuture();
    }
    held.released = true;
    held.current = null;
    if (context.get(INBOX_KEY) == held) {
      context.remove(INBOX_KEY);
    }
    Message<Object> waiting;
    while ((waiting = held.waiting.poll()) != null) {
      waiting.fail(CODE_UNAVAILABLE, "server '" + name() + "' is restarting");
    }
    NameRegistry registry = Overseer.nameRegistry(vertx);
    MessageConsumer<Object> consumer = held.consumer;
    held.consumer = null;
    // the relay answers "not here" from now on: a ServerRef caller looks the holder up again
    ServerRelay.close(vertx, name(), context.deploymentID());
    if (consumer != null) {
      Future<Void> withdrawn = registry.clusterWide() ? here(registry.withdrawRoute(name())).otherwiseEmpty() : Future.succeededFuture();
      held.closed = withdrawn.compose(v -> here(consumer.unregister())).otherwiseEmpty();
    }
    Future<Void> freed = Future.succeededFuture();
    if (held.record != null) {
      NameRecord record = held.record;
      held.record = null;
      freed = (ChildHandle.of(context).isPresent() ? registry.vacate(record) : registry.unregister(record)).otherwiseEmpty();
    }
    return here(freed);
  }

  /** Tells the {@link ServerHandoff} hooks that this stop has saved the state and released the name. */
  private void released() {
    for (ServerHandoff h : Overseer.serverHandoffs(vertx)) {
      try {
        h.released(this);
      } catch (Throwable e) {
        // whatever a hook throws, the stop goes on (its consumer must still close after the grace)
        LOG.log(System.Logger.Level.WARNING, "server '" + name() + "': a handoff hook failed", e);
      }
    }
  }

  /** @return completes when the consumer released by {@link #releaseEverything} has closed */
  private Future<Void> consumerClosed() {
    return inbox == null ? Future.succeededFuture() : inbox.closed;
  }

  private ChildHost host() {
    return ChildHandle.of(context).filter(ChildHost.class::isInstance).map(ChildHost.class::cast).orElse(null);
  }

  // ------------------------------------------------------------------ the mailbox

  private void onMessage(Message<Object> message) {
    if (STATUS.equals(message.headers().get(SYSTEM_HEADER))) {
      message.reply(statusNow());
      return;
    }
    Kind kind = message.replyAddress() != null ? Kind.CALL : Kind.CAST;
    enqueue(new Envelope(kind, message.body(), message));
  }

  private void enqueue(Envelope envelope) {
    if (crashed || stopping) {
      envelope.fail(CODE_UNAVAILABLE, "server '" + name() + "' is restarting");
      return;
    }
    mailbox.add(envelope);
    observer.mailboxDepth(this, mailbox.size());
    drain();
  }

  private void drain() {
    while (ready && !crashed && !stopping && !mailbox.isEmpty()) {
      Envelope next = mailbox.poll();
      observer.mailboxDepth(this, mailbox.size());
      handle(next);
    }
  }

  private void handle(Envelope envelope) {
    lastMessage = envelope.describe();
    S before = state;
    Result<S> result;
    try {
      switch (envelope.kind) {
        case CALL:
          result = handleCall(envelope.body, envelope, before);
          break;
        case CAST:
          result = handleCast(envelope.body, before);
          break;
        default:
          result = handleInfo(envelope.body, before);
      }
      if (result == null) {
        throw new IllegalStateException("a callback of server '" + name() + "' returned null instead of a Result");
      }
      if (result.kind() == Result.Kind.REPLY && envelope.kind != Kind.CALL) {
        throw new IllegalStateException("bad return value: a reply from " + envelope.kind.name().toLowerCase() + " handling");
      }
      if (result.hasReply() && result.reply() != null && !StateCodec.isJsonValue(result.reply())) {
        throw new IllegalStateException("bad return value: the reply is a " + result.reply().getClass().getName() + ", not a JSON value");
      }
    } catch (Throwable t) {
      crash(t, envelope);
      return;
    }
    handled++;
    state = result.state();
    if (!Objects.equals(state, before)) {
      keeper.changed();
    }
    if (result.hasReply() && envelope.kind == Kind.CALL) {
      envelope.reply(result.reply());
    }
    if (result.kind() == Result.Kind.STOP) {
      exitReason = result.reason();
      stopping = true;
      failQueuedCalls();
      keeper.acknowledged().onSuccess(v -> leave(result.reason()));
    }
  }

  private void crash(Throwable reason, Envelope envelope) {
    if (crashed) {
      return;
    }
    crashed = true;
    Object formatted = ready ? formatted(state) : null;
    CrashReport report = new CrashReport(name(), reason, envelope == null ? null : envelope.describe(), formatted, Instant.now());
    exitReason = ExitReason.failure(new ServerCrashException(report));
    if (envelope != null) {
      envelope.fail(CODE_CRASHED, "server '" + name() + "' crashed: " + reason);
    }
    ChildHost host = host();
    if (host != null && host.canRestartInPlace()) {
      // queued calls wait for the next incarnation (if the supervisor declines, the stop fails them)
      detach();
    } else {
      failQueuedCalls();
    }
    leave(exitReason);
  }

  private void leave(ExitReason reason) {
    Optional<ChildHandle> handle = ChildHandle.of(context);
    if (handle.isPresent()) {
      handle.get().exit(reason);
      return;
    }
    if (reason.isAbnormal() && reason.cause() instanceof CrashReport.Carrier) {
      LOG.log(System.Logger.Level.ERROR, ((CrashReport.Carrier) reason.cause()).crashReport().format(), reason.cause().getCause());
    }
    vertx.undeploy(context.deploymentID());
  }

  private void failQueuedCalls() {
    Envelope e;
    while ((e = mailbox.poll()) != null) {
      e.fail(CODE_UNAVAILABLE, "server '" + name() + "' is restarting");
    }
  }

  // ------------------------------------------------------------------ helpers

  private <T> Future<T> here(Future<T> future) {
    return Contexts.on(context, future);
  }

  private Object formatted(S s) {
    try {
      Object f = formatStatus(s);
      if (f != null && !StateCodec.isJsonValue(f)) {
        return "formatStatus returned a " + f.getClass().getName() + ", not a JSON value";
      }
      return f;
    } catch (Throwable t) {
      return "formatStatus failed: " + t;
    }
  }

  private JsonObject statusNow() {
    JsonObject json = new JsonObject()
        .put("name", name())
        .put("ready", ready)
        .put("handled", handled)
        .put("queued", mailbox.size())
        .put("persistence", options.getPersistence().toJson());
    ChildHandle.of(context).ifPresent(h -> json.put("supervisor", h.supervisorName()).put("childId", h.id()));
    if (ready) {
      json.put("state", formatted(state));
    }
    if (lastMessage != null) {
      json.put("lastMessage", lastMessage);
    }
    JsonObject stash = keeper == null ? null : keeper.status();
    if (stash != null) {
      stash.put("codec", keeper.codec().name()).put("schemaVersion", keeper.codec().version());
      json.put("stash", stash);
    }
    return json;
  }

  private String deploymentId() {
    return context == null ? null : context.deploymentID();
  }
}
