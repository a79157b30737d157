package dev.overseer.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;

/**
 * How callers reach a {@link Server} by name: {@link #call} (OTP's {@code gen_server:call}) and
 * {@link #cast} ({@code gen_server:cast}). Immutable and cheap; make one per name and keep it.
 *
 * <p>While the named server is restarting, a call waits for it, retrying within its timeout,
 * instead of failing at once with "no handlers". A call that itself crashed the server fails
 * with a {@link ReplyException} of code {@link Server#CODE_CRASHED} carrying the reason; a call
 * that finds no server until its timeout fails with {@link ReplyFailure#TIMEOUT}.
 *
 * <p>Order: messages sent from one Vert.x context arrive in the order sent, as between two
 * Erlang processes. Messages sent through one {@code ServerRef} from threads outside Vert.x are
 * sent from one context of the ref's own, so they keep their order too.
 */
public final class ServerRef {

  /** Default call timeout, as OTP: 5 s. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

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
    return request(request, new DeliveryOptions(), System.nanoTime() + timeout.toNanos(), 1);
  }

  /**
   * Sends {@code request} (a JSON value) without waiting; lost if no server is running.
   *
   * @param request the request
   */
  public void cast(Object request) {
    onSendingContext(() -> {
      vertx.eventBus().send(name, request);
      return Future.succeededFuture();
    });
  }

  /** @return the server's status (see {@link Server#status()}) */
  public Future<JsonObject> status() {
    return request(null, new DeliveryOptions().addHeader(Server.SYSTEM_HEADER, Server.STATUS),
        System.nanoTime() + DEFAULT_TIMEOUT.toNanos(), 1).map(JsonObject.class::cast);
  }

  private Future<Object> request(Object body, DeliveryOptions options, long deadline, int attempt) {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      return Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT, "no reply from server '" + name + "' in time"));
    }
    options.setSendTimeout(left);
    return onSendingContext(() -> vertx.eventBus().request(name, body, options)).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(ar.result().body());
      }
      if (!retryable(ar.cause())) {
        return Future.failedFuture(ar.cause());
      }
      // A restart takes a few hundred microseconds: retry soon, then back off (1, 2, 4 … 50 ms).
      long pause = Math.min(50, 1L << Math.min(attempt - 1, 6));
      if ((deadline - System.nanoTime()) / 1_000_000 <= pause) {
        return Future.failedFuture(new ReplyException(ReplyFailure.TIMEOUT,
            "server '" + name + "' was not available within the timeout: " + ar.cause().getMessage()));
      }
      Promise<Object> next = Promise.promise();
      vertx.setTimer(pause, t -> request(body, options, deadline, attempt + 1).onComplete(next));
      return next.future();
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

  private static boolean retryable(Throwable t) {
    if (!(t instanceof ReplyException)) {
      return false;
    }
    ReplyException e = (ReplyException) t;
    // A request that reached a consumer while it was being unregistered is discarded unhandled
    // and answered with this TIMEOUT at once: safe to send again.
    boolean discarded = e.failureType() == ReplyFailure.TIMEOUT && e.getMessage() != null
        && e.getMessage().startsWith("Discarded the request");
    return discarded || e.failureType() == ReplyFailure.NO_HANDLERS
        || (e.failureType() == ReplyFailure.RECIPIENT_FAILURE && e.failureCode() == Server.CODE_UNAVAILABLE);
  }
}
