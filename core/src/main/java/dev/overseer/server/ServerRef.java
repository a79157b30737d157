package dev.overseer.server;

import dev.overseer.impl.VertxFailures;

import dev.overseer.NameRecord;
import dev.overseer.NameRegistry;
import dev.overseer.Overseer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How callers reach a {@link Server} by name: {@link #call} (OTP's {@code gen_server:call}) and
 * {@link #cast} ({@code gen_server:cast}). Immutable and cheap; make one per name and keep it.
 *
 * <p>While the named server is restarting, a call waits for it, retrying within its timeout,
 * instead of failing at once with "no handlers". A call to a name nobody has registered (and
 * that is not expected back: see {@link dev.overseer.NameRegistry#isExpected}) fails at once
 * with {@link ReplyFailure#NO_HANDLERS}. A call that itself crashed the server fails with a
 * {@link ReplyException} of code {@link Server#CODE_CRASHED} carrying the reason; a call that
 * finds no server until its timeout fails with {@link ReplyFailure#TIMEOUT}.
 *
 * <p>Typed calls ({@link #call(Object, Class)}) convert the reply to the caller's type: JSON
 * numbers to any boxed number type they fit (a reply of {@code 3} is an {@code Integer} on the
 * wire and a {@code Long} to a caller asking for one); anything else must already be of that
 * type, or the call fails with a {@link ClassCastException} naming both types.
 *
 * <p>Order: messages sent from one Vert.x context arrive in the order sent, as between two
 * Erlang processes. Messages sent through one {@code ServerRef} from threads outside Vert.x are
 * sent from one context of the ref's own, so they keep their order too. Across a restart or a
 * move to another member, as across an OTP process's restart, messages to the old incarnation and
 * to its successor are not ordered against each other.
 *
 * <p>On a cluster (a registry with {@link NameRegistry#relayNode relays}), a call goes to the
 * member that holds the name, through its {@link ServerRelay}, as OTP's
 * {@code gen_server:call({global, Name}, …)} sends to the pid the name resolves to; a call that
 * finds the server gone from there is sent again to its next holder (by name only when that
 * member has no relay at all).
 */
public final class ServerRef {

  /** Default call timeout, as OTP: 5 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The failure code ({@link ReplyFailure#RECIPIENT_FAILURE}) of a call whose server's member left
   * the cluster before it answered: {@value} (outside HTTP's range, as {@link ServerRelay#CODE_NOT_HERE},
   * so that no server's own failure code is taken for it). As OTP's {@code nodedown}, the call may or may not
   * have been handled, so it is not sent again; the next call waits for the server's next holder.
   */
  public static final int CODE_NODE_DOWN = 3502;

  private final Vertx vertx;
  private final String name;
  private volatile Context outside;

  private ServerRef(Vertx vertx, String name) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * @param vertx the Vert.x instance
   * @param name the name
   * @return a reference to the server named {@code name}
   */
  public static ServerRef of(Vertx vertx, String name) {
    return new ServerRef(vertx, name);
  }

  /** @return the server's name */
  public String name() {
    return name;
  }

  /**
   * Calls with the default timeout of 5 s.
   *
   * @param request the request
   * @return the reply
   */
  public Future<Object> call(Object request) {
    return call(request, DEFAULT_TIMEOUT);
  }

  /**
   * Sends {@code request} (a JSON value) and waits for the reply.
   *
   * @param request the request
   * @param timeout how long to wait for the reply
   * @return the reply body
   */
  public Future<Object> call(Object request, Duration timeout) {
    return request(request, new DeliveryOptions(), System.nanoTime() + timeout.toNanos(), 1, false);
  }

  /**
   * Calls with the default timeout of 5 s and converts the reply to {@code type}, as
   * {@link #call(Object, Class, Duration)}.
   *
   * @param request the request, a JSON value
   * @param type the class the reply is converted to
   * @param <T> the reply's type
   * @return the reply as a {@code T}; {@code null} stays {@code null}; fails with a
   *     {@link ClassCastException} when the reply is not a {@code T}
   */
  public <T> Future<T> call(Object request, Class<T> type) {
    return call(request, type, DEFAULT_TIMEOUT);
  }

  /**
   * Sends {@code request} (a JSON value), waits for the reply and converts it to {@code type}.
   *
   * @param request the request, a JSON value
   * @param type the class the reply is converted to
   * @param timeout how long to wait for the reply
   * @param <T> the reply's type
   * @return the reply as a {@code T}; {@code null} stays {@code null}; fails with a
   *     {@link ClassCastException} when the reply is not a {@code T}
   */
  public <T> Future<T> call(Object request, Class<T> type, Duration timeout) {
    Objects.requireNonNull(type, "type");
    return call(request, timeout).compose(reply -> {
      try {
        return Future.succeededFuture(convert(reply, type));
      } catch (ClassCastException e) {
        return Future.failedFuture(e);
      }
    });
  }

  private <T> T convert(Object reply, Class<T> type) {
    if (reply == null || type.isInstance(reply)) {
      return type.cast(reply);
    }
    if (reply instanceof Number) {
      Number n = (Number) reply;
      boolean integral = !(n instanceof Double || n instanceof Float || n instanceof java.math.BigDecimal);
      Object converted = null;
      if (type == Long.class && integral && new java.math.BigInteger(n.toString()).bitLength() <= 63) {
        converted = n.longValue();
      } else if (type == Integer.class && integral && new java.math.BigInteger(n.toString()).bitLength() <= 31) {
        converted = n.intValue();
      } else if (type == Double.class) {
        converted = n.doubleValue();
      }
      if (converted != null) {
        return type.cast(converted);
      }
    }
    throw new ClassCastException("the reply of server '" + name + "' is a " + reply.getClass().getSimpleName()
        + ", not a " + type.getSimpleName());
  }

  /**
   * Sends {@code request} (a JSON value) without waiting; lost if no server is running.
   *
   * @param request the request
   */
  public void cast(Object request) {
    onSendingContext(() -> {
      NameRegistry registry = Overseer.nameRegistry(vertx);
      NameRecord holder = holder(registry);
      DeliveryOptions options = new DeliveryOptions();
      vertx.eventBus().send(address(registry, holder, options), request, options);
      return Future.succeededFuture();
    });
  }

  /** @return the server's status (see {@link Server#status()}) */
  public Future<JsonObject> status() {
    return request(null, new DeliveryOptions().addHeader(Server.SYSTEM_HEADER, Server.STATUS),
        System.nanoTime() + DEFAULT_TIMEOUT.toNanos(), 1, false).map(JsonObject.class::cast);
  }

  /**
   * One attempt. With a registry whose members run relays, a call goes to the holder's relay when
   * the holder is known; else the first attempt goes by name (so that calls from one context keep
   * their order while the holder is looked up in the background), unless the registry doubts the
   * holder (a call just found it gone): then, as on every retry, the holder is looked up first.
   *
   * @param byName send to the name whatever is known (once, after a relay was not there at all)
   */
  private Future<Object> request(Object body, DeliveryOptions base, long deadline, int attempt, boolean byName) {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      return Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT, "no reply from server '" + name + "' in time"));
    }
    NameRegistry registry = Overseer.nameRegistry(vertx);
    NameRecord known = byName ? null : holder(registry);
    if (byName || known != null || registry.relayNode().isEmpty() || (attempt == 1 && !registry.holderInDoubt(name))) {
      return send(registry, known, body, base, deadline, attempt);
    }
    // The event bus's own routing may still point at the member that just let go of the server,
    // and that member would drop the call without an answer: look the holder up instead.
    return onSendingContext(() -> registry.whereis(name).timeout(left, TimeUnit.MILLISECONDS)).transform(found -> {
      if (found.succeeded() && found.result().isPresent()) {
        return send(registry, found.result().get(), body, base, deadline, attempt);
      }
      return whenExpected(body, base, deadline, attempt, null);
    });
  }

  /** Sends once to {@code holder} (through its member's relay unless it is here), or to the name when it is {@code null}. */
  private Future<Object> send(NameRegistry registry, NameRecord holder, Object body, DeliveryOptions base, long deadline,
                              int attempt) {
    long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
    boolean viaRelay = holder != null;
    return onSendingContext(() -> {
      DeliveryOptions options = new DeliveryOptions(base).setSendTimeout(left);
      Future<Message<Object>> sent = vertx.eventBus().request(address(registry, holder, options), body, options);
      return holder == null || options.isLocalOnly() ? sent : unlessGone(registry, holder, sent);
    }).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(ar.result().body());
      }
      if (!retryable(ar.cause(), viaRelay)) {
        return Future.failedFuture(ar.cause());
      }
      if (holder != null) {
        // the member it went to no longer serves it (stopping, gone, or never got it): look again
        registry.forget(name, holder);
      }
      ReplyException e = (ReplyException) ar.cause();
      if (viaRelay && e.failureType() == ReplyFailure.NO_HANDLERS) {
        // no relay there at all (the member is gone, or runs a version without relays): by name, once
        return request(body, base, deadline, attempt + 1, true);
      }
      if (e.failureType() == ReplyFailure.NO_HANDLERS || e.failureCode() == ServerRelay.CODE_NOT_HERE) {
        return whenExpected(body, base, deadline, attempt, holder);
      }
      // A restart takes a few hundred microseconds: retry soon, then back off (1, 2, 4 … 50 ms).
      long pause = Math.min(50, 1L << Math.min(attempt - 1, 6));
      return retryAfter(pause, body, base, deadline, attempt, ar.cause());
    });
  }

  /**
   * @return {@code sent}, failed with {@link #CODE_NODE_DOWN} as soon as {@code holder}'s member
   *     leaves the cluster while the answer is awaited (Vert.x would only time it out)
   */
  private Future<Message<Object>> unlessGone(NameRegistry registry, NameRecord holder, Future<Message<Object>> sent) {
    Context context = Vertx.currentContext();
    Promise<Message<Object>> answered = Promise.promise();
    Runnable cancel = registry.watchDeparture(holder.nodeId(), () -> context.runOnContext(v -> answered.tryFail(
        new ReplyException(ReplyFailure.RECIPIENT_FAILURE, CODE_NODE_DOWN, "nodedown: member " + holder.nodeId()
            + ", which held server '" + name + "', left the cluster before it answered (the call may or may not have been handled)"))));
    sent.onComplete(ar -> {
      cancel.run();
      if (ar.succeeded()) {
        answered.tryComplete(ar.result());
      } else {
        answered.tryFail(ar.cause());
      }
    });
    return answered.future();
  }

  /** @return the known holder, to send to through its member's relay, or {@code null} to send to the name */
  private NameRecord holder(NameRegistry registry) {
    return registry.relayNode().isPresent() ? registry.knownHolder(name).orElse(null) : null;
  }

  /**
   * @return where to send: the name itself (no known holder, or a registry without relays), the
   *     name on this member only (the holder is here), or the holder's member's relay, with the
   *     header the relay needs set on {@code options}
   */
  private String address(NameRegistry registry, NameRecord holder, DeliveryOptions options) {
    if (holder == null) {
      return name;
    }
    if (holder.nodeId().equals(registry.relayNode().orElse(null))) {
      // this member's own relay: it reaches a server that has registered its name before its
      // event-bus consumer is open (a local send to the name would find no handler yet)
      options.setLocalOnly(true);
    }
    options.addHeader(ServerRelay.TO_HEADER, name);
    return ServerRelay.address(holder.nodeId());
  }

  private Future<Object> retryAfter(long pause, Object body, DeliveryOptions options, long deadline, int attempt, Throwable last) {
    if ((deadline - System.nanoTime()) / 1_000_000 <= pause) {
      return Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT,
          "server '" + name + "' was not available within the timeout: " + last.getMessage()));
    }
    Promise<Object> next = Promise.promise();
    vertx.setTimer(pause, t -> request(body, options, deadline, attempt + 1, false).onComplete(next));
    return next.future();
  }

  /**
   * No consumer: fail fast for a name nobody registered; for a name whose holder is on its way
   * (a restart), wait for the registration, then send again. A holder learned that is not the
   * one that just failed ({@code failed}, or {@code null}) is sent to at once; the same holder
   * again (its member has no mailbox open for it yet, or any more) only after a pause, backing off.
   */
  private Future<Object> whenExpected(Object body, DeliveryOptions options, long deadline, int attempt, NameRecord failed) {
    NameRegistry registry = Overseer.nameRegistry(vertx);
    NameRecord learned = holder(registry);
    if (learned != null && !learned.equals(failed)) {
      // a newer holder was learned meanwhile (its registration's event overtook this answer)
      return request(body, options, deadline, attempt + 1, false);
    }
    return registry.isExpected(name).compose(expected -> {
      if (!expected) {
        return Future.failedFuture(new ReplyException(ReplyFailure.NO_HANDLERS,
            "no server named '" + name + "' is registered (and none is restarting)"));
      }
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      return registry.awaitRegistered(name, Duration.ofMillis(left)).transform(r -> {
        if (r.failed()) {
          return Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT,
              "server '" + name + "' was not available within the timeout: " + r.cause().getMessage()));
        }
        NameRecord now = holder(registry);
        if (now != null && !now.equals(failed)) {
          // through its member's relay, which takes calls from the registration on
          return request(body, options, deadline, attempt + 1, false);
        }
        // registered, its consumer may open a moment later: a short pause, backing off
        return retryAfter(Math.min(50, 1L << Math.min(attempt - 1, 6)), body, options, deadline, attempt,
            new IllegalStateException("no consumer yet"));
      });
    });
  }

  /** Sends from the caller's context, or from this ref's own when called outside Vert.x, so order holds. */
  private <T> Future<T> onSendingContext(java.util.function.Supplier<Future<T>> send) {
    if (Vertx.currentContext() != null) {
      return send.get();
    }
    Context context = outside;
    if (context == null) {
      synchronized (this) {
        if (outside == null) {
          outside = vertx.getOrCreateContext();
        }
        context = outside;
      }
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> send.get().onComplete(promise));
    return promise.future();
  }

  private static boolean retryable(Throwable t, boolean viaRelay) {
    if (!(t instanceof ReplyException)) {
      return false;
    }
    ReplyException e = (ReplyException) t;
    // A request that reached a consumer while it was being unregistered is discarded unhandled
    // and answered with this TIMEOUT at once: safe to send again.
    boolean discarded = e.failureType() == ReplyFailure.TIMEOUT && VertxFailures.isDiscardedRequest(e);
    boolean failed = e.failureType() == ReplyFailure.RECIPIENT_FAILURE;
    return discarded || e.failureType() == ReplyFailure.NO_HANDLERS
        || (failed && e.failureCode() == Server.CODE_UNAVAILABLE)
        || (failed && viaRelay && e.failureCode() == ServerRelay.CODE_NOT_HERE);
  }
}
