package dev.overseer;

import dev.overseer.impl.EventTaps;
import dev.overseer.impl.LocalNameRegistry;
import dev.overseer.server.ServerFence;
import dev.overseer.server.ServerHandoff;
import dev.overseer.server.ServerObserver;
import dev.overseer.stash.LocalStash;
import dev.overseer.stash.Stash;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.Objects;
import java.util.UUID;

/**
 * What Overseer keeps per Vert.x instance: the member's node id, the {@link NameRegistry} that
 * servers and supervisors register their names with, and the default {@link Stash} of servers.
 *
 * <p>Embedded, the defaults need no set-up: a random node id, a registry whose names are unique
 * in this Vert.x instance, and the instance's {@link LocalStash#shared shared LocalStash}. The
 * cluster module replaces all three once, right after creating a clustered Vert.x and before
 * deploying anything that registers a name.
 */
public final class Overseer {

  private static final String MAP = "dev.overseer.Overseer";

  private static final class Settings implements Shareable {
    volatile String nodeId = UUID.randomUUID().toString();
    volatile NameRegistry registry;
    volatile Stash stash;
    volatile ServerObserver serverObserver = ServerObserver.NONE;
    volatile ServerFence serverFence = ServerFence.OPEN;
    final java.util.List<ServerHandoff> serverHandoffs = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile ClusterView clusterView;
  }

  private Overseer() {
  }

  private static Settings settings(Vertx vertx) {
    Objects.requireNonNull(vertx, "vertx");
    LocalMap<String, Settings> map = vertx.sharedData().getLocalMap(MAP);
    Settings s = map.get(MAP);
    if (s == null) {
      Settings fresh = new Settings();
      s = map.putIfAbsent(MAP, fresh);
      if (s == null) {
        s = fresh;
      }
    }
    return s;
  }

  /**
   * @param vertx the Vert.x instance
   * @return this member's node id: random per Vert.x instance unless set (clustered: the Vert.x node id)
   */
  public static String nodeId(Vertx vertx) {
    return settings(vertx).nodeId;
  }

  /**
   * Sets this member's node id; the cluster module sets the cluster manager's.
   *
   * @param vertx the Vert.x instance
   * @param nodeId the member's node id
   */
  public static void setNodeId(Vertx vertx, String nodeId) {
    settings(vertx).nodeId = Objects.requireNonNull(nodeId, "nodeId");
  }

  /**
   * @param vertx the Vert.x instance
   * @return the registry names are registered with; by default unique in this Vert.x instance
   */
  public static NameRegistry nameRegistry(Vertx vertx) {
    Settings s = settings(vertx);
    NameRegistry r = s.registry;
    if (r == null) {
      synchronized (s) {
        if (s.registry == null) {
          s.registry = new LocalNameRegistry(vertx);
        }
        r = s.registry;
      }
    }
    return r;
  }

  /**
   * Sets the registry names are registered with from now on.
   *
   * @param vertx the Vert.x instance
   * @param registry the name registry
   */
  public static void setNameRegistry(Vertx vertx, NameRegistry registry) {
    settings(vertx).registry = Objects.requireNonNull(registry, "registry");
  }

  /**
   * @param vertx the Vert.x instance
   * @return the stash servers use when their options name none; by default {@link LocalStash#shared}
   */
  public static Stash defaultStash(Vertx vertx) {
    Stash s = settings(vertx).stash;
    return s != null ? s : LocalStash.shared(vertx);
  }

  /**
   * Sets the stash servers use when their options name none.
   *
   * @param vertx the Vert.x instance
   * @param stash the stash
   */
  public static void setDefaultStash(Vertx vertx, Stash stash) {
    settings(vertx).stash = Objects.requireNonNull(stash, "stash");
  }

