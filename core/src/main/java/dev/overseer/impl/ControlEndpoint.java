package dev.overseer.impl;

import dev.overseer.ChildAllowList;
import dev.overseer.ChildInfo;
import dev.overseer.ChildSpec;
import dev.overseer.SupervisorRef;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.SupervisorOptions;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A supervisor's operations over the event bus. A request is a JSON object with an
 * {@code action} (the operation's name) and its arguments; the reply is a JSON object.
 *
 * <p>The event bus may be bridged to browsers or clustered, so every sender is treated as a
 * stranger. Checks run in this order, and each rejection is a failure reply with a
 * {@link SupervisorError} code that changes nothing and publishes no event:
 * <ol>
 *   <li>the body is a JSON object of at most {@link #MAX_REQUEST_LENGTH} characters, nested at
 *   most {@link Bounds#MAX_DEPTH} deep ({@code BAD_REQUEST});</li>
 *   <li>the action is known and the request has exactly its fields, of the right types
 *   ({@code BAD_REQUEST});</li>
 *   <li>for {@code startChild}: the supervisor's {@link ChildAllowList} allows remote starts at
 *   all, the spec parses ({@code INVALID_SPEC}), and its verticle or template is on the list
 *   ({@code FORBIDDEN}) — before any class is loaded;</li>
 *   <li>the operation's own checks (its {@link SupervisorError}).</li>
 * </ol>
 * Specs are returned without their config unless the supervisor reveals configs
 * ({@link SupervisorOptions#isRevealConfig()}). Failure messages are cut at
 * {@link #MAX_REPLY_MESSAGE_LENGTH} characters so that no reply echoes a huge input.
 */
public final class ControlEndpoint {

  /** The largest request accepted, in characters of its JSON form. */
  public static final int MAX_REQUEST_LENGTH = 64 * 1024;
  /** The longest failure message sent back, in characters. */
  public static final int MAX_REPLY_MESSAGE_LENGTH = 2048;

  /** Each action and the fields it takes besides {@code action}; any other field is refused. */
  private static final Map<String, Set<String>> ACTIONS = Map.of(
      "whichChildren", Set.of(),
      "countChildren", Set.of(),
      "getChildSpec", Set.of("id"),
      "startChild", Set.of("spec", "template", "id"),
      "terminateChild", Set.of("id"),
      "restartChild", Set.of("id"),
      "deleteChild", Set.of("id"),
      "describe", Set.of());

  private final SupervisorRef supervisor;
  private final ChildAllowList allowList;
  private final boolean revealConfig;
  private MessageConsumer<Object> consumer;

  /**
   * @param supervisor the supervisor whose operations are exposed
   * @param options its options: the allow-list and whether configs are revealed are read once
   */
  public ControlEndpoint(SupervisorRef supervisor, SupervisorOptions options) {
    this.supervisor = supervisor;
    this.allowList = options.getAllowList();
    this.revealConfig = options.isRevealConfig();
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
    handle(message, this::dispatch);
  }

  /**
   * Answers {@code message} with what {@code dispatch} makes of its body: a throw is a failure,
   * {@code BAD_REQUEST} unless it is a {@link SupervisorException} already.
   *
   * @param message the request
   * @param dispatch the action for the body
   */
  public static void handle(Message<Object> message, java.util.function.Function<Object, Future<JsonObject>> dispatch) {
    Future<JsonObject> reply;
    try {
      reply = dispatch.apply(message.body());
    } catch (SupervisorException e) {
      reply = Future.failedFuture(e);
    } catch (RuntimeException e) {
      reply = Future.failedFuture(new SupervisorException(SupervisorError.BAD_REQUEST, String.valueOf(e.getMessage()), e));
    }
    answer(message, reply);
  }

  /**
   * Replies with {@code reply}'s result, or fails the message with its {@link SupervisorError}'s
   * code (500 for any other failure), the message cut at {@link #MAX_REPLY_MESSAGE_LENGTH}.
   *
   * @param message the request
   * @param reply its outcome
   */
  public static void answer(Message<Object> message, Future<JsonObject> reply) {
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
      } else if (ar.cause() instanceof SupervisorException) {
        SupervisorException e = (SupervisorException) ar.cause();
        message.fail(e.error().code(), Bounds.truncate(e.getMessage(), MAX_REPLY_MESSAGE_LENGTH));
      } else {
        message.fail(500, Bounds.truncate(String.valueOf(ar.cause().getMessage()), MAX_REPLY_MESSAGE_LENGTH));
      }
    });
  }

  /**
   * The first two checks of the class comment, for any action table: a JSON object within the
   * size and depth bounds, a known action, exactly its fields.
   *
   * @param body a request's body
   * @param actions each action and the fields it takes besides {@code action}
   * @return the request
   * @throws SupervisorException {@link SupervisorError#BAD_REQUEST} saying what is wrong
   */
  public static JsonObject checked(Object body, Map<String, Set<String>> actions) {
    if (!(body instanceof JsonObject)) {
      throw bad("the request must be a JSON object with an \"action\", got " + kindOf(body));
    }
    JsonObject request = bounded((JsonObject) body);
    Object action = request.getValue("action");
    if (!(action instanceof String)) {
      throw bad("missing \"action\" (a string); expected one of " + new TreeSet<>(actions.keySet()));
    }
    Set<String> fields = actions.get(action);
    if (fields == null) {
      throw bad("unknown action \"" + Bounds.truncate((String) action, 64) + "\"; expected one of " + new TreeSet<>(actions.keySet()));
    }
    for (String field : request.fieldNames()) {
      if (!"action".equals(field) && !fields.contains(field)) {
        throw bad("\"" + action + "\" takes no field \"" + Bounds.truncate(field, 64) + "\"");
      }
    }
    return request;
  }

  /**
   * @param request a request
   * @return it, if it is at most {@link #MAX_REQUEST_LENGTH} characters of JSON, nested at most
   *     {@link Bounds#MAX_DEPTH} deep
   * @throws SupervisorException {@link SupervisorError#BAD_REQUEST} otherwise
   */
  public static JsonObject bounded(JsonObject request) {
    if (Bounds.largerThan(request, MAX_REQUEST_LENGTH)) {
      throw bad("the request is larger than " + MAX_REQUEST_LENGTH + " characters of JSON or nested deeper than "
          + Bounds.MAX_DEPTH + " levels");
    }
    return request;
  }

  private Future<JsonObject> dispatch(Object body) {
    JsonObject request = checked(body, ACTIONS);
    String action = request.getString("action");
    switch (action) {
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
        return supervisor.getChildSpec(id(request)).map(spec -> spec.toJson(revealConfig));
      case "startChild":
        return supervisor.startChild(specToStart(request)).map(id -> new JsonObject().put("id", id));
      case "terminateChild":
        return supervisor.terminateChild(id(request)).map(v -> ok());
      case "restartChild":
        return supervisor.restartChild(id(request)).map(v -> ok());
      case "deleteChild":
        return supervisor.deleteChild(id(request)).map(v -> ok());
      default:
        throw new IllegalStateException("action without a case: " + action);
    }
  }

  /**
   * The spec a {@code startChild} request may start: from a template by name (the caller picks
   * the id at most), or from a spec whose verticle is allowed. Nothing is loaded before the
   * allow-list says yes.
   */
  private ChildSpec specToStart(JsonObject request) {
    if (allowList.isEmpty()) {
      throw new SupervisorException(SupervisorError.FORBIDDEN, "startChild over the event bus is off for supervisor '"
          + supervisor.name() + "': the application allows no verticle and no template (SupervisorOptions.setAllowList)");
    }
    Object spec = request.getValue("spec");
    Object template = request.getValue("template");
    if ((spec == null) == (template == null)) {
      throw bad("startChild needs either a \"spec\" object or a \"template\" name");
    }
    if (template != null) {
      if (!(template instanceof String) || ((String) template).isEmpty()) {
        throw bad("\"template\" must be a template's name");
      }
      return allowList.fromTemplate((String) template, request.containsKey("id") ? id(request) : null);
    }
    if (request.containsKey("id")) {
      throw bad("startChild with a \"spec\" takes the id from the spec");
    }
    if (!(spec instanceof JsonObject)) {
      throw bad("\"spec\" must be an object");
    }
    return allowList.check(ChildSpec.fromJson((JsonObject) spec));
  }

  /**
   * @param request a request
   * @return its {@code id}: a non-empty string of at most {@link ChildSpec#MAX_ID_LENGTH} characters
   * @throws SupervisorException {@link SupervisorError#BAD_REQUEST} otherwise
   */
  public static String id(JsonObject request) {
    Object id = request.getValue("id");
    if (!(id instanceof String) || ((String) id).isEmpty()) {
      throw bad("\"" + request.getValue("action") + "\" needs a string \"id\"");
    }
    if (((String) id).length() > ChildSpec.MAX_ID_LENGTH) {
      throw bad("\"id\" must be at most " + ChildSpec.MAX_ID_LENGTH + " characters");
    }
    return (String) id;
  }

  private static String kindOf(Object body) {
    if (body == null) {
      return "no body";
    }
    if (body instanceof JsonArray) {
      return "an array";
    }
    if (body instanceof CharSequence) {
      return "a string";
    }
    return body.getClass().getSimpleName();
  }

  private static JsonObject ok() {
    return new JsonObject().put("ok", true);
  }

  private static SupervisorException bad(String why) {
    return new SupervisorException(SupervisorError.BAD_REQUEST, why);
  }
}
