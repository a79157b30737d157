package dev.overseer.server;

import dev.overseer.ChildHandle;
import dev.overseer.CrashReport;
import dev.overseer.ExitReason;
import dev.overseer.Overseer;
import dev.overseer.stash.LocalStash;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashEntry;

import dev.overseer.impl.Contexts;
import dev.overseer.impl.Registry;
import dev.overseer.impl.StateLoader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 *                                          time, stash ────┘
 * </pre>
 *
 * <p>The name is the event-bus address: an event-bus request is a call (the reply is the
 * callback's reply), a send or publish is a cast. Bodies are JSON values (String, Number,
 * Boolean, {@link JsonObject}, {@link io.vertx.core.json.JsonArray}). Messages are handled one at
 * a time on the server's context, in arrival order. {@link #init} may load asynchronously:
 * messages that arrive meanwhile wait and are then handled in order (OTP's
 * {@code handle_continue}).
 *
 * <p>A throwable from a callback is a crash: the caller of the crashing call gets a failure
 * (code {@value #CODE_CRASHED}), a {@link CrashReport} (name, reason, last message, last good
 * state through {@link #formatStatus}) becomes the exit reason, and the server's supervisor
 * restarts it per its spec. The crashing message is not retried. Calls still queued are answered
 * with code {@value #CODE_UNAVAILABLE}, which {@link ServerRef} retries until its timeout, so a
 * caller waits for the restarted server instead of failing.
 *
 * <p>State is kept in a {@link Stash} as {@link ServerOptions#getPersistence()} says, and loaded
 * on start with the guards of {@link StateLoader}: the state restored after a crash is the last
 * good one, the state before the message that crashed the server. Treat the state as immutable:
 * return a new value instead of changing it in place, or a crash in the middle of a change
 * leaves a half-changed "last good" state.
 *
 * <p>Divergences from OTP: {@code init} cannot refuse to start ({@code ignore}); calls carry
 * JSON, not terms; a call's timeout is the caller's ({@link ServerRef}), there is no
 * {@code hibernate}; casts queued in a crashing server are lost, as in OTP, and so are casts sent
 * while it restarts (an event-bus send finds no consumer).
 *
 * @param <S> the state's type
 */
public abstract class Server<S> extends VerticleBase {

  /** Failure code of a call that crashed the server. */
  public static final int CODE_CRASHED = 500;
  /** Failure code of a call that reached a server while it was crashing or stopping: retry. */
  public static final int CODE_UNAVAILABLE = 503;
  /** Header that marks a system request; the only one is {@value #STATUS} (OTP's {@code sys:get_status}). */
  public static final String SYSTEM_HEADER = "overseer-system";
  /** The status system request. */
  public static final String STATUS = "status";

  private static final System.Logger LOG = System.getLogger("dev.overseer.server.Server");
  private static final Registry<Server<?>> SERVERS = new Registry<>("dev.overseer.servers", Server::deploymentId);

  private enum Kind { CALL, CAST, INFO }

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
      if (!answered && message != null) {
        answered = true;
        // observed first, so a caller that sees the reply finds it counted
        observer.callCompleted(Server.this, System.nanoTime() - received, false);
        message.reply(reply);
      }
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
      return new JsonObject().put(kind.name().toLowerCase(), isJson(body) ? body : String.valueOf(body));
    }
  }

  private final ServerOptions options;
  private final Stash configuredStash;
  private final ArrayDeque<Envelope> mailbox = new ArrayDeque<>();

  private Stash stash;
  private String stashKey;
  private long epoch;
  private S state;
  private boolean ready;
  private boolean busy;
  private boolean crashed;
  private boolean stopping;
  private boolean dirty;
  private long handled;
  private long writeBehindTimer = -1;
  private Object lastMessage;
  private StashEntry lastEntry;
  private StateLoader.Outcome<S> loadOutcome;
  private ExitReason exitReason;
  private MessageConsumer<Object> consumer;
  private ServerObserver observer = ServerObserver.NONE;
  private boolean registered;

  /**
   * @param options name, persistence and load guards; copied. State is kept in the Vert.x
   *     instance's {@link LocalStash#shared shared LocalStash}.
   */
  protected Server(ServerOptions options) {
    this(options, null);
  }

  /**
   * @param options name, persistence and load guards; copied
   * @param stash where state is kept; {@code null} for the shared {@link LocalStash}
   */
  protected Server(ServerOptions options, Stash stash) {
    this.options = new ServerOptions(Objects.requireNonNull(options, "options"));
    this.configuredStash = stash;
  }

  // ------------------------------------------------------------------ callbacks

  /**
   * Builds the state to start from. Called once per start, after the stash was read.
   *
   * @param config the deployment's config
   * @param stashed the last good state from the stash, or empty: no entry, persistence
   *     {@code NONE}, or an entry that was refused by the guards (then quarantined)
   * @return the initial state; a failure is a crash
   */
  protected abstract Future<S> init(JsonObject config, Optional<S> stashed);

  /** Handles a call; the default crashes on any call (as Elixir's default). */
  protected Result<S> handleCall(Object request, From from, S state) {
    throw new UnsupportedOperationException("server '" + name() + "' does not handle calls; got " + request);
  }

  /** Handles a cast; the default crashes on any cast (as Elixir's default). */
  protected Result<S> handleCast(Object request, S state) {
    throw new UnsupportedOperationException("server '" + name() + "' does not handle casts; got " + request);
  }

  /** Handles a message from {@link #info} or {@link #sendAfter}; the default logs and ignores it. */
  protected Result<S> handleInfo(Object message, S state) {
    LOG.log(System.Logger.Level.WARNING, "server '" + name() + "' received an unexpected message: " + message);
    return Result.noReply(state);
  }

  /**
   * Called when the server stops, crash included, with the last good state (OTP's
   * {@code terminate/2}). Not called after a brutal kill. With persistence
   * {@code ON_TERMINATE} the state is saved right after.
   */
  protected void terminate(ExitReason reason, S state) {
  }

  /** @return what reports, status requests and the console may show of {@code state}; redact secrets here */
  protected Object formatStatus(S state) {
    return encodeState(state);
  }

  /** @return {@code state} as a JSON value; the default returns it as is (it must be a JSON value) */
  protected Object encodeState(S state) {
    return state;
  }

  /** @return the state decoded from a JSON value; the default casts it */
  @SuppressWarnings("unchecked")
  protected S decodeState(Object json) {
    return (S) json;
  }

  /**
   * Brings a stored state of an older schema version to {@link ServerOptions#getSchemaVersion()}.
   * The default refuses, so the entry is quarantined and the server starts from its initial state.
   */
  protected Object migrate(int fromVersion, Object value) throws Exception {
    throw new IllegalStateException("no migration from schema version " + fromVersion + " to " + options.getSchemaVersion());
  }

  /** Throws when a loaded state must not be used; the entry is then quarantined. The default accepts all. */
  protected void validate(S state) throws Exception {
  }

  // ------------------------------------------------------------------ API for subclasses

  /** @return the name: the event-bus address */
  public final String name() {
    return options.getName();
  }

  /** Queues {@code message} for {@link #handleInfo}, after the messages already waiting. */
  protected final void info(Object message) {
    context.runOnContext(v -> enqueue(new Envelope(Kind.INFO, message, null)));
  }

  /** Delivers {@code message} to {@link #handleInfo} after {@code delayMillis} (OTP's {@code erlang:send_after}). @return the timer id */
  protected final long sendAfter(long delayMillis, Object message) {
    return vertx.setTimer(delayMillis, t -> enqueue(new Envelope(Kind.INFO, message, null)));
  }

  /**
   * @return the server's status, as OTP's {@code sys:get_status}: name, supervisor and child id,
   *     whether init finished, the state through {@link #formatStatus}, messages handled, queue
   *     length, persistence and the stash entry's metadata
   */
  public Future<JsonObject> status() {
    if (context == null) {
      return Future.failedFuture(new IllegalStateException("server '" + name() + "' is not deployed"));
    }
    Promise<JsonObject> promise = Promise.promise();
    context.runOnContext(v -> promise.complete(statusNow()));
    return promise.future();
  }

  /** @return the servers running in {@code vertx} */
  public static List<Server<?>> all(io.vertx.core.Vertx vertx) {
    return SERVERS.all(vertx);
  }

  /** @return the server of that name running in {@code vertx} */
  public static Optional<Server<?>> lookup(io.vertx.core.Vertx vertx, String name) {
    return SERVERS.lookup(vertx, name);
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public Future<?> start() {
    if (name() == null || name().isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("name: a server needs a name (its event-bus address)"));
    }
    if (options.getSchemaVersion() < 1 || options.getLoadAttempts() < 1) {
      return Future.failedFuture(new IllegalArgumentException("schemaVersion and loadAttempts must be 1 or more"));
    }
    if (!SERVERS.register(vertx, name(), this)) {
      return Future.failedFuture(new IllegalStateException("name: a server named '" + name() + "' is already running"));
    }
    registered = true;
    observer = Overseer.serverObserver(vertx);
    stash = configuredStash != null ? configuredStash : LocalStash.shared(vertx);
    stashKey = options.getStashKey() != null ? options.getStashKey() : name();
    consumer = vertx.eventBus().consumer(name(), this::onMessage);
    consumer.completion().onSuccess(v -> load());
    return consumer.completion();
  }

  private void load() {
    boolean kept = options.getPersistence().mode() != Persistence.Mode.NONE;
    Future<StateLoader.Outcome<S>> loaded = kept
        ? here(stash.claim(stashKey)).compose(e -> {
            epoch = e;
            return here(StateLoader.load(vertx, stash, stashKey, options, hooks()));
          })
        : Future.succeededFuture(new StateLoader.Outcome<>(Optional.empty(), null, "none", "persistence NONE", 0));
    // Every future that is not ours may complete on another thread: state is only touched here.
    loaded.compose(outcome -> {
      loadOutcome = outcome;
      lastEntry = outcome.entry();
      if ("quarantined".equals(outcome.outcome()) || "fallback".equals(outcome.outcome())) {
        LOG.log(System.Logger.Level.WARNING, "server '" + name() + "': stashed state not loaded (" + outcome.outcome()
            + "): " + outcome.detail() + "; starting from the initial state");
      }
      Future<S> init;
      try {
        init = init(config(), outcome.state());
      } catch (Throwable t) {
        init = Future.failedFuture(t);
      }
      return here(Objects.requireNonNull(init, "init returned null"));
    }).onComplete(ar -> {
      if (stopping) {
        return;
      }
      if (ar.failed()) {
        crash(ar.cause(), null);
        return;
      }
      state = ar.result();
      ready = true;
      if (options.getPersistence().mode() == Persistence.Mode.WRITE_BEHIND) {
        writeBehindTimer = vertx.setPeriodic(options.getPersistence().interval().toMillis(), t -> flushBehind());
      }
      drain();
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (writeBehindTimer >= 0) {
      vertx.cancelTimer(writeBehindTimer);
    }
    failQueuedCalls();
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    unregisterName();
    if (!ready) {
      return unregistered;
    }
    ExitReason reason = exitReason != null ? exitReason : ExitReason.shutdown();
    try {
      terminate(reason, state);
    } catch (Throwable t) {
      LOG.log(System.Logger.Level.WARNING, "server '" + name() + "': terminate failed", t);
    }
    Persistence.Mode mode = options.getPersistence().mode();
    if (mode == Persistence.Mode.ON_TERMINATE || (mode == Persistence.Mode.WRITE_BEHIND && dirty)) {
      return unregistered.compose(v -> save(state)).mapEmpty();
    }
    return unregistered;
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
    while (ready && !busy && !crashed && !stopping && !mailbox.isEmpty()) {
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
    } catch (Throwable t) {
      crash(t, envelope);
      return;
    }
    handled++;
    commit(envelope, result, before);
  }

  private void commit(Envelope envelope, Result<S> result, S before) {
    S next = result.state();
    boolean changed = !Objects.equals(next, before);
    Runnable done = () -> {
      state = next;
      if (result.hasReply()) {
        envelope.reply(result.reply());
      }
      if (result.kind() == Result.Kind.STOP) {
        exitReason = result.reason();
        stopping = true;
        leave(result.reason());
      }
    };
    if (changed && options.getPersistence().mode() == Persistence.Mode.WRITE_THROUGH) {
      busy = true;
      save(next).onComplete(ar -> {
        busy = false;
        if (ar.failed()) {
          crash(new IllegalStateException("saving the state of server '" + name() + "' failed: " + ar.cause().getMessage(), ar.cause()), envelope);
          return;
        }
        done.run();
        drain();
      });
      return;
    }
    if (changed && options.getPersistence().mode() == Persistence.Mode.WRITE_BEHIND) {
      dirty = true;
    }
    done.run();
  }

  private void crash(Throwable reason, Envelope envelope) {
    if (crashed) {
      return;
    }
    crashed = true;
    Object formatted;
    try {
      formatted = ready ? formatStatus(state) : null;
    } catch (Throwable t) {
      formatted = "formatStatus failed: " + t;
    }
    CrashReport report = new CrashReport(name(), reason, envelope == null ? null : envelope.describe(), formatted, Instant.now());
    exitReason = ExitReason.failure(new ServerCrashException(report));
    if (envelope != null) {
      envelope.fail(CODE_CRASHED, "server '" + name() + "' crashed: " + reason);
    }
    failQueuedCalls();
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

  // ------------------------------------------------------------------ the stash

  private Future<StashEntry> save(S value) {
    String json;
    try {
      json = Json.encode(encodeState(value));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return here(stash.put(stashKey, json, options.getSchemaVersion(), epoch)).onSuccess(entry -> lastEntry = entry);
  }

  private <T> Future<T> here(Future<T> future) {
    return Contexts.on(context, future);
  }

  private void flushBehind() {
    if (dirty && ready && !crashed && !stopping && !busy) {
      dirty = false;
      save(state).onFailure(err -> {
        dirty = true;
        LOG.log(System.Logger.Level.WARNING, "server '" + name() + "': write-behind save failed: " + err.getMessage());
      });
    }
  }

  private StateLoader.Hooks<S> hooks() {
    return new StateLoader.Hooks<>() {
      @Override
      public Object migrate(int fromVersion, Object value) throws Exception {
        return Server.this.migrate(fromVersion, value);
      }

      @Override
      public S decode(Object value) {
        return decodeState(value);
      }

      @Override
      public void validate(S s) throws Exception {
        Server.this.validate(s);
      }
    };
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
      try {
        json.put("state", formatStatus(state));
      } catch (Throwable t) {
        json.put("state", "formatStatus failed: " + t);
      }
    }
    if (lastMessage != null) {
      json.put("lastMessage", lastMessage);
    }
    if (options.getPersistence().mode() != Persistence.Mode.NONE) {
      JsonObject stashJson = new JsonObject().put("key", stashKey).put("epoch", epoch);
      if (lastEntry != null) {
        stashJson.put("entry", lastEntry.metadata());
      }
      if (loadOutcome != null) {
        stashJson.put("load", loadOutcome.toJson());
      }
      json.put("stash", stashJson);
    }
    return json;
  }

  private String deploymentId() {
    return context == null ? null : context.deploymentID();
  }

  private void unregisterName() {
    if (registered) {
      SERVERS.unregister(vertx, name(), this);
      registered = false;
    }
  }

  private static boolean isJson(Object o) {
    return o == null || o instanceof String || o instanceof Number || o instanceof Boolean
        || o instanceof JsonObject || o instanceof io.vertx.core.json.JsonArray;
  }
}
