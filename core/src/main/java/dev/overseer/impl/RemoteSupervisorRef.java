package dev.overseer.impl;

import dev.overseer.ChildCount;
import dev.overseer.ChildInfo;
import dev.overseer.ChildSpec;
import dev.overseer.SupervisorDescription;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.SupervisorRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A {@link SupervisorRef} that sends each operation to the supervisor's control address
 * ({@link ControlEndpoint}'s protocol) and decodes the reply. A failure reply carries
 * {@code "<error>: <message>"} ({@link SupervisorException}'s message), which is mapped back to
 * the same {@link SupervisorError}; no reply within the timeout, or no consumer, is
 * {@link SupervisorError#NOT_FOUND}: the supervisor is gone or unreachable.
 */
public final class RemoteSupervisorRef implements SupervisorRef {

  private final Vertx vertx;
  private final String name;
  private final String nodeId;
  private final String address;
  private final DeliveryOptions delivery;

  /**
   * @param vertx where requests are sent from
   * @param name the supervisor's name
   * @param nodeId the node it runs on
   * @param address its control address
   * @param timeout how long each request waits for its reply
   */
  public RemoteSupervisorRef(Vertx vertx, String name, String nodeId, String address, Duration timeout) {
    this.vertx = vertx;
    this.name = name;
    this.nodeId = nodeId;
    this.address = address;
    this.delivery = new DeliveryOptions().setSendTimeout(Math.max(1, timeout.toMillis()));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public Future<String> startChild(ChildSpec spec) {
    if (spec == null) {
      return Future.failedFuture(new SupervisorException(SupervisorError.INVALID_SPEC, "spec: must not be null"));
    }
    if (spec.verticleName() == null) {
      return Future.failedFuture(new SupervisorException(SupervisorError.INVALID_SPEC,
          "start: child '" + spec.id() + "' is started by a supplier, which cannot be sent to another node; use ChildSpec.verticle"));
    }
    return request(new JsonObject().put("action", "startChild").put("spec", spec.toJson()),
        reply -> reply.getString("id"));
  }

  @Override
  public Future<Void> terminateChild(String id) {
    return byId("terminateChild", id);
  }

  @Override
  public Future<Void> restartChild(String id) {
    return byId("restartChild", id);
  }

  @Override
  public Future<Void> deleteChild(String id) {
    return byId("deleteChild", id);
  }

  @Override
  public Future<List<ChildInfo>> whichChildren() {
    return request(new JsonObject().put("action", "whichChildren"), reply -> {
      JsonArray rows = reply.getJsonArray("children", new JsonArray());
      List<ChildInfo> infos = new ArrayList<>(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        infos.add(ChildInfo.fromJson(rows.getJsonObject(i)));
      }
      return infos;
    });
  }

  @Override
  public Future<ChildCount> countChildren() {
    return request(new JsonObject().put("action", "countChildren"), ChildCount::fromJson);
  }

  @Override
  public Future<ChildSpec> getChildSpec(String id) {
    return request(new JsonObject().put("action", "getChildSpec").put("id", id), json -> {
      if (!json.containsKey("verticle")) {
        throw new SupervisorException(SupervisorError.UNSUPPORTED,
            "child '" + id + "' of supervisor '" + name + "' is started by a supplier, whose spec cannot cross nodes");
      }
      return ChildSpec.fromJson(json);
    });
  }

  @Override
  public Future<SupervisorDescription> describe() {
    return request(new JsonObject().put("action", "describe"), SupervisorDescription::fromJson);
  }

  private Future<Void> byId(String action, String id) {
    return request(new JsonObject().put("action", action).put("id", id), reply -> null);
  }

  private <T> Future<T> request(JsonObject body, Function<JsonObject, T> decode) {
    return vertx.eventBus().<Object>request(address, body, delivery).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(decodeFailure(ar.cause()));
      }
      if (!(ar.result().body() instanceof JsonObject reply)) {
        return Future.failedFuture(new SupervisorException(SupervisorError.BAD_REQUEST,
            "supervisor '" + name + "' answered " + body.getString("action") + " with something other than a JSON object"));
      }
      try {
        return Future.succeededFuture(decode.apply(reply));
      } catch (SupervisorException e) {
        return Future.failedFuture(e);
      } catch (RuntimeException e) {
        return Future.failedFuture(new SupervisorException(SupervisorError.BAD_REQUEST,
            "supervisor '" + name + "' answered " + body.getString("action") + " with a malformed reply: " + e.getMessage(), e));
      }
    });
  }

  /** Maps a failed request back to the {@link SupervisorError} the remote supervisor failed with. */
  Throwable decodeFailure(Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      return failure;
    }
    if (reply.failureType() == ReplyFailure.NO_HANDLERS || reply.failureType() == ReplyFailure.TIMEOUT) {
      return new SupervisorException(SupervisorError.NOT_FOUND, "supervisor '" + name + "' at " + address
          + " did not answer: " + reply.getMessage(), reply);
    }
    String message = String.valueOf(reply.getMessage());
    int colon = message.indexOf(": ");
    if (colon > 0) {
      try {
        SupervisorError error = SupervisorError.valueOf(message.substring(0, colon).toUpperCase(Locale.ROOT));
        if (error.code() == reply.failureCode()) {
          return new SupervisorException(error, message.substring(colon + 2), reply);
        }
      } catch (IllegalArgumentException notOurs) {
        // a failure that is not a SupervisorException's: fall through
      }
    }
    return reply;
  }

  @Override
  public String toString() {
    return "SupervisorRef(" + name + "@" + nodeId + " via " + address + ")";
  }
}
