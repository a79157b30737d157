package dev.overseer.server;

import dev.overseer.impl.VertxFailures;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.shareddata.LocalMap;

import java.util.Map;
import java.util.Objects;

/**
 * One member's door for calls to its cluster-wide servers: {@link ServerRef} sends a call to the
 * relay of the member the name registry says holds the server (as OTP's
 * {@code gen_server:call({global, Name}, …)} looks the name up and sends to the pid), and the
 * relay hands it to the server's consumer on this member.
 *
 * <p>Why: Vert.x's clustered event bus routes a message sent to a name by each sender's cached
 * copy of the subscriptions, and a member that receives a message for an address it no longer
 * consumes drops it without an answer; during a handoff a sender whose copy is late would wait
 * out its whole timeout without knowing whether the call ran. The relay's address lives as long
 * as the member, and it answers every call: with the server's reply, with its failure, or, when
 * no server of that name has its consumer open here, with {@value #CODE_NOT_HERE} (never
 * handled: the caller looks the holder up again).
 *
 * <p>It reaches only names whose cluster-wide consumer is open on this member ({@link #open}),
 * which any member can already reach by name: no local-only address is exposed through it.
 */
public final class ServerRelay {

  /** Failure code of a call relayed to a member that holds no server of that name: look it up again. */
  public static final int CODE_NOT_HERE = 404;
  /** Header naming the server a relayed message is for: {@value}. */
  public static final String TO_HEADER = "overseer-relay-to";
  /** Header carrying a relayed call's remaining timeout in milliseconds: {@value}. */
  public static final String TIMEOUT_HEADER = "overseer-relay-timeout";

  private static final String PREFIX = "overseer.relay.";
  private static final String OPEN = "dev.overseer.server.relayable";
  private static final long MAX_TIMEOUT_MILLIS = 3_600_000L;

  private ServerRelay() {
  }

  /**
   * @param nodeId a member's Vert.x node id
   * @return the address of that member's relay
   */
  public static String address(String nodeId) {
    return PREFIX + Objects.requireNonNull(nodeId, "nodeId");
  }

  /**
   * Opens this member's relay: a clustered consumer on {@link #address(String)}.
   *
   * @param vertx the member's (clustered) Vert.x
   * @param nodeId its node id
   * @return the consumer, once its registration has reached the cluster
   */
  public static Future<MessageConsumer<Object>> install(Vertx vertx, String nodeId) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address(nodeId), m -> relay(vertx, m));
    return consumer.completion().map(v -> consumer);
  }

  /** Marks {@code name}'s cluster-wide consumer of deployment {@code deploymentId} open here. */
  static void open(Vertx vertx, String name, String deploymentId) {
    names(vertx).put(name, deploymentId);
  }

  /** Undoes {@link #open} if that deployment's consumer is the one marked. */
  static void close(Vertx vertx, String name, String deploymentId) {
    names(vertx).remove(name, deploymentId);
  }

  private static LocalMap<String, String> names(Vertx vertx) {
    return vertx.sharedData().getLocalMap(OPEN);
  }

  private static void relay(Vertx vertx, Message<Object> message) {
    String to = message.headers().get(TO_HEADER);
    boolean call = message.replyAddress() != null;
    if (to == null || !names(vertx).containsKey(to)) {
      if (call) {
        message.fail(CODE_NOT_HERE, "no server named '" + to + "' runs on this member");
      }
      return;
    }
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true);
    for (Map.Entry<String, String> header : message.headers()) {
      if (!TO_HEADER.equals(header.getKey()) && !TIMEOUT_HEADER.equals(header.getKey())) {
        options.addHeader(header.getKey(), header.getValue());
      }
    }
    if (!call) {
      vertx.eventBus().send(to, message.body(), options);
      return;
    }
    options.setSendTimeout(timeout(message.headers().get(TIMEOUT_HEADER)));
    vertx.eventBus().request(to, message.body(), options).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result().body(), new DeliveryOptions().setHeaders(ar.result().headers()));
        return;
      }
      Throwable t = ar.cause();
      if (!(t instanceof ReplyException e)) {
        message.fail(Server.CODE_CRASHED, "relaying to server '" + to + "' failed: " + t);
      } else if (e.failureType() == ReplyFailure.NO_HANDLERS) {
        message.fail(CODE_NOT_HERE, "no server named '" + to + "' runs on this member");
      } else if (e.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        message.fail(e.failureCode(), e.getMessage());
      } else if (VertxFailures.isDiscardedRequest(e)) {
        message.fail(Server.CODE_UNAVAILABLE, "server '" + to + "' was stopping");
      }
      // a plain timeout: the caller's own, with the same deadline, answers it
    });
  }

  private static long timeout(String header) {
    try {
      long millis = header == null ? ServerRef.DEFAULT_TIMEOUT.toMillis() : Long.parseLong(header);
      return Math.max(1, Math.min(MAX_TIMEOUT_MILLIS, millis));
    } catch (NumberFormatException e) {
      return ServerRef.DEFAULT_TIMEOUT.toMillis();
    }
  }
}
