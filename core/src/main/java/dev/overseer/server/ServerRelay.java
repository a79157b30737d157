package dev.overseer.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.Objects;

/**
 * One member's door to its cluster-wide servers: {@link ServerRef} sends a call to the relay of
 * the member the name registry says holds the server (as OTP's
 * {@code gen_server:call({global, Name}, …)} looks the name up and sends to the pid), and the
 * relay hands the message to that server's mailbox, on the server's context, in arrival order.
 * The server replies to the caller directly.
 *
 * <p>Why: Vert.x's clustered event bus routes a message sent to a name by each sender's cached
 * copy of the subscriptions, and a member that receives a message for an address it no longer
 * consumes drops it without an answer; during a handoff a sender whose copy is late would wait
 * out its whole timeout without knowing whether the call ran. The relay's address lives as long
 * as the member's Vert.x, and when no server of that name has its mailbox open here it answers a
 * call at once with {@value #CODE_NOT_HERE} (never handled: the caller looks the holder up again).
 *
 * <p>It reaches only the mailboxes of servers on this member ({@link #open}), which any member can
 * already reach by name: no other consumer of this member is reachable through it, whatever
 * address it listens on. A starting server opens its mailbox from before its name's registration
 * is answered ({@link #openIfFree}); a call that reaches it then waits until the server is ready,
 * or is answered 503 (retried) if its start fails.
 */
public final class ServerRelay {

  /** Failure code of a call relayed to a member that holds no server of that name: look it up again. */
  public static final int CODE_NOT_HERE = 3404;
  /** Header naming the server a relayed message is for: {@value}. */
  public static final String TO_HEADER = "overseer-relay-to";

  private static final String PREFIX = "overseer.relay.";
  private static final String DOORS = "dev.overseer.server.relay.doors";

  /** A server's mailbox, as the relay reaches it. Shared by reference in a local map. */
  private static final class Door implements Shareable {
    final String deploymentId;
    final Context context;
    final Handler<Message<Object>> mailbox;

    Door(String deploymentId, Context context, Handler<Message<Object>> mailbox) {
      this.deploymentId = deploymentId;
      this.context = context;
      this.mailbox = mailbox;
    }
  }

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
   * Opens this member's relay: a clustered consumer on {@link #address(String)}. It stays until
   * {@code vertx.close()}, after the servers it reaches have stopped.
   *
   * @param vertx the member's (clustered) Vert.x
   * @param nodeId its node id
   * @return the consumer, once its registration has reached the cluster
   */
  public static Future<MessageConsumer<Object>> install(Vertx vertx, String nodeId) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address(nodeId), m -> relay(vertx, m));
    return consumer.completion().map(v -> consumer);
  }

  /** Lets the relay hand messages for {@code name} to {@code mailbox}, on {@code context}. */
  static void open(Vertx vertx, String name, String deploymentId, Context context, Handler<Message<Object>> mailbox) {
    doors(vertx).put(name, new Door(deploymentId, context, mailbox));
  }

  /**
   * Opens as {@link #open} does, unless another deployment's mailbox is open for {@code name}
   * and that deployment is still deployed.
   *
   * @return whether the mailbox is open now
   */
  static boolean openIfFree(Vertx vertx, String name, String deploymentId, Context context, Handler<Message<Object>> mailbox) {
    LocalMap<String, Door> doors = doors(vertx);
    Door door = new Door(deploymentId, context, mailbox);
    Door held = doors.putIfAbsent(name, door);
    if (held == null) {
      return true;
    }
    if (!held.deploymentId.equals(deploymentId) && deployed(vertx, held.deploymentId)) {
      return false;
    }
    return doors.replace(name, held, door);
  }

  /** Undoes {@link #open} if that deployment's mailbox is the one open. */
  static void close(Vertx vertx, String name, String deploymentId) {
    LocalMap<String, Door> doors = doors(vertx);
    Door door = doors.get(name);
    if (door != null && door.deploymentId.equals(deploymentId)) {
      doors.remove(name, door);
    }
  }

  private static LocalMap<String, Door> doors(Vertx vertx) {
    return vertx.sharedData().getLocalMap(DOORS);
  }

  private static void relay(Vertx vertx, Message<Object> message) {
    String to = message.headers().get(TO_HEADER);
    Door door = to == null ? null : doors(vertx).get(to);
    if (door != null && !deployed(vertx, door.deploymentId)) {
      // killed without its stop (a brutal kill): nothing will ever take the message
      close(vertx, to, door.deploymentId);
      door = null;
    }
    if (door == null) {
      if (message.replyAddress() != null) {
        message.fail(CODE_NOT_HERE, "no server named '" + to + "' runs on this member");
      }
      return;
    }
    Handler<Message<Object>> mailbox = door.mailbox;
    door.context.runOnContext(v -> mailbox.handle(message));
  }

  private static boolean deployed(Vertx vertx, String deploymentId) {
    if (vertx instanceof VertxInternal internal) {
      return internal.deploymentManager().deployment(deploymentId) != null;
    }
    return vertx.deploymentIDs().contains(deploymentId);
  }
}
