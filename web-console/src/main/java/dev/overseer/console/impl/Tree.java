package dev.overseer.console.impl;

import dev.overseer.ChildInfo;
import dev.overseer.ChildStatus;
import dev.overseer.ChildType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assembles the console's tree from what was read of the running supervisors: each supervisor
 * that is nobody's child is a root; a child that is a supervisor
 * ({@link ChildInfo#supervisorName()}) carries that supervisor nested under it. A root that
 * stopped with a failure (it gave up after too many restarts, and no parent restarts it) stays
 * in the tree as {@code failed}, with the reason, until a supervisor of that name runs again.
 *
 * <p>No Vert.x here but JSON values; not thread-safe (the console uses it on its context).
 */
public final class Tree {

  /** Failed roots remembered at most. */
  static final int MAX_FAILED_ROOTS = 20;

  private final Startables startables;
  private final EventLog events;
  /**
   * The last description of every root seen and not yet reported stopped: kept past the moment a
   * root leaves the running set, since its SUPERVISOR_STOPPED may reach the console after a read
   * that no longer lists it. Bounded by the roots alive plus those whose stop is on its way.
   */
  private final Map<String, JsonObject> lastRoots = new HashMap<>();
  private final Map<String, JsonObject> failedRoots = new LinkedHashMap<>();
  /** The stop events seen so far, and the count at which each failed root was recorded. */
  private long stops;
  private final Map<String, Long> failedAt = new HashMap<>();

  /**
   * @param startables where the templates each supervisor offers are listed
   * @param events where children's last crashes are found
   */
  public Tree(Startables startables, EventLog events) {
    this.startables = startables;
    this.events = events;
  }

  /**
   * Tells the tree a supervisor stopped ({@code SUPERVISOR_STOPPED}). If it was a root and its
   * reason is a failure, it is remembered as a failed root.
   */
  public void supervisorStopped(JsonObject event) {
    stops++;
    String name = event.getString("supervisor");
    JsonObject reason = event.getJsonObject("reason");
    JsonObject last = lastRoots.remove(name);
    if (last == null || reason == null || !"FAILURE".equals(reason.getString("kind"))) {
      return;
    }
    JsonObject failed = last.copy()
        .put("status", "failed")
        .put("intensityUsed", last.getInteger("intensity", 0) + 1)
        .put("stoppedAt", event.getString("timestamp"))
        .put("reason", reason);
    for (Object child : failed.getJsonArray("children", new JsonArray())) {
      ((JsonObject) child).put("state", "stopped").put("status", ChildStatus.STOPPED.name()).remove("supervisor");
    }
    failedRoots.remove(name);
    failedRoots.put(name, failed);
    failedAt.put(name, stops);
    while (failedRoots.size() > MAX_FAILED_ROOTS) {
      failedAt.remove(failedRoots.keySet().iterator().next());
      failedRoots.remove(failedRoots.keySet().iterator().next());
    }
  }

  /**
   * @return a mark to take before reading the supervisors and to hand to
   *     {@link #assemble(List, Map, long)}: it tells which stops the read may predate
   */
  public long readBegins() {
    return stops;
  }

  /**
   * {@link #assemble(List, Map, long)} of a read that began now.
   *
   * @param views what was read of every running supervisor
   * @param servers the name of the server running in each deployment, by deployment id
   * @return the roots
   */
  public JsonArray assemble(List<SupervisorView> views, Map<String, String> servers) {
    return assemble(views, servers, stops);
  }

  /**
   * @param views what was read of every running supervisor
   * @param servers the name of the server running in each deployment, by deployment id
   * @param readBegan {@link #readBegins()} taken before the read: a root that failed after it may
   *     still be listed by the read (it answered just before it stopped), and stays failed
   * @return the roots, sorted by name, running ones first, then failed ones
   */
  public JsonArray assemble(List<SupervisorView> views, Map<String, String> servers, long readBegan) {
    Map<String, SupervisorView> byName = new HashMap<>();
    Set<String> nested = new HashSet<>();
    for (SupervisorView view : views) {
      byName.put(view.name(), view);
      for (ChildInfo child : view.children()) {
        if (child.supervisorName() != null) {
          nested.add(child.supervisorName());
        }
      }
    }
    Map<String, JsonObject> roots = new TreeMap<>();
    for (SupervisorView view : views) {
      // A root whose failure this read may predate is its dying incarnation: it stays failed.
      boolean staleView = failedAt.getOrDefault(view.name(), Long.MIN_VALUE) > readBegan;
      if (!nested.contains(view.name()) && !staleView) {
        roots.put(view.name(), supervisor(view, byName, servers, new HashSet<>()));
      }
    }
    lastRoots.putAll(roots);
    // Running again (a read that began after its failure lists it): no longer a failed root.
    failedRoots.keySet().removeAll(roots.keySet());
    failedAt.keySet().retainAll(failedRoots.keySet());
    JsonArray out = new JsonArray();
    roots.values().forEach(out::add);
    failedRoots.values().forEach(f -> out.add(f.copy()));
    return out;
  }

  /**
   * @return one supervisor as the tree shows it, without its nested supervisors (and without
   *     touching what the tree remembers of roots)
   */
  public JsonObject describe(SupervisorView view, Map<String, String> servers) {
    return supervisor(view, Map.of(), servers, new HashSet<>());
  }

  private JsonObject supervisor(SupervisorView view, Map<String, SupervisorView> byName, Map<String, String> servers,
                                Set<String> path) {
    path.add(view.name());
    JsonObject options = view.options();
    JsonObject json = new JsonObject()
        .put("name", view.name())
        .put("kind", view.dynamic() ? "dynamic" : "static")
        .put("status", "running")
        .put("strategy", options.getString("strategy"))
        .put("intensity", options.getInteger("intensity"))
        .put("period", options.getLong("period"))
        .put("intensityUsed", view.intensityUsed())
        .put("autoShutdown", options.getString("autoShutdown"))
        .put("backoff", options.getJsonObject("backoff"))
        .put("startables", new JsonArray(new ArrayList<>(startables.names(view.name()))));
    if (options.containsKey("maxChildren")) {
      json.put("maxChildren", options.getInteger("maxChildren"));
    }
    JsonArray children = new JsonArray();
    for (ChildInfo info : view.children()) {
      JsonObject child = info.toJson().put("state", state(info));
      JsonObject crash = events.lastCrash(view.name(), info.id());
      if (crash != null) {
        child.put("lastCrashAt", crash.getString("timestamp"));
      }
      String server = info.deploymentId() == null ? null : servers.get(info.deploymentId());
      if (server != null) {
        child.put("server", server);
      }
      SupervisorView sub = info.supervisorName() == null ? null : byName.get(info.supervisorName());
      // the path guard only protects against a malformed registry; supervisors cannot nest in a cycle
      if (info.type() == ChildType.SUPERVISOR && sub != null && !path.contains(sub.name())) {
        child.put("supervisor", supervisor(sub, byName, servers, path));
      }
      children.add(child);
    }
    path.remove(view.name());
    return json.put("children", children);
  }

  /**
   * @return the state the page shows: running, starting, restarting, stopping, stopped, or
   *     failed (stopped after an abnormal exit, and not being restarted)
   */
  static String state(ChildInfo info) {
    switch (info.status()) {
      case RUNNING:
        return "running";
      case STARTING:
        return "starting";
      case RESTARTING:
        return "restarting";
      case TERMINATING:
        return "stopping";
      default:
        return info.lastExit() != null && info.lastExit().isAbnormal() ? "failed" : "stopped";
    }
  }
}
