package dev.overseer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What a clustered member can tell about its cluster, for the web console and other observers:
 * the members, the distributed supervisors and where each of their children runs, and the
 * events of children moving between members. The cluster module registers one per Vert.x
 * instance with {@link Overseer#setClusterView}; an embedded (non-clustered) Vert.x has none.
 *
 * <p>A view never reveals child specs or configs: only ids, owners, epochs and states.
 */
public interface ClusterView {

  /** Told when something a {@link ClusterView} shows has changed, and of moves between members. */
  interface Listener {

    /** Members joined or left, or a child's owner or status changed; cheap, called often. */
    void changed();

    /**
     * A distributed child arrived on this member ({@code CHILD_HANDED_OFF},
     * {@code CHILD_FAILED_OVER}); its {@link SupervisorEvent#details()} carry {@code from},
     * {@code to}, {@code epoch}, {@code cause} and {@code unavailableMillis}.
     *
     * @param event the event
     */
    void event(SupervisorEvent event);
  }

  /**
   * Reads the cluster as this member sees it. Never blocks the caller's thread.
   *
   * @param maxChildren the most children listed per distributed supervisor (the total is still
   *     counted); at least 1
   * @return {@code {"self", "members": [{"id", "self", "address"?, "status": "up"|"left",
   *     "since"?}], "supervisors": [{"name", "members": [node ids], "total", "truncated",
   *     "children": [{"id", "owner"?, "epoch", "status": "running"|"moving"|"failed"|…,
   *     "from"?, "cause", "since"}]}]}}
   */
  Future<JsonObject> describe(int maxChildren);

  /**
   * Adds a listener; it may be called on any thread and must not block.
   *
   * @param listener the listener
   */
  void addListener(Listener listener);

  /**
   * Removes a listener added with {@link #addListener}.
   *
   * @param listener the listener
   */
  void removeListener(Listener listener);
}
