package dev.overseer.console.impl;

import dev.overseer.ChildInfo;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.SupervisorRef;
import dev.overseer.SupervisorEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.time.Instant;

/**
 * What the console shows, read from this node: the tree of supervisors, a child's details, a
 * supervisor's details, and the lifecycle events seen. Supervisors are read fresh for every
 * answer; events are remembered by the {@link EventLog}. Used on the console's context only.
 *
 * <p>The tree is a list of members, each with its root supervisors. Today the only member is
 * this node; the cluster module can add the others without changing the shape.
 */
public final class Model {

  private final Vertx vertx;
  private final boolean readOnly;
  private final EventLog events;
  private final Tree tree;
  private final Startables startables;
  private final Servers servers;
  private final JsonObject member;

  /**
   * @param vertx the Vert.x instance whose supervisors are shown
   * @param readOnly whether actions are refused (shown in the tree so the page hides them)
   * @param events the event memory
   * @param startables the templates the application registered
   */
  public Model(Vertx vertx, boolean readOnly, EventLog events, Startables startables) {
    this.vertx = vertx;
    this.readOnly = readOnly;
    this.events = events;
    this.startables = startables;
    this.tree = new Tree(startables, events);
    this.servers = new Servers(vertx);
    String runtime = ManagementFactory.getRuntimeMXBean().getName();
    this.member = new JsonObject()
        .put("id", runtime)
        .put("name", "this node (" + runtime + ")")
        .put("self", true)
        .put("clustered", vertx.isClustered())
        .put("status", "up");
  }

  /** @return the event memory */
  public EventLog events() {
    return events;
  }

  /** @return the registered templates */
  public Startables startables() {
    return startables;
  }

  /**
   * Records a lifecycle event of a supervisor of this node. Events come from the supervisors
   * themselves ({@code Overseer.addEventListener}), never from the event bus, where anyone could
   * publish a forged crash.
   */
  public void record(SupervisorEvent event) {
    JsonObject json = event.toJson();
    events.record(json);
    if (event.type() == SupervisorEvent.Type.SUPERVISOR_STOPPED) {
      tree.supervisorStopped(json);
    }
  }

  /**
   * @return {@code {"generatedAt", "readOnly", "eventsSeen", "members": [{"id", "name", "self",
   *     "clustered", "status", "supervisors": [...]}]}}
   */
  public Future<JsonObject> snapshot() {
    long readBegan = tree.readBegins();
    return SupervisorView.readAll(vertx).map(views -> {
      JsonArray roots = tree.assemble(views, servers.byDeployment(), readBegan);
      return new JsonObject()
          .put("generatedAt", Instant.now().toString())
          .put("readOnly", readOnly)
          .put("eventsSeen", events.seen())
          .put("members", new JsonArray().add(member.copy().put("supervisors", roots)));
    });
  }

  /** @return the running supervisor, or a failed future with a 404 */
  public Future<SupervisorRef> supervisor(String name) {
    return SupervisorRef.lookup(vertx, name).recover(err -> Future.failedFuture(
        err instanceof SupervisorException e && e.error() == SupervisorError.NOT_FOUND
            ? ApiException.notFound("no supervisor named '" + name + "' is running")
            : err));
  }

  /** @return the supervisor's flags, children and own events (its children not nested) */
  public Future<JsonObject> supervisorDetail(String name) {
    return supervisor(name).compose(SupervisorView::read).map(view -> new JsonObject()
        .put("supervisor", tree.describe(view, servers.byDeployment()))
        .put("events", events.events(name, null)));
  }

  /**
   * @return {@code {"supervisor", "child", "spec", "events", "lastCrash"?, "server"?}}, or a
   *     404 when the supervisor or the child is unknown
   */
  public Future<JsonObject> childDetail(String supervisorName, String childId) {
    return supervisor(supervisorName).compose(sup -> sup.whichChildren().compose(children -> {
      ChildInfo info = children.stream().filter(c -> c.id().equals(childId)).findFirst().orElse(null);
      if (info == null) {
        return Future.failedFuture(ApiException.notFound(
            "supervisor '" + supervisorName + "' has no child '" + childId + "'"));
      }
      return sup.getChildSpec(childId).recover(err -> Future.failedFuture(ApiException.of(err)))
          .compose(spec -> servers.status(info.deploymentId()).map(server -> {
            JsonObject json = new JsonObject()
                .put("supervisor", supervisorName)
                .put("child", info.toJson().put("state", Tree.state(info)))
                .put("spec", spec.toJson(sup instanceof dev.overseer.SupervisorBase local && local.options().isRevealConfig()))
                .put("events", events.events(supervisorName, childId));
            JsonObject crash = events.lastCrash(supervisorName, childId);
            if (crash != null) {
              json.put("lastCrash", crash);
            }
            if (server != null) {
              json.put("server", server);
            }
            return json;
          }));
    }));
  }

  /** @return what every update to the page carries besides the tree */
  public JsonObject hello() {
    return new JsonObject().put("type", "hello").put("readOnly", readOnly).put("member", member.copy());
  }
}
