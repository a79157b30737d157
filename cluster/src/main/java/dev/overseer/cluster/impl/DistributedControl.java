package dev.overseer.cluster.impl;

import dev.overseer.ChildCount;
import dev.overseer.ChildSpec;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.cluster.DistributedSupervisor;
import dev.overseer.impl.ControlEndpoint;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * A distributed supervisor's control address: its operations as JSON requests over the event
 * bus, answered cluster-wide from any member. It has the local control address's checks
 * ({@link ControlEndpoint}): a bounded body, a known action with exactly its fields, bounded ids,
 * bounded failure messages. {@code getChildSpec} redacts the child's config unless the
 * supervisor's options reveal it: any event-bus sender on any member can ask.
 */
public final class DistributedControl implements Handler<Message<Object>> {

  /** Each action and the fields it takes besides {@code action}; any other field is refused. */
  private static final Map<String, Set<String>> ACTIONS = Map.of(
      "whichChildren", Set.of(),
      "countChildren", Set.of(),
      "getChildSpec", Set.of("id"),
      "placements", Set.of(),
      "startChild", Set.of("spec"),
      "terminateChild", Set.of("id"),
      "restartChild", Set.of("id"),
      "deleteChild", Set.of("id"));

  private final DistributedSupervisor supervisor;
  private final boolean revealConfig;

  /**
   * @param supervisor whose operations the requests call
   * @param revealConfig whether {@code getChildSpec} answers the child's config
   */
  public DistributedControl(DistributedSupervisor supervisor, boolean revealConfig) {
    this.supervisor = supervisor;
    this.revealConfig = revealConfig;
  }

  @Override
  public void handle(Message<Object> message) {
    ControlEndpoint.handle(message, this::control);
  }

  private Future<JsonObject> control(Object body) {
    JsonObject request = ControlEndpoint.checked(body, ACTIONS);
    String action = request.getString("action");
    switch (action) {
      case "whichChildren":
        return supervisor.whichChildren().map(list -> {
          JsonArray rows = new JsonArray();
          list.forEach(i -> rows.add(i.toJson()));
          return new JsonObject().put("supervisor", supervisor.name()).put("children", rows);
        });
      case "countChildren":
        return supervisor.countChildren().map(ChildCount::toJson);
      case "getChildSpec":
        return supervisor.getChildSpec(ControlEndpoint.id(request)).map(spec -> spec.toJson(revealConfig));
      case "placements":
        return supervisor.placements().map(list -> {
          JsonArray rows = new JsonArray();
          list.forEach(p -> rows.add(p.toJson()));
          return new JsonObject().put("supervisor", supervisor.name()).put("children", rows);
        });
      case "startChild": {
        Object spec = request.getValue("spec");
        if (!(spec instanceof JsonObject)) {
          throw new SupervisorException(SupervisorError.BAD_REQUEST, "startChild needs a \"spec\" object");
        }
        return supervisor.startChild(ChildSpec.fromJson((JsonObject) spec)).map(id -> new JsonObject().put("id", id));
      }
      case "terminateChild":
        return supervisor.terminateChild(ControlEndpoint.id(request)).map(v -> ok());
      case "restartChild":
        return supervisor.restartChild(ControlEndpoint.id(request)).map(v -> ok());
      case "deleteChild":
        return supervisor.deleteChild(ControlEndpoint.id(request)).map(v -> ok());
      default:
        throw new IllegalStateException("action without a case: " + action);
    }
  }

  private static JsonObject ok() {
    return new JsonObject().put("ok", true);
  }
}
