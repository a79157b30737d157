package dev.overseer.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.overseer.NameRecord;
import dev.overseer.NameRegistry;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.cluster.impl.Bridge;
import dev.overseer.cluster.impl.HazelcastConfigs;
import dev.overseer.cluster.impl.NameOp;
import dev.overseer.server.ServerRelay;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Names unique across a Hazelcast cluster: the {@link NameRegistry} the bootstrap installs.
 *
 * <p>The names live in the IMap {@code overseer.names} (name → JSON text, synchronous backups),
 * changed only by entry processors on the name's partition owner, so two members racing for a
 * name are serialized and one gets {@link SupervisorError#ALREADY_STARTED} naming the other.
 *
 * <p>A holder counts as gone when its member is out of the caller's view of the cluster, or, on
 * the caller's own member, when its deployment has ended. (A member that joined so recently that
 * the caller has not seen it yet cannot have registered anything yet: it registers names only
 * after it has started.)
 *
 * <p>When a member dies or leaves, every survivor's membership listener marks the names it held
 * vacated (idempotently: whichever survivor comes first does it, the others change nothing), so
 * callers wait for the next holder instead of failing. Members are known by their Vert.x node id
 * (member attribute {@code __vertx.nodeId}), never by the Hazelcast member UUID, which changes
 * when a member merges back after a split. A vacancy is forgotten after
 * {@link ClusterOptions#getVacancyTimeout} (then callers fail fast again).
 *
 * <p>{@link #awaitRegistered} is woken by one entry listener per registry, not by polling.
 */
public final class HazelcastNameRegistry implements NameRegistry {

  private static final System.Logger LOG = System.getLogger(HazelcastNameRegistry.class.getName());
  /** The map of names: {@value}. */
  public static final String MAP = HazelcastConfigs.MAP_PREFIX + "names";
  /** The most holders a member remembers for ServerRef's sends: {@value}. */
  private static final int KNOWN_MAX = 10_000;
  /** The member attribute vertx-hazelcast keeps the Vert.x node id in: {@value}. */
  public static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, String> map;
  private final String nodeId;
  private final Duration timeout;
  private final Duration vacancyTimeout;
  private final Duration routeGrace;
  private final Clock clock;
  // node ids of members this member saw removed (and not back): only they count as dead
  private final Set<String> dead = ConcurrentHashMap.newKeySet();
  /** What {@link #watchDeparture} runs when a member leaves, by its node id. */
  private final ConcurrentHashMap<String, Set<Runnable>> departureWatches = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CopyOnWriteArrayList<Consumer<String>>> waiters = new ConcurrentHashMap<>();
  // the holder of each name as last learned here, for ServerRef's sends through the relays
  private final ConcurrentHashMap<String, NameRecord> known = new ConcurrentHashMap<>();
  // names whose known holder was found gone, until a holder is learned again
  private final Set<String> doubted = ConcurrentHashMap.newKeySet();
  private final Set<String> lookingUp = ConcurrentHashMap.newKeySet();
  // whether this member's ServerRelay is open (it stays until vertx.close())
  private volatile boolean relaying;
  private volatile UUID entryListener;
  private volatile UUID membershipListener;

  private HazelcastNameRegistry(Vertx vertx, HazelcastInstance hazelcast, String nodeId, Duration timeout,
                                Duration vacancyTimeout, Duration routeGrace, Clock clock) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.map = hazelcast.getMap(MAP);
    this.nodeId = nodeId;
    this.timeout = timeout;
    this.vacancyTimeout = vacancyTimeout;
    this.routeGrace = routeGrace;
    this.clock = clock;
  }

  /**
   * Creates the registry of one member and starts watching membership: names of members removed
   * from now on are vacated, and names of members already gone are vacated at once.
   *
   * @param vertx the member's Vert.x
   * @param hazelcast the member's Hazelcast instance
   * @param nodeId the member's Vert.x node id
   * @param timeout the bound of every operation
   * @param vacancyTimeout how long a vacated name stays expected
   * @return the registry, once its listeners are in place
   */
  public static Future<HazelcastNameRegistry> create(Vertx vertx, HazelcastInstance hazelcast, String nodeId,
                                                     Duration timeout, Duration vacancyTimeout) {
    return create(vertx, hazelcast, nodeId, timeout, vacancyTimeout, ClusterOptions.DEFAULT_ROUTE_GRACE);
  }

  /**
   * Creates the registry of one member, as {@link #create(Vertx, HazelcastInstance, String, Duration, Duration)}.
   *
   * @param vertx the member's Vert.x
   * @param hazelcast the member's Hazelcast instance
   * @param nodeId the member's Vert.x node id
   * @param timeout the bound of every operation
   * @param vacancyTimeout how long a vacated name stays expected
   * @param routeGrace how long a withdrawn route's consumer keeps answering before it closes
   *     ({@link ClusterOptions#setRouteGrace})
   * @return the registry, once its listeners are in place
   */
  public static Future<HazelcastNameRegistry> create(Vertx vertx, HazelcastInstance hazelcast, String nodeId,
                                                     Duration timeout, Duration vacancyTimeout, Duration routeGrace) {
    HazelcastNameRegistry registry = new HazelcastNameRegistry(vertx, hazelcast, nodeId, timeout, vacancyTimeout, routeGrace,
        Clock.systemUTC());
    Future<HazelcastNameRegistry> listening = Bridge.blocking(vertx, () -> {
      registry.listen();
      return registry;
    }, timeout);
    if (!(vertx instanceof VertxInternal internal) || internal.clusterManager() == null) {
      return listening;
    }
    return listening.compose(r -> ServerRelay.install(vertx, nodeId)).map(consumer -> {
      registry.relaying = true;
      return registry;
    });
  }

  private void listen() {
    entryListener = map.addEntryListener(new Wakeup(), true);
    membershipListener = hazelcast.getCluster().addMembershipListener(new Departures());
    // members that left before this one joined: none of the survivors may have been left to clean up
    Set<String> live = liveNodes();
    Set<String> gone = new HashSet<>();
    for (Map.Entry<String, String> e : map.entrySet()) {
      JsonObject holder = new JsonObject(e.getValue()).getJsonObject("holder");
      if (holder != null && !live.contains(holder.getString("nodeId"))) {
        gone.add(holder.getString("nodeId"));
      }
    }
    if (!gone.isEmpty()) {
      dead.addAll(gone);
      map.executeOnEntries(NameOp.nodesGone(gone, clock.millis()));
    }
  }

  /**
   * Stops listening; the names stay (a member that leaves has them vacated by the survivors).
   *
   * @return completes when the listeners are removed
   */
  public Future<Void> close() {
    // The relay stays until vertx.close(): the servers it reaches run until then.
    return Bridge.blocking(vertx, () -> {
      if (entryListener != null) {
        map.removeEntryListener(entryListener);
      }
      if (membershipListener != null) {
        hazelcast.getCluster().removeMembershipListener(membershipListener);
      }
      return null;
    }, timeout);
  }

  private final class Departures implements MembershipListener {
    @Override
    public void memberAdded(MembershipEvent event) {
      // a member that was paused and merged back keeps its node id: it is alive again
      String id = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
      if (id != null) {
        dead.remove(id);
      }
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
      String id = event.getMember().getAttribute(NODE_ID_ATTRIBUTE);
      if (id == null || id.equals(nodeId)) {
        return;
      }
      dead.add(id);
      Set<Runnable> watching = departureWatches.remove(id);
      if (watching != null) {
        for (Runnable r : watching) {
          if (watching.remove(r)) { // once, whoever gets there first (see watchDeparture)
            r.run();
          }
        }
      }
      known.forEach((name, r) -> {
        if (r.nodeId().equals(id) && known.remove(name, r)) {
          doubted.add(name);
        }
      });
      // on a Hazelcast event thread: the sweep blocks until migrations settle, so on a worker
      Bridge.blocking(vertx, () -> {
        map.executeOnEntries(NameOp.nodesGone(Set.of(id), clock.millis()));
        return null;
      }, timeout.multipliedBy(3)).onFailure(t -> LOG.log(System.Logger.Level.WARNING, "could not vacate the names of departed member " + id + ": " + t));
    }
  }

  private final class Wakeup implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
      EntryRemovedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      wake(event.getKey(), event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
      wake(event.getKey(), event.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      // only the holder removed: a late event must not erase a newer holder learned meanwhile
      // (this member's own registration is learned from its answer, before this event runs)
      String old = event.getOldValue();
      JsonObject holder = old == null ? null : new JsonObject(old).getJsonObject("holder");
      if (holder == null) {
        known.remove(event.getKey());
      } else {
        known.remove(event.getKey(), NameRecord.fromJson(holder));
      }
    }

    private void wake(String name, String value) {
      JsonObject holder = value == null ? null : new JsonObject(value).getJsonObject("holder");
      if (holder == null) {
        // vacated: the old holder stays known until the next one registers; a message sent to
        // it meanwhile is answered "not here" by its member's relay (or finds no relay if that
        // member is gone) and waits for the registration
        return;
      }
      List<Consumer<String>> list = waiters.get(name);
      if (list != null || known.containsKey(name) || doubted.contains(name)) {
        // learned before the waiters run, so the send they trigger finds it
        learn(name, NameRecord.fromJson(holder));
      }
      if (list != null) {
        list.forEach(w -> w.accept(value));
      }
    }
  }

  /** @return node ids of the members in this member's view of the cluster */
  private Set<String> liveNodes() {
    Set<String> live = new HashSet<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      String id = m.getAttribute(NODE_ID_ATTRIBUTE);
      if (id != null) {
        live.add(id);
      }
    }
    live.add(nodeId);
    return live;
  }

  private boolean live(NameRecord r, Set<String> liveNodes) {
    if (r.nodeId().equals(nodeId)) {
      return localDeploymentExists(r.deploymentId());
    }
    return liveNodes.contains(r.nodeId());
  }

  /**
   * A holder registers its name while its deployment is still starting, and
   * {@code vertx.deploymentIDs()} lists a deployment only once it has started: judged by that
   * list alone, a fresh local holder would look dead, and a caller woken by its registration would
   * go back to waiting for one that never comes.
   */
  private boolean localDeploymentExists(String deploymentId) {
    if (vertx instanceof VertxInternal internal) {
      return internal.deploymentManager().deployment(deploymentId) != null;
    }
    return vertx.deploymentIDs().contains(deploymentId);
  }

  @Override
  public Future<Void> register(NameRecord record) {
    return register(record, null, true);
  }

  private Future<Void> register(NameRecord record, String replaceable, boolean mayRetry) {
    NameOp op = NameOp.register(record.toJson().encode(), replaceable, new HashSet<>(dead), clock.millis());
    return guard(Bridge.bounded(vertx, map.submitToKey(record.name(), op), timeout), "register", record.name()).compose(result -> {
      JsonObject r = new JsonObject(result);
      if (r.containsKey("ok")) {
        // known here at once: a caller on this member goes through its own relay instead of by
        // name, which Vert.x routes by its copy of the subscriptions, updated by Hazelcast events
        // that a failover's load holds back (a dead member's stale subscription drops the call)
        learn(record.name(), record);
        return Future.succeededFuture();
      }
      NameRecord holder = NameRecord.fromJson(r.getJsonObject("held"));
      boolean gone = holder.nodeId().equals(nodeId)
          ? !localDeploymentExists(holder.deploymentId())
          : !liveNodes().contains(holder.nodeId());
      if (mayRetry && gone) {
        // held by a deployment of this member that ended without unregistering, or by a member
        // already out of this member's view whose departure our listener has not recorded yet
        // (listeners run in no set order): take over exactly that record
        return register(record, holder.toJson().encode(), false);
      }
      return Future.failedFuture(new SupervisorException(SupervisorError.ALREADY_STARTED,
          "name '" + record.name() + "' is held by " + holder.kind() + " deployment " + holder.deploymentId()
              + " on member " + holder.nodeId()));
    });
  }

  @Override
  public Future<Void> unregister(NameRecord record) {
    return guard(Bridge.bounded(vertx, map.submitToKey(record.name(), NameOp.unregister(record.toJson().encode())), timeout),
        "unregister", record.name()).mapEmpty();
  }

  @Override
  public Future<Void> vacate(NameRecord record) {
    return guard(Bridge.bounded(vertx, map.submitToKey(record.name(), NameOp.vacate(record.toJson().encode(), clock.millis())), timeout),
        "vacate", record.name()).mapEmpty();
  }

  @Override
  public Future<Boolean> isExpected(String name) {
    return guard(Bridge.bounded(vertx, map.getAsync(name), timeout), "isExpected", name).map(raw -> {
      if (raw == null) {
        return false;
      }
      JsonObject value = new JsonObject(raw);
      if (value.containsKey("holder")) {
        return true;
      }
      return clock.millis() - value.getLong("since", 0L) <= vacancyTimeout.toMillis();
    });
  }

  @Override
  public Future<Optional<NameRecord>> whereis(String name) {
    return guard(Bridge.bounded(vertx, map.getAsync(name), timeout), "whereis", name).map(raw -> {
      Optional<NameRecord> holder = liveHolder(raw);
      holder.ifPresent(r -> learn(name, r));
      return holder;
    });
  }

  private Optional<NameRecord> liveHolder(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    JsonObject holder = new JsonObject(raw).getJsonObject("holder");
    if (holder == null) {
      return Optional.empty();
    }
    NameRecord r = NameRecord.fromJson(holder);
    return live(r, liveNodes()) ? Optional.of(r) : Optional.empty();
  }

  @Override
  public Future<List<NameRecord>> registered() {
    return guard(Bridge.blocking(vertx, () -> new ArrayList<>(map.values()), timeout), "registered", "*").map(all -> {
      Set<String> liveNodes = liveNodes();
      List<NameRecord> out = new ArrayList<>();
      for (String raw : all) {
        JsonObject holder = new JsonObject(raw).getJsonObject("holder");
        if (holder != null) {
          NameRecord r = NameRecord.fromJson(holder);
          if (live(r, liveNodes)) {
            out.add(r);
          }
        }
      }
      return out;
    });
  }

  @Override
  public Future<NameRecord> awaitRegistered(String name, Duration timeout) {
    Context ctx = vertx.getOrCreateContext();
    Promise<NameRecord> promise = Promise.promise();
    @SuppressWarnings("unchecked")
    Consumer<String>[] self = new Consumer[1];
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> {
      remove(name, self[0]);
      promise.tryFail(new TimeoutException("no holder registered '" + name + "' within " + timeout.toMillis() + " ms"));
    });
    Consumer<String> found = raw -> liveHolder(raw).ifPresent(r -> {
      learn(name, r);
      if (promise.tryComplete(r)) {
        vertx.cancelTimer(timer);
        remove(name, self[0]);
      }
    });
    // woken by a registration: its event carries the record (no read needed); on the caller's context
    self[0] = raw -> ctx.runOnContext(v -> found.accept(raw));
    // listen first, then look: a registration in between is seen either way
    waiters.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(self[0]);
    map.getAsync(name).whenComplete((raw, err) -> {
      if (err == null) {
        self[0].accept(raw);
      }
    });
    return promise.future();
  }

  private void remove(String name, Consumer<String> waiter) {
    waiters.computeIfPresent(name, (k, list) -> {
      list.remove(waiter);
      return list.isEmpty() ? null : list;
    });
  }

  @Override
  public boolean clusterWide() {
    return true;
  }

  /**
   * Runs {@code onGone} when Hazelcast removes the member {@code node} (its membership event, on a
   * Hazelcast event thread). Not for a member removed before this call: a message sent to a member
   * already gone is never delivered (Vert.x answers {@code NO_HANDLERS} once it drops the member's
   * routes), so it must not be reported as one that may have been handled.
   */
  @Override
  public Runnable watchDeparture(String node, Runnable onGone) {
    if (node == null || node.equals(nodeId) || dead.contains(node)) {
      return () -> { };
    }
    Set<Runnable> watching = departureWatches.computeIfAbsent(node, k -> ConcurrentHashMap.newKeySet());
    watching.add(onGone);
    if (dead.contains(node)) {
      // removed meanwhile: the departure may have taken the set before this was added to it
      departureWatches.remove(node, watching);
      if (watching.remove(onGone)) {
        onGone.run();
      }
    }
    return () -> watching.remove(onGone);
  }

  @Override
  public Optional<String> relayNode() {
    return relaying ? Optional.of(nodeId) : Optional.empty();
  }

  @Override
  public Optional<NameRecord> knownHolder(String name) {
    NameRecord r = known.get(name);
    if (r != null && dead.contains(r.nodeId())) {
      forget(name, r);
      return Optional.empty();
    }
    if (r == null) {
      lookUp(name);
    }
    return Optional.ofNullable(r);
  }

  @Override
  public void forget(String name, NameRecord stale) {
    if (known.remove(name, stale)) {
      doubted.add(name);
      lookUp(name);
    }
  }

  @Override
  public boolean holderInDoubt(String name) {
    return doubted.contains(name);
  }

  /** Remembers {@code holder} as {@code name}'s (bounded: past the bound everything is forgotten at once). */
  private void learn(String name, NameRecord holder) {
    if (known.size() >= KNOWN_MAX && !known.containsKey(name)) {
      known.clear();
      doubted.clear();
    }
    known.put(name, holder);
    doubted.remove(name);
  }

  /** Learns {@code name}'s holder in the background (one lookup at a time per name). */
  private void lookUp(String name) {
    if (lookingUp.add(name)) {
      map.getAsync(name).whenComplete((raw, err) -> {
        lookingUp.remove(name);
        if (err == null) {
          liveHolder(raw).ifPresent(holder -> {
            if (!known.containsKey(name)) {
              learn(name, holder);
            }
          });
        }
      });
    }
  }

  /**
   * Removes this member's cluster-wide registrations of {@code address} from Vert.x's
   * subscription map (the consumer itself stays open and answers), then waits
   * {@link ClusterOptions#getRouteGrace}: the other members drop the route when Hazelcast's entry
   * event reaches them, and stop sending there. Vert.x removes a consumer's local handler before
   * its subscription, and drops a message that arrives in between without an answer; withdrawing
   * the subscription first closes that gap. Bounded by the operation timeout; a failure leaves
   * the route to the consumer's own unregistration, as before.
   */
  @Override
  public Future<Void> withdrawRoute(String address) {
    if (!(vertx instanceof VertxInternal internal) || internal.clusterManager() == null) {
      return Future.succeededFuture();
    }
    ClusterManager manager = internal.clusterManager();
    String self = manager.getNodeId();
    Promise<List<RegistrationInfo>> found = Promise.promise();
    manager.getRegistrations(address, found);
    return found.future().compose(list -> {
      List<Future<Void>> removals = new ArrayList<>();
      for (RegistrationInfo info : list) {
        if (self.equals(info.nodeId()) && !info.localOnly()) {
          Promise<Void> removed = Promise.promise();
          manager.removeRegistration(address, info, removed);
          removals.add(removed.future());
        }
      }
      if (removals.isEmpty()) {
        return Future.<Void>succeededFuture();
      }
      Future<Void> all = Future.all(removals).mapEmpty();
      return routeGrace.isZero() ? all : all.compose(v -> vertx.timer(routeGrace.toMillis()).<Void>mapEmpty());
    }).timeout(timeout.toMillis() + routeGrace.toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> Future<T> guard(Future<T> f, String op, String name) {
    return f.recover(t -> {
      if (t instanceof SupervisorException) {
        return Future.failedFuture(t);
      }
      String why = t instanceof TimeoutException ? "no answer within " + timeout.toMillis() + " ms" : String.valueOf(t);
      return Future.failedFuture(new io.vertx.core.VertxException(op + " of name '" + name + "' failed: " + why, t));
    });
  }
}