  /**
   * Adds a listener of the lifecycle events of every supervisor running in {@code vertx}, present
   * and future, as typed values from the supervisors themselves (not from the event bus, where
   * anyone may publish). What the web console and the metrics read. The listener runs on the
   * supervisor's context, must not block, and is skipped (logged) if it throws.
   *
   * @param vertx the Vert.x instance
   * @param listener called with every event
   */
  public static void addEventListener(Vertx vertx, Handler<SupervisorEvent> listener) {
    EventTaps.add(Objects.requireNonNull(vertx, "vertx"), Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Removes a listener added with {@link #addEventListener}.
   *
   * @param vertx the Vert.x instance
   * @param listener the listener to remove
   */
  public static void removeEventListener(Vertx vertx, Handler<SupervisorEvent> listener) {
    EventTaps.remove(Objects.requireNonNull(vertx, "vertx"), listener);
  }

  /**
   * @param vertx the Vert.x instance
   * @return what servers started in {@code vertx} report their calls and mailbox depth to;
   *     {@link ServerObserver#NONE} unless set
   */
  public static ServerObserver serverObserver(Vertx vertx) {
    return settings(vertx).serverObserver;
  }

  /**
   * Sets what servers report their calls and mailbox depth to (the metrics do); servers read it
   * when they start, so set it before deploying them.
   *
   * @param vertx the Vert.x instance
   * @param observer the observer, {@link ServerObserver#NONE} to stop observing
   */
  public static void setServerObserver(Vertx vertx, ServerObserver observer) {
    settings(vertx).serverObserver = Objects.requireNonNull(observer, "observer");
  }

  /**
   * @param vertx the Vert.x instance
   * @return what servers in {@code vertx} ask before each reply; {@link ServerFence#OPEN} unless set
   */
  public static ServerFence serverFence(Vertx vertx) {
    return settings(vertx).serverFence;
  }

  /**
   * Sets what servers ask just before each reply whether they may still acknowledge it (the
   * cluster module's member lease). Servers read it at every reply, so it applies at once.
   *
   * @param vertx the Vert.x instance
   * @param fence the fence, {@link ServerFence#OPEN} to let every reply through
   */
  public static void setServerFence(Vertx vertx, ServerFence fence) {
    settings(vertx).serverFence = Objects.requireNonNull(fence, "fence");
  }

  /**
   * Adds a hook told when each stopping server in {@code vertx} has saved its state and released
   * its name, before its consumer has closed (see {@link ServerHandoff}); the cluster module's
   * distributed supervisor adds one while it is deployed.
   *
   * @param vertx the Vert.x instance
   * @param handoff the hook
   */
  public static void addServerHandoff(Vertx vertx, ServerHandoff handoff) {
    settings(vertx).serverHandoffs.add(Objects.requireNonNull(handoff, "handoff"));
  }

  /**
   * @param vertx the Vert.x instance
   * @param handoff a hook added with {@link #addServerHandoff}; nothing happens if it was not
   */
  public static void removeServerHandoff(Vertx vertx, ServerHandoff handoff) {
    settings(vertx).serverHandoffs.remove(handoff);
  }

  /**
   * @param vertx the Vert.x instance
   * @return the hooks added with {@link #addServerHandoff}, in order (a snapshot)
   */
  public static java.util.List<ServerHandoff> serverHandoffs(Vertx vertx) {
    return java.util.List.copyOf(settings(vertx).serverHandoffs);
  }

  /**
   * @param vertx the Vert.x instance
   * @return what the cluster module tells about the cluster this member is in, or {@code null}
   *     when none is registered (an embedded Vert.x)
   */
  public static ClusterView clusterView(Vertx vertx) {
    return settings(vertx).clusterView;
  }

  /**
   * Registers what the web console shows of the cluster; the cluster module does it once per
   * member.
   *
   * @param vertx the Vert.x instance
   * @param view the view
   */
  public static void setClusterView(Vertx vertx, ClusterView view) {
    settings(vertx).clusterView = Objects.requireNonNull(view, "view");
  }

  /**
   * Registers {@code view} unless one is registered already.
   *
   * @param vertx the Vert.x instance
   * @param view the view to register when there is none
   * @return the view registered now: {@code view}, or the one that was there first
   */
  public static ClusterView setClusterViewIfAbsent(Vertx vertx, ClusterView view) {
    Objects.requireNonNull(view, "view");
    Settings s = settings(vertx);
    synchronized (s) {
      if (s.clusterView == null) {
        s.clusterView = view;
      }
      return s.clusterView;
    }
  }
}
