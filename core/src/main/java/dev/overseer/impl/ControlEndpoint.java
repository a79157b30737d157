package dev.overseer.impl;

import dev.overseer.ChildInfo;
import dev.overseer.ChildSpec;
import dev.overseer.SupervisorRef;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A supervisor's operations over the event bus. A request is a JSON object with an
 * {@code action} (the operation's name) and its arguments ({@code id}, or {@code spec} for
 * {@code startChild}); the reply is a JSON object. A malformed request or an unknown action is
 * answered with a failure whose code is {@link SupervisorError#BAD_REQUEST}'s and changes
 * nothing; an operation's own error is answered with its {@link SupervisorError} code.
 */
public final class ControlEndpoint {

  private final SupervisorRef supervisor;
  private MessageConsumer<Object> consumer;

  /** @param supervisor the supervisor whose operations are exposed */
  public ControlEndpoint(SupervisorRef supervisor) {
    this.supervisor = supervisor;
  }

  /**
   * Registers the consumer on {@code address}: clustered when {@code clusterWide} (the name
   * registry's names are unique cluster-wide, so the address must be reachable as widely),
   * local otherwise.
   */
  public Future<Void> register(io.vertx.core.Vertx vertx, String address, boolean clusterWide) {
    consumer = clusterWide ? vertx.eventBus().consumer(address, this::handle) : vertx.eventBus().localConsumer(address, this::handle);
    return consumer.completion();
  }

  /** Unregisters the consumer. */
  public Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void handle(Message<Object> message) {
    Future<JsonObject> reply;
    try {
      reply = dispatch(message.body());
    } catch (SupervisorException e) {
      reply = Future.failedFuture(e);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(new SupervisorException(SupervisorError.BAD_REQUEST, String.valueOf(e.getMessage()), e));
    }
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else if (ar.cause() instanceof SupervisorException) {
        SupervisorException e = (SupervisorException) ar.cause();
        message.fail(e.error().code(), e.getMessage());
      } else {
        message.fail(500, String.valueOf(ar.cause().getMessage()));
      }
    });
  }

  private Future<JsonObject> dispatch(Object body) {
    if (!(body instanceof JsonObject)) {
      throw bad("the request must be a JSON object with an \"action\"");
    }
    JsonObject request = (JsonObject) body;
    Object action = request.getValue("action");
    if (!(action instanceof String)) {
      throw bad("missing \"action\"; expected one of " + ACTIONS);
    }
    switch ((String) action) {
      case "whichChildren":
        return supervisor.whichChildren().map(list -> {
          JsonArray rows = new JsonArray();
          for (ChildInfo info : list) {
            rows.add(info.toJson());
          }
          return new JsonObject().put("supervisor", supervisor.name()).put("children", rows);
        });
      case "describe":
        return supervisor.describe().map(d -> d.toJson());
      case "countChildren":
        return supervisor.countChildren().map(c -> c.toJson());
      case "getChildSpec":
        return supervisor.getChildSpec(id(request)).map(ChildSpec::toJson);
      case "startChild": {
        Object spec = request.getValue("spec");
        if (!(spec instanceof JsonObject)) {
          throw bad("startChild needs a \"spec\" object");
        }
        return supervisor.startChild(ChildSpec.fromJson((JsonObject) spec)).map(id -> new JsonObject().put("id", id));
      }
      case "terminateChild":
        return supervisor.terminateChild(id(request)).map(v -> ok());
      case "restartChild":
        return supervisor.restartChild(id(request)).map(v -> ok());
      case "deleteChild":
        return supervisor.deleteChild(id(request)).map(v -> ok());
      default:
        throw bad("unknown action \"" + action + "\"; expected one of " + ACTIONS);
    }
  }

  private static final String ACTIONS =
      "[describe, whichChildren, countChildren, getChildSpec, startChild, terminateChild, restartChild, deleteChild]";

  private static String id(JsonObject request) {
    Object id = request.getValue("id");
    if (!(id instanceof String) || ((String) id).isEmpty()) {
      throw bad("\"" + request.getValue("action") + "\" needs a string \"id\"");
    }
    return (String) id;
  }

  private static JsonObject ok() {
    return new JsonObject().put("ok", true);
  }

  private static SupervisorException bad(String why) {
    return new SupervisorException(SupervisorError.BAD_REQUEST, why);
  }
}
