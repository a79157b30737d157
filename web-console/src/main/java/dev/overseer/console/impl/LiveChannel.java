package dev.overseer.console.impl;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live channel: pushes the tree and the lifecycle events to every connected page over a
 * WebSocket, coalesced.
 *
 * <p>Algorithm. Events only mark the tree dirty. A timer fires every coalesce interval; on a
 * tick it sends the events gathered since the last tick as one {@code events} message, and, if
 * the tree is dirty (or a refresh is due, because restart intensity decays without events),
 * reads the tree once and sends it as one {@code tree} message if it differs from the last one
 * sent. So a restart storm of any rate costs at most one tree read and one message per socket
 * per interval. A socket whose write queue is full is skipped (it is marked and gets the next
 * tree even if unchanged): a slow page cannot make the server buffer without bound. At most one
 * tree read is under way at a time.
 *
 * <p>Messages, all JSON text frames: {@code {"type":"hello","readOnly","member"}} once,
 * {@code {"type":"tree","tree":{...}}} and {@code {"type":"events","events":[...],"dropped":n}},
 * and on a clustered member {@code {"type":"cluster","cluster":{...}}} (the {@link ClusterPage}),
 * read and sent by the same rules as the tree, on its own dirty flag.
 * Used on the console's context only.
 */
public final class LiveChannel {

  private static final System.Logger LOG = System.getLogger(LiveChannel.class.getName());

  /** Longest time between two tree reads while a page is connected. */
  static final Duration REFRESH = Duration.ofSeconds(1);
  /** Pages connected at most; more are refused with close code 1013 (try again later). */
  static final int MAX_SOCKETS = 64;

  private final Vertx vertx;
  private final Model model;
  private final long intervalMillis;
  /** Each socket, and whether it missed a tree message (then it gets the next one regardless). */
  private final Map<ServerWebSocket, Boolean> sockets = new LinkedHashMap<>();
  private long timer = -1;
  private boolean dirty = true;
  private boolean reading;
  private long lastRead;
  private String lastTree = "";
  private ClusterPage cluster;
  private boolean clusterDirty = true;
  private boolean readingCluster;
  private long lastClusterRead;
  private String lastCluster = "";
  /** Sockets that have not had the latest cluster message (new, or skipped while full). */
  private final Set<ServerWebSocket> clusterBehind = new HashSet<>();

  /**
   * @param vertx the Vert.x instance
   * @param model what is shown
   * @param interval the coalesce interval
   */
  public LiveChannel(Vertx vertx, Model model, Duration interval) {
    this.vertx = vertx;
    this.model = model;
    this.intervalMillis = interval.toMillis();
  }

  /**
   * Also pushes the cluster, when this member is in one.
   *
   * @param cluster the cluster page
   * @return this
   */
  public LiveChannel withCluster(ClusterPage cluster) {
    this.cluster = cluster;
    return this;
  }

  /** The cluster changed: the next tick reads it. */
  public void markClusterDirty() {
    clusterDirty = true;
  }

  /** Starts the timer. */
  public void start() {
    timer = vertx.setPeriodic(intervalMillis, id -> tick());
  }

  /** Stops the timer and closes every socket. */
  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    for (ServerWebSocket socket : sockets.keySet()) {
      socket.close((short) 1001, "console stopping");
    }
    sockets.clear();
  }

  /** Something changed: the next tick reads the tree. */
  public void markDirty() {
    dirty = true;
  }

  /** @return how many pages are connected */
  public int connected() {
    return sockets.size();
  }

  /** Adds an accepted socket: it gets a hello and the tree at once, then the coalesced updates. */
  public void add(ServerWebSocket socket) {
    if (sockets.size() >= MAX_SOCKETS) {
      socket.close((short) 1013, "too many pages connected");
      return;
    }
    sockets.put(socket, true);
    // a mounted console's sockets belong to the application's server: their handlers run on its
    // context, and the socket map is touched on the console's only
    Context here = Vertx.currentContext();
    socket.closeHandler(v -> here.runOnContext(x -> forget(socket)));
    socket.exceptionHandler(err -> here.runOnContext(x -> forget(socket)));
    // the page has nothing to say; anything it sends is ignored
    socket.handler(buffer -> { });
    socket.writeTextMessage(model.hello().encode());
    dirty = true;
    clusterBehind.add(socket);
    clusterDirty = true;
    tick();
  }

  private void forget(ServerWebSocket socket) {
    sockets.remove(socket);
    clusterBehind.remove(socket);
  }

  private void tick() {
    if (model.events().hasPending()) {
      JsonObject batch = model.events().drainPending();
      if (!sockets.isEmpty()) {
        send(batch.put("type", "events").encode(), Kind.EVENTS);
      }
    }
    long now = System.nanoTime() / 1_000_000;
    tickCluster(now);
    if (sockets.isEmpty() || reading || (!dirty && now - lastRead < REFRESH.toMillis())) {
      return;
    }
    reading = true;
    dirty = false;
    lastRead = now;
    model.snapshot().onComplete(ar -> {
      reading = false;
      if (ar.failed()) {
        LOG.log(System.Logger.Level.WARNING, "reading the tree failed; retrying on the next tick", ar.cause());
        dirty = true;
        return;
      }
      JsonObject tree = ar.result();
      // generatedAt changes on every read; only a change of content is worth a message
      String content = tree.getJsonArray("members").encode();
      boolean changed = !content.equals(lastTree);
      lastTree = content;
      String message = new JsonObject().put("type", "tree").put("tree", tree).encode();
      send(message, changed ? Kind.TREE : Kind.MISSED_TREE);
    });
  }

  private void tickCluster(long now) {
    if (cluster == null || sockets.isEmpty() || readingCluster
        || (!clusterDirty && now - lastClusterRead < REFRESH.toMillis())) {
      return;
    }
    if (!cluster.attach()) {
      // an embedded Vert.x: no cluster, no cluster messages
      return;
    }
    readingCluster = true;
    clusterDirty = false;
    lastClusterRead = now;
    cluster.snapshot().onComplete(ar -> {
      readingCluster = false;
      if (ar.failed()) {
        LOG.log(System.Logger.Level.DEBUG, "reading the cluster failed; retrying on the next tick", ar.cause());
        clusterDirty = true;
        return;
      }
      JsonObject view = ar.result();
      JsonObject content = view.copy();
      content.remove("generatedAt");
      String text = content.encode();
      boolean changed = !text.equals(lastCluster);
      lastCluster = text;
      String message = new JsonObject().put("type", "cluster").put("cluster", view).encode();
      for (ServerWebSocket socket : List.copyOf(sockets.keySet())) {
        if (!changed && !clusterBehind.contains(socket)) {
          continue;
        }
        if (socket.writeQueueFull()) {
          clusterBehind.add(socket);
          continue;
        }
        socket.writeTextMessage(message);
        clusterBehind.remove(socket);
      }
    });
  }

  private enum Kind { EVENTS, TREE, MISSED_TREE }

  /**
   * Writes to each socket that wants the message; iterates over a copy because a write may
   * close a socket, whose close handler removes it.
   */
  private void send(String message, Kind kind) {
    for (ServerWebSocket socket : List.copyOf(sockets.keySet())) {
      Boolean missed = sockets.get(socket);
      if (missed == null || (kind == Kind.MISSED_TREE && !missed)) {
        continue;
      }
      if (socket.writeQueueFull()) {
        sockets.put(socket, missed || kind != Kind.EVENTS);
        continue;
      }
      socket.writeTextMessage(message);
      if (kind != Kind.EVENTS) {
        sockets.put(socket, false);
      }
    }
  }
}
