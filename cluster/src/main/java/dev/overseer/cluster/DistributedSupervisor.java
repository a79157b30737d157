package dev.overseer.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import dev.overseer.ChildCount;
import dev.overseer.ChildHandle;
import dev.overseer.ChildInfo;
import dev.overseer.ChildSpec;
import dev.overseer.ChildStatus;
import dev.overseer.DynamicSupervisor;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.ExitReason;
import dev.overseer.Overseer;
import dev.overseer.RestartType;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorEvent;
import dev.overseer.SupervisorException;
import dev.overseer.cluster.impl.DistributedControl;
import dev.overseer.cluster.impl.HazelcastConfigs;
import dev.overseer.cluster.impl.LocalPartitions;
import dev.overseer.cluster.impl.HigherEpochMergePolicy;
import dev.overseer.cluster.impl.MoveBatchOp;
import dev.overseer.cluster.impl.OwnershipRecord;
import dev.overseer.cluster.impl.OwnershipTable;
import dev.overseer.impl.ControlEndpoint;
import dev.overseer.impl.Contexts;
import dev.overseer.cluster.impl.OwnershipRecord.Cause;
import dev.overseer.cluster.impl.Reconciler;
import dev.overseer.cluster.impl.TableOp;
import dev.overseer.impl.IntensityWindow;
import dev.overseer.server.Server;
import dev.overseer.server.ServerHandoff;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A dynamic supervisor whose children are spread over the members of a Hazelcast-clustered
 * Vert.x: works like Elixir Horde's {@code DynamicSupervisor} (and so like a
 * {@link DynamicSupervisor} per member), with state that moves with the child and a single owner
 * per child. Deploy one, with the same name and options, on every member that should run
 * children:
 *
 * <pre>{@code
 * // OverseerCluster.start(options) builds a safe config; with your own, enable advanced networking
 * // (docs/cluster.md, "Your own Hazelcast config") and add the supervisor's map configs:
 * Config config = DistributedSupervisor.configure(myConfig(), 2);       // before the cluster starts
 * // ... a clustered Vert.x on HazelcastClusterManager(config) ...
 * DistributedSupervisor sup = new DistributedSupervisor(hazelcast, new DistributedSupervisorOptions()
 *     .setName("counters").addAllowedVerticle(CounterServer.class.getName()).setExpectedMembers(3));
 * vertx.deployVerticle(sup)
 *   .compose(id -> sup.startChild(ChildSpec.verticle("counter-1", CounterServer.class.getName())));
 * }</pre>
 *
 * <h2>How it works (Horde's model: small parts, not a second engine)</h2>
 * <ul>
 *   <li><b>A table.</b> One Hazelcast map row per child ({@code overseer.ds.<name>.children}):
 *       its spec, its owner (a Vert.x node id, stable across merges, never the Hazelcast member
 *       UUID) and an epoch. Rows change only through {@link TableOp} compare-and-set entry
 *       processors; every change raises the epoch, deletion leaves a tombstone, and a split heals
 *       by keeping the higher epoch ({@link HigherEpochMergePolicy}).</li>
 *   <li><b>Local supervisors.</b> Each member runs the children it owns under core
 *       {@link DynamicSupervisor}s, which restart them in place as usual: a few of them
 *       ({@link DistributedSupervisorOptions#setLocalPartitions}, a child's chosen by its id), so
 *       that children of different partitions stop concurrently. Their intensity is
 *       unbounded: the budget is per child ({@link DistributedSupervisorOptions#getChildIntensity()}
 *       restarts in {@link DistributedSupervisorOptions#getChildPeriod()}), and a child past it
 *       is stopped and marked failed while its siblings run on.</li>
 *   <li><b>Membership.</b> A members map says who runs this supervisor; Hazelcast's membership
 *       events say who is alive. A {@link Placement} (rendezvous hashing by default) maps a child
 *       to one live supervisor member.</li>
 *   <li><b>Reconcile.</b> On every membership change, every row change and on a timer, each member
 *       compares the table with what it runs ({@link Reconciler}) and starts, stops or takes over
 *       children. A dead owner's children are taken over by their placement's choice as soon as
 *       Hazelcast removes the member; a compare-and-set on the epoch makes the takeover single.</li>
 *   <li><b>Fencing.</b> A child's state in a stash is claimed by every new incarnation, which
 *       raises the stash entry's epoch: the previous owner's writes are then rejected. A member
 *       without quorum, or one merging back after a split, stops its children at once.</li>
 *   <li><b>Graceful leave.</b> Undeploying (or {@code vertx.close()}) leaves the members map first,
 *       stops each local child (its {@code terminate} runs and its state is saved) and moves its
 *       row to the next owner, which starts it from the row change without waiting for failure
 *       detection.</li>
 * </ul>
 *
 * <p>Operations answer cluster-wide from any member and over the event bus at
 * {@link DistributedSupervisorOptions#getControlAddress()} (same requests and replies as a core
 * supervisor's control address). As a {@link DynamicSupervisor}: {@code terminateChild} deletes
 * the child, {@code restartChild} and {@code deleteChild} fail with
 * {@link SupervisorError#UNSUPPORTED}. Children start only from a verticle name the options allow
 * (a spec may be written by any member). Requests to other members carry
 * {@link DistributedSupervisorOptions#getRequestTimeout()}: a dead member's requests time out
 * rather than fail fast.
 */
public final class DistributedSupervisor extends VerticleBase {

  /** The member attribute vertx-hazelcast stores the Vert.x node id in. */
  public static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";
  /** Prefix of the ownership tables' map names. */
  public static final String TABLE_PREFIX = "overseer.ds.";
  /** Prefix of the supervisor-members maps' names. */
  public static final String MEMBERS_PREFIX = "overseer.dsm.";
  /** Name of the split-brain protection {@link #configure} adds. */
  public static final String SPLIT_BRAIN_PROTECTION = "overseer.ds.quorum";
  /** Config key under which a child receives {@code {supervisor, node, epoch}}. */
  public static final String CONFIG_KEY = "overseer.ds";

  private static final System.Logger LOG = System.getLogger("dev.overseer.cluster.DistributedSupervisor");

  private final HazelcastInstance hazelcast;
  private final DistributedSupervisorOptions options;
  private final Quorum quorum;
  private final List<Handler<SupervisorEvent>> listeners = new CopyOnWriteArrayList<>();

  private String nodeId;
  private IMap<String, HazelcastJsonValue> table;
  /** The table's operations (see {@link OwnershipTable}). */
  private OwnershipTable ownership;
  private IMap<String, String> members;
  private LocalPartitions local;
  private final List<UUID> hzListeners = new ArrayList<>();
  private UUID membershipListener;
  private UUID lifecycleListener;
  private UUID membersListener;
  private MessageConsumer<Object> controlConsumer;
  private MessageConsumer<Object> nodeConsumer;
  private long reconcileTimer = -1;
  private long rebalanceTimer = -1;
  private long membershipTimer = -1;
  /** Tells this supervisor when a local {@code Server} child's stop has saved and released (see {@link #onReleased}). */
  private ServerHandoff handoffHook;
  /** How often {@link #checkMembership} also looks at Hazelcast's member list on its own. */
  private static final long MEMBERSHIP_CHECK_MILLIS = 100;
  /** Hazelcast's members (with a Vert.x node id) as {@link #checkMembership} last saw them, by node id. */
  private Map<String, Member> seenMembers = Map.of();
  /** What the web console reads (members, rows, moves); registered once deployed. */
  private HazelcastClusterView view;

  // Everything below is touched on this verticle's context only.
  private final Map<String, OwnershipRecord> rows = new HashMap<>();
  private final Map<String, LocalChild> running = new HashMap<>();
  private final Set<String> supervisorMembers = new HashSet<>();
  private final Map<String, Long> removedAt = new HashMap<>();
  /** Members-map events heard while a snapshot of it is being read (see {@link #reload}). */
  private final List<Map.Entry<String, Boolean>> memberEvents = new ArrayList<>();
  private int reloadsInFlight;
  private final Map<String, IntensityWindow> startFailures = new HashMap<>();
  /**
   * The children being started here because their row was handed here (a handoff, a
   * rebalance), at that epoch, on the first attempt: their {@code Server}s may claim the stash while
   * they register their names ({@link ServerHandoff#movedHere}). Read on the servers' contexts.
   */
  private final Map<String, Long> movingHere = new java.util.concurrent.ConcurrentHashMap<>();
  /** The epoch of each child's last start here as a handoff's (see {@link #movingHere}): once per epoch. */
  private final Map<String, Long> movedTried = new HashMap<>();
  /**
   * The epoch at which each child last started here (while its row is ours): a failed start of
   * a row at that epoch is a restart (after a lost quorum or a merge), never the failed first
   * start of a {@code startChild}, which alone deletes the child.
   */
  private final Map<String, Long> startedHere = new HashMap<>();
  private Set<String> clusterMembers = new HashSet<>();
  private boolean leaving;
  private boolean merging;
  /**
   * Set on Hazelcast's own thread at {@code MERGING}, cleared at {@code MERGED} or
   * {@code MERGE_FAILED}: a merging member resets its member list to itself without any removal
   * event, and {@link #checkMembership} must not take that for the others' departure.
   */
  private volatile boolean hazelcastMerging;
  private boolean ready;
  private boolean stale = true;
  /** A {@link #reload} is reading the table (at most one at a time from {@link #reconcile}). */
  private boolean reloading;
  /** A reconcile waits for this member's lease (see {@link #reconcileOnceLeased}). */
  private boolean awaitingLease;
  /** The leaving member's handoff, once the leave has begun. */
  private Departure departure;
  /** Takeovers sent to the table and not answered yet ({@code id@epoch}). */
  private final Set<String> taking = new HashSet<>();
  /**
   * The local supervisor stops its children itself (a raw {@code vertx.close()} runs its close
   * hook before anything else): pacing a handoff of children already stopped would only delay it.
   */
  private volatile boolean localClosing;
  /** The leave, once begun (see {@link #leave()}). */
  private volatile Future<Void> left;

  /** A child this member runs or is starting. */
  private static final class LocalChild {
    final long epoch;
    final RestartType restart;
    final IntensityWindow budget;
    /** When this member began starting it (epoch ms): splits a move's time into table and start. */
    final long requestedAt = System.currentTimeMillis();
    Future<Void> started;
    Future<Void> stopped;
    /**
     * Completed when a stopping {@code Server} child has saved its state and released its name,
     * before its stop is done ({@link ServerHandoff}): a handoff may move its row from then on.
     */
    final Promise<Void> released = Promise.promise();
    /** Stopped for good here: its restart budget ran out, and its row is about to be marked failed. */
    boolean failing;

    LocalChild(long epoch, RestartType restart, IntensityWindow budget) {
      this.epoch = epoch;
      this.restart = restart;
      this.budget = budget;
    }
  }

  /**
   * @param hazelcast the Hazelcast instance of this member's cluster manager (vertx-hazelcast's
   *     {@code HazelcastClusterManager.getHazelcastInstance()}), configured by {@link #configure}
   * @param options the options, the same on every member; copied
   */
  public DistributedSupervisor(HazelcastInstance hazelcast, DistributedSupervisorOptions options) {
    this.hazelcast = java.util.Objects.requireNonNull(hazelcast, "hazelcast");
    this.options = new DistributedSupervisorOptions(java.util.Objects.requireNonNull(options, "options"));
    this.quorum = this.options.quorum();
  }

  /**
   * Adds to a Hazelcast configuration what distributed supervisors need on <em>every</em> member,
   * before the member starts; {@link OverseerCluster} calls it with {@link ClusterOptions#getQuorum()}.
   * The ownership tables ({@value #TABLE_PREFIX}{@code *}) and the stashes
   * ({@code overseer.stash.*}) heal a split by keeping the entry with the higher epoch
   * ({@link HigherEpochMergePolicy}); with {@code quorum} 2 or more, a split-brain protection
   * rejects their reads and writes on a side with fewer members, so a minority can neither move a
   * child nor write a child's state. Their backups are synchronous, as many as Overseer's other
   * maps have ({@code overseer.*}, default 1). The entry processors' serializer factory is the
   * bootstrap's ({@code OverseerSerializers}).
   *
   * @param config the configuration to change
   * @param quorum the members a side needs to use the tables and stashes; 0 or 1 for no protection
   * @return {@code config}
   */
  public static Config configure(Config config, int quorum) {
    MapConfig base = config.getMapConfigs().get(HazelcastConfigs.MAP_PREFIX + "*");
    int backups = base == null ? 1 : Math.max(1, base.getBackupCount());
    if (quorum > 1) {
      config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true, quorum)
          .setProtectOn(SplitBrainProtectionOn.READ_WRITE));
    }
    for (String pattern : List.of(TABLE_PREFIX + "*", HazelcastConfigs.MAP_PREFIX + "stash.*")) {
      MapConfig map = new MapConfig(pattern)
          .setBackupCount(backups)
          .setAsyncBackupCount(0)
          .setReadBackupData(false)
          .setMergePolicyConfig(new MergePolicyConfig(HigherEpochMergePolicy.class.getName(), MergePolicyConfig.DEFAULT_BATCH_SIZE));
      if (quorum > 1) {
        map.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
      }
      config.addMapConfig(map);
    }
    return config;
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public Future<?> start() {
    String name = options.getName();
    if (name == null || name.isBlank()) {
      return Future.failedFuture(new SupervisorException(SupervisorError.INVALID_SPEC, "name: a distributed supervisor needs a name"));
    }
    if (options.getAllowedVerticles().isEmpty()) {
      return Future.failedFuture(new SupervisorException(SupervisorError.INVALID_SPEC,
          "allowedVerticles: name the verticle classes children may start from"));
    }
    if (options.getChildIntensity() < 0 || !positive(options.getChildPeriod()) || !positive(options.getRequestTimeout())
        || !positive(options.getStartTimeout())
        || !positive(options.getReconcileInterval()) || !positive(options.getRebalanceInterval()) || options.getRebalanceMoves() < 1
        || options.getHandoffConcurrency() < 0 || !positive(options.getHandoffTimeout())
        || options.getLocalPartitions() < 1 || options.getLocalPartitions() > DistributedSupervisorOptions.MAX_LOCAL_PARTITIONS) {
      return Future.failedFuture(new SupervisorException(SupervisorError.INVALID_SPEC,
          "childIntensity >= 0, rebalanceMoves >= 1, handoffConcurrency >= 0, localPartitions from 1 to "
              + DistributedSupervisorOptions.MAX_LOCAL_PARTITIONS + " and positive childPeriod, requestTimeout,"
              + " reconcileInterval, rebalanceInterval, handoffTimeout required"));
    }
    Object id = hazelcast.getCluster().getLocalMember().getAttribute(NODE_ID_ATTRIBUTE);
    if (id == null) {
      return Future.failedFuture(new IllegalStateException("the Hazelcast instance is not a Vert.x cluster member (no " + NODE_ID_ATTRIBUTE + ")"));
    }
    nodeId = id.toString();
    view = HazelcastClusterView.install(vertx, hazelcast);
    table = hazelcast.getMap(TABLE_PREFIX + name + ".children");
    ownership = new OwnershipTable(context, hazelcast, table, name, options.getStartTimeout(), this::see, this::checkUsable);
    members = hazelcast.getMap(MEMBERS_PREFIX + name);
    clusterMembers = liveClusterMembers();

    // The local supervisor never gives up (budgets are per child) and has no guessable control
    // address: starting a child must go through the table.
    DynamicSupervisorOptions localOptions = new DynamicSupervisorOptions()
        .setName("ds." + name + "@" + nodeId)
        .setIntensity(Integer.MAX_VALUE)
        .setPeriod(Duration.ofMillis(1))
        .setControlAddress("overseer.ds.local." + UUID.randomUUID())
        .setPublishEvents(false)
        .setChildLoop(options.getChildLoop());
    local = new LocalPartitions(localOptions, options.getLocalPartitions());
    local.addListener(event -> context.runOnContext(v -> onLocalEvent(event)));

    // Deployed from a context of no deployment, so it is not a child deployment of this one:
    // Vert.x undeploys child deployments BEFORE the parent's stop(), which would stop every child
    // at once before a paced leave could begin. This supervisor's stop() undeploys it.
    return dev.overseer.impl.Contexts.detached(vertx, context).compose(launch -> {
      Promise<Void> deployed = Promise.promise();
      launch.runOnContext(v -> local.deploy(vertx).onComplete(deployed));
      return dev.overseer.impl.Contexts.on(context, deployed.future());
    }).compose(dep -> {
      listen();
      handoffHook = new ServerHandoff() {
        @Override
        public void released(Server<?> server) {
          ChildMark mark = childOn(Vertx.currentContext());
          if (mark != null) {
            context.runOnContext(v -> onReleased(mark.child(), mark.epoch()));
          }
        }

        @Override
        public boolean movedHere(Server<?> server) {
          ChildMark mark = childOn(Vertx.currentContext());
          return mark != null && Long.valueOf(mark.epoch()).equals(movingHere.get(mark.child()));
        }
      };
      Overseer.addServerHandoff(vertx, handoffHook);
      controlConsumer = vertx.eventBus().consumer(controlAddress(), new DistributedControl(this, options.isRevealConfig()));
      nodeConsumer = vertx.eventBus().consumer(nodeAddress(nodeId), this::onNode);
      return Future.all(controlConsumer.completion(), nodeConsumer.completion());
    }).compose(v -> {
      ready = true;
      view.register(this);
      reconcileTimer = vertx.setPeriodic(options.getReconcileInterval().toMillis(), t -> {
        if (stale) {
          reload();
        } else {
          // The members map is tiny: re-read it, so a missed entry event costs one interval. Merged
          // with the events heard meanwhile, which are newer than the snapshot.
          reloadsInFlight++;
          blocking(() -> new HashSet<>(members.keySet())).onComplete(ar -> {
            if (ar.succeeded() && !leaving) {
              supervisorMembers.clear();
              supervisorMembers.addAll(ar.result());
              replayMemberEvents();
            }
            if (--reloadsInFlight == 0) {
              memberEvents.clear();
            }
            reconcile();
          });
        }
      });
      // Without quorum the table cannot be read yet: the supervisor starts anyway and reads it
      // once the cluster is large enough.
      return reload().otherwiseEmpty();
    }).onFailure(err -> {
      if (handoffHook != null) {
        Overseer.removeServerHandoff(vertx, handoffHook);
      }
      // Not a child deployment: a failed start must not leave it behind.
      local.undeploy(vertx);
    });
  }

  /** Registers this member and reads the members and the whole table again, then reconciles. */
  private Future<Void> reload() {
    stale = true;
    reloading = true;
    reloadsInFlight++;
    // A snapshot read without quorum (a merge may still be bringing rows in) is used, but not
    // trusted: the first reconcile with quorum reads the table again.
    boolean quorateAtRead = quorate();
    boolean[] again = {false};
    return blocking(() -> {
      members.set(nodeId, new JsonObject().put("joinedAt", System.currentTimeMillis()).encode());
      return Map.entry(new HashSet<>(members.keySet()), ownership.readAll());
    }).map(loaded -> {
      clusterMembers = liveClusterMembers();
      stale = !quorateAtRead;
      again[0] = stale && quorate();
      // Merge, don't overwrite: an entry event that arrived while the snapshot was read is newer
      // than the snapshot, and a plain clear+addAll would wipe it for good.
      supervisorMembers.clear();
      supervisorMembers.addAll(loaded.getKey());
      replayMemberEvents();
      loaded.getValue().values().forEach(this::see);
      reconcile();
      return (Void) null;
    }).onFailure(err -> LOG.log(System.Logger.Level.INFO, "distributed supervisor '" + options.getName()
        + "': the table cannot be read yet (" + err.getMessage() + "); retrying"))
        .onComplete(ar -> {
          reloading = false;
          if (--reloadsInFlight == 0) {
            memberEvents.clear();
          }
          if (again[0] && !leaving) {
            reload(); // the quorum came back while an untrusted snapshot was read
          }
        });
  }

  /** Applies, in order, the members-map events heard while a snapshot was being read. */
  private void replayMemberEvents() {
    for (Map.Entry<String, Boolean> e : memberEvents) {
      if (e.getValue()) {
        supervisorMembers.add(e.getKey());
      } else if (!e.getKey().equals(nodeId)) {
        supervisorMembers.remove(e.getKey());
      }
    }
  }

  private void listen() {
    seenMembers = nodeMembers();
    membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        context.runOnContext(v -> {
          String id = String.valueOf(event.getMember().getAttribute(NODE_ID_ATTRIBUTE));
          if (checkMembership().contains(id)) {
            return; // already acted on, from the member list
          }
          // A late event about a member that has died since must not wipe its removal time.
          if (seenMembers.containsKey(id)) {
            removedAt.remove(id);
          }
          onMembership(event.getMember(), false);
        });
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        long now = System.currentTimeMillis();
        context.runOnContext(v -> {
          String id = String.valueOf(event.getMember().getAttribute(NODE_ID_ATTRIBUTE));
          boolean acted = checkMembership().contains(id);
          if (!seenMembers.containsKey(id)) {
            // the earlier of this event and checkMembership's own sighting
            removedAt.merge(id, now, Math::min);
          }
          if (!acted) {
            onMembership(event.getMember(), true);
          }
        });
      }
    });
    membershipTimer = vertx.setPeriodic(MEMBERSHIP_CHECK_MILLIS, t -> checkMembership());
    lifecycleListener = hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.MERGING) {
        hazelcastMerging = true;
        context.runOnContext(v -> onMerging());
      } else if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        hazelcastMerging = false;
        context.runOnContext(v -> onMerged());
      } else if (event.getState() == LifecycleEvent.LifecycleState.MERGE_FAILED) {
        // no longer merging either way (as MemberLease): read the table again, as after a merge
        hazelcastMerging = false;
        context.runOnContext(v -> onMerged());
      }
    });
    TableListener tl = new TableListener();
    hzListeners.add(table.addEntryListener(tl, true));
    membersListener = members.addEntryListener(new MembersListener(), false);
  }

  /**
   * Row changes: hop to the context, remember the newest row, act on it. A split-brain merge
   * changes rows too, and tells only {@link EntryMergedListener}s.
   */
  private final class TableListener implements EntryAddedListener<String, HazelcastJsonValue>,
      EntryUpdatedListener<String, HazelcastJsonValue>, EntryMergedListener<String, HazelcastJsonValue> {
    @Override
    public void entryAdded(EntryEvent<String, HazelcastJsonValue> event) {
      changed(event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, HazelcastJsonValue> event) {
      changed(event.getValue());
    }

    @Override
    public void entryMerged(EntryEvent<String, HazelcastJsonValue> event) {
      changed(event.getValue());
    }

    private void changed(HazelcastJsonValue value) {
      if (value == null) {
        return;
      }
      OwnershipRecord row = OwnershipRecord.fromJson(value.getValue());
      context.runOnContext(v -> {
        // A burst of row events (a survivor taking a dead member's rows) is queued on Hazelcast's
        // event threads ahead of this member's own membership event: look at the member list now.
        checkMembership();
        see(row);
        actOn(row.id());
        view.changed();
      });
    }
  }

  /** Supervisor members joining and leaving. */
  private final class MembersListener implements EntryAddedListener<String, String>, EntryRemovedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> event) {
      String id = event.getKey();
      context.runOnContext(v -> {
        if (reloadsInFlight > 0) {
          memberEvents.add(Map.entry(id, true));
        }
        boolean isNew = supervisorMembers.add(id);
        view.changed();
        if (isNew && !id.equals(nodeId) && options.isRebalanceOnJoin()) {
          startRebalance();
        }
      });
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> event) {
      String id = event.getKey();
      context.runOnContext(v -> {
        if (reloadsInFlight > 0) {
          memberEvents.add(Map.entry(id, false));
        }
        if (id.equals(nodeId)) {
          // Removed by a member that thought us gone (a pause) or by a race: we are here, say so again.
          if (ready && !leaving) {
            Future.fromCompletionStage(members.setAsync(nodeId, new JsonObject().put("joinedAt", System.currentTimeMillis()).encode()),
                context).onFailure(err -> stale = true);
          }
        } else {
          supervisorMembers.remove(id);
        }
        view.changed();
      });
    }
  }

  @Override
  public Future<?> stop() {
    return leave().eventually(() -> {
      // Vert.x cancels this verticle's timers once it is undeployed: a caller's operation still
      // waiting for a backup replica is answered now instead of never.
      if (ownership != null) {
        ownership.failWaiting("distributed supervisor '" + options.getName() + "' stopped on this member");
      }
      return release();
    });
  }

  /**
   * Leaves gracefully (what {@link #stop()} does first): this member leaves the supervisor's
   * members, and its children are handed off, in waves of {@code handoffConcurrency}. The
   * supervisor stays deployed but starts nothing any more. {@link OverseerCluster#close()} calls
   * it before closing Vert.x, whose close would otherwise stop every local child at once first
   * (the local supervisor's own close hook). Idempotent.
   *
   * @return completes when every child was handed off, or left for failover
   */
  synchronized Future<Void> leave() {
    if (left != null) {
      return left;
    }
    Promise<Void> done = Promise.promise();
    left = done.future();
    context.runOnContext(v -> doLeave().onComplete(done));
    return left;
  }

  private Future<Void> doLeave() {
    leaving = true;
    vertx.cancelTimer(reconcileTimer);
    vertx.cancelTimer(rebalanceTimer);
    vertx.cancelTimer(membershipTimer);
    long since = System.currentTimeMillis();
    // Leave the members map, so no one places a child here any more; the children stop at the
    // same time (not after it: a Hazelcast write on a loaded machine is tens of ms every child
    // would wait for). A child placed here meanwhile is refused (leaving) and taken over by a
    // survivor once this member is gone, as before.
    Future<Void> membersLeft = blocking(() -> {
      members.delete(nodeId);
      return null;
    });
    departure = new Departure(vertx, options, nodeId, new Departure.Supervisor() {
      @Override
      public Map<String, Long> localEpochs() {
        Map<String, Long> epochs = new HashMap<>();
        running.forEach((id, c) -> epochs.put(id, c.epoch));
        return epochs;
      }

      @Override
      public Long epochOf(String id) {
        LocalChild child = running.get(id);
        return child == null ? null : child.epoch;
      }

      @Override
      public Map<String, Future<Void>> stopLocal(Collection<String> ids) {
        return DistributedSupervisor.this.stopLocal(ids);
      }

      @Override
      public Future<Void> movable(String id, Future<Void> stop) {
        LocalChild child = running.get(id);
        // a Server child may move once it has saved and released its name (see onReleased); on
        // this context: a stop cut short by vert.x's close completes on the local supervisor's
        return Contexts.on(context, child == null ? stop : Future.any(stop, child.released.future()).mapEmpty());
      }

      @Override
      public Future<Boolean> moveAway(String id, long epoch, long at, Cause cause) {
        return moveAwayResult(id, epoch, at, cause);
      }

      @Override
      public Future<Void> stopAll() {
        return local.undeploy(vertx).andThen(ar -> running.clear());
      }

      @Override
      public boolean localClosing() {
        return localClosing;
      }
    }, since);
    return Future.join(departure.run(), membersLeft.recover(err -> Future.succeededFuture())).<Void>mapEmpty();
  }

  private Future<Void> release() {
    if (view != null) {
      view.unregister(this);
    }
    if (handoffHook != null) {
      Overseer.removeServerHandoff(vertx, handoffHook);
    }
    if (membershipListener != null) {
      hazelcast.getCluster().removeMembershipListener(membershipListener);
    }
    if (lifecycleListener != null) {
      hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
    }
    for (UUID l : hzListeners) {
      table.removeEntryListener(l);
    }
    if (membersListener != null) {
      members.removeEntryListener(membersListener);
    }
    List<Future<?>> all = new ArrayList<>();
    if (controlConsumer != null) {
      all.add(controlConsumer.unregister());
    }
    if (nodeConsumer != null) {
      all.add(nodeConsumer.unregister());
    }
    // The local supervisor was undeployed by the leave (it is not a child deployment of this one).
    return Future.join(all).mapEmpty();
  }

  /**
   * Stops a local child (its terminate runs and its state is saved) and moves its row to the
   * member the placement picks among the others; that member starts it when it sees the row.
   */
  private Future<Void> handOff(String id, long since, Cause cause) {
    LocalChild child = running.get(id);
    if (child == null) {
      return Future.succeededFuture();
    }
    return stopLocal(id).compose(v -> moveAway(id, child.epoch, since, cause));
  }

  /** Which of our children, at which epoch, a context runs. */
  private record ChildMark(String child, long epoch) {
  }

  /**
   * @return the child of ours that {@code on} runs, or {@code null}: its deployment config says
   *     which child it is, and the context must be that child's own (a server started by our child
   *     with the same config, passed on, is not it)
   */
  private ChildMark childOn(Context on) {
    JsonObject config = on == null ? null : on.config();
    Object mark = config == null ? null : config.getValue(CONFIG_KEY);
    if (mark instanceof JsonObject m && options.getName().equals(m.getValue("supervisor"))
        && nodeId.equals(m.getValue("node")) && m.getValue("child") instanceof String child
        && m.getValue("epoch") instanceof Number epoch
        && ChildHandle.of(on).filter(h -> local.supervisorNameOf(child).equals(h.supervisorName()) && child.equals(h.id()))
        .isPresent()) {
      return new ChildMark(child, epoch.longValue());
    }
    return null;
  }

  /**
   * A local {@code Server} child's stop has saved its state and released its name (told by the
   * {@link ServerHandoff} hook, on this context): while leaving, its row may move now, before its
   * stop is done. What is left of that stop is the withdrawal of its cluster-wide route and
   * {@code ClusterOptions.routeGrace}, during which its consumer answers 503 (retried by
   * {@code ServerRef}) and handles nothing: the successor starts meanwhile, from the saved state.
   */
  private void onReleased(String id, long epoch) {
    LocalChild child = running.get(id);
    if (child == null || child.epoch != epoch) {
      return;
    }
    if (child.stopped != null) {
      // our own stop of it (a wave's): not a stop the local supervisor made to restart it
      child.released.tryComplete();
    }
    if (departure != null && departure.handingOff(id, epoch)) {
      departure.stopped(id);
    }
  }

  /** Moves a stopped child's row from us (at {@code epoch}) to the placement's choice among the others. */
  private Future<Void> moveAway(String id, long epoch, long since, Cause cause) {
    return moveAwayResult(id, epoch, since, cause).mapEmpty();
  }

  /** {@link #moveAway}; the result says whether the row moved. */
  private Future<Boolean> moveAwayResult(String id, long epoch, long since, Cause cause) {
    Set<String> others = new TreeSet<>(liveSupervisorMembers());
    others.remove(nodeId);
    if (others.isEmpty() || !hasQuorum()) {
      // No one to hand over to: the row stays ours and a survivor takes it over when we are gone.
      return Future.succeededFuture(false);
    }
    String to = options.getPlacement().ownerOf(id, others);
    return ownership.move(id, new MoveBatchOp.Move(epoch, to, cause, since)).map(OwnershipTable.Result::applied);
  }

  // ------------------------------------------------------------------ membership and reconcile

  private void onMembership(Member member, boolean removed) {
    clusterMembers = liveClusterMembers();
    if (stale && hasQuorum() && ready && !leaving) {
      reload();
      return;
    }
    Object id = member.getAttribute(NODE_ID_ATTRIBUTE);
    if (removed && id != null && !hazelcast.getCluster().getLocalMember().equals(member)) {
      String gone = id.toString();
      supervisorMembers.remove(gone);
      if (quorate()) {
        // Idempotent: every survivor tries; the member is gone either way.
        Future.fromCompletionStage(members.removeAsync(gone), context).onFailure(err -> { });
      }
    }
    reconcile();
  }

  /**
   * Acts on a member that left or joined as soon as Hazelcast's member list shows it, without
   * waiting for the membership event. Hazelcast delivers that event on its event threads, behind
   * the entry events queued there: after a SIGKILL, the other survivor's takeover of the dead
   * member's rows fills those queues, and one survivor heard of the removal 0.6 s, once 1.8 s,
   * after its member list had changed (FailoverBench, 2 of 8 kills): its share of the children
   * waited that long. Called from the membership listener, each row event and a
   * {@value #MEMBERSHIP_CHECK_MILLIS} ms timer; compares Vert.x node ids (stable across merges,
   * unlike Hazelcast's member UUIDs), so a merge that only renews UUIDs is no change here. Skipped
   * from Hazelcast's {@code MERGING} to {@code MERGED}: a merging member's list is itself alone
   * meanwhile, which Hazelcast reports as no removal, and neither may this.
   *
   * @return the node ids it acted on (left or joined), so a membership event does not act twice
   */
  private Set<String> checkMembership() {
    // While merging, the member list is this member alone until the merge is done: no departure.
    if (!ready || leaving || merging || hazelcastMerging || !hazelcast.getLifecycleService().isRunning()) {
      return Set.of();
    }
    Map<String, Member> now;
    try {
      now = nodeMembers();
    } catch (com.hazelcast.core.HazelcastInstanceNotActiveException stopped) {
      return Set.of();
    }
    if (now.keySet().equals(seenMembers.keySet())) {
      return Set.of();
    }
    Map<String, Member> before = seenMembers;
    seenMembers = now;
    long at = System.currentTimeMillis();
    Set<String> changed = new HashSet<>();
    before.forEach((id, m) -> {
      if (!now.containsKey(id)) {
        changed.add(id);
        removedAt.merge(id, at, Math::min);
        onMembership(m, true);
      }
    });
    now.forEach((id, m) -> {
      if (!before.containsKey(id)) {
        changed.add(id);
        removedAt.remove(id);
        onMembership(m, false);
      }
    });
    return changed;
  }

  /** @return Hazelcast's members that carry a Vert.x node id, by node id (a read of the local member list) */
  private Map<String, Member> nodeMembers() {
    Map<String, Member> byId = new HashMap<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      Object id = m.getAttribute(NODE_ID_ATTRIBUTE);
      if (id != null) {
        byId.put(id.toString(), m);
      }
    }
    return byId;
  }

  private void onMerging() {
    // We were split off and are joining the larger side, which has moved our children by now:
    // stop them before our copy of anything is merged.
    merging = true;
    for (String id : new ArrayList<>(running.keySet())) {
      stopLocal(id);
    }
  }

  private void onMerged() {
    merging = false;
    clusterMembers = liveClusterMembers();
    // Our copy of the table is older than the merged one: read it all again.
    reload();
  }

  private void reconcile() {
    if (!ready || leaving) {
      return;
    }
    // Cheap (Hazelcast's local member list), and catches a join between start and listen().
    clusterMembers = liveClusterMembers();
    boolean canAct = quorate();
    if (!canAct) {
      // While this side cannot use the table, the majority may move our children, and a merge may
      // bring rows (and stash entries) newer than ours without a row event: what we know goes
      // stale. Once the quorum is back, read the whole table again before acting on any of it,
      // never on the rows remembered from before (issue #10: a member back from a pause, given its
      // quorum by a member still merging into it, restarted children from its stale rows).
      stale = true;
      reconcileOnceLeased();
    } else if (stale) {
      if (!reloading) {
        reload();
      }
      return;
    }
    Map<String, Long> localEpochs = new HashMap<>();
    running.forEach((id, c) -> localEpochs.put(id, c.epoch));
    List<Reconciler.Action> actions = Reconciler.plan(nodeId, rows, localEpochs, clusterMembers,
        liveSupervisorMembers(), canAct, options.getPlacement());
    for (Reconciler.Action a : actions) {
      perform(a);
    }
  }

  /**
   * When the lease is all this member lacks to act (a member that has just joined, or one whose
   * renewal is late), reconciles as soon as the peers confirm it. Without this, what it read
   * without its lease stayed untrusted until the next {@code reconcileInterval} or the next event:
   * a replacement that joined a moment before another member was killed read the whole table
   * only on that removal, and took its share of the dead member's children ~0.5 s later than the
   * other survivors (FailoverBench, 1,000 children).
   */
  private void reconcileOnceLeased() {
    MemberLease lease = MemberLease.of(vertx);
    if (awaitingLease || lease == null || lease.valid() || merging || !quorum.holds(clusterMembers.size())) {
      return;
    }
    awaitingLease = true;
    lease.await(options.getReconcileInterval().toMillis()).onComplete(ar -> context.runOnContext(v -> {
      awaitingLease = false;
      if (ar.succeeded()) {
        reconcile();
      }
    }));
  }

  /** Reconciles one child only: what a row change calls. */
  private void actOn(String id) {
    if (!ready || leaving) {
      return;
    }
    if (stale && quorate()) {
      // one fresh row is no reason to act on the stale others: read them all first
      reconcile();
      return;
    }
    Map<String, Long> localEpochs = new HashMap<>();
    LocalChild c = running.get(id);
    if (c != null) {
      localEpochs.put(id, c.epoch);
    }
    OwnershipRecord row = rows.get(id);
    Map<String, OwnershipRecord> one = row == null ? Map.of() : Map.of(id, row);
    for (Reconciler.Action a : Reconciler.plan(nodeId, one, localEpochs, clusterMembers, liveSupervisorMembers(),
        quorate(), options.getPlacement())) {
      perform(a);
    }
  }

  private void perform(Reconciler.Action a) {
    switch (a.kind()) {
      case STOP:
        stopLocal(a.id());
        break;
      case ENSURE:
        ensure(a.row());
        break;
      case TAKE: {
        OwnershipRecord row = a.row();
        if (!taking.add(row.id() + "@" + row.epoch())) {
          break; // this takeover is already on its way to the table: once is enough
        }
        long since = removedAt.getOrDefault(row.owner(), System.currentTimeMillis());
        ownership.move(row.id(), new MoveBatchOp.Move(row.epoch(), nodeId, Cause.FAILOVER, since))
            .onComplete(ar -> taking.remove(row.id() + "@" + row.epoch())).onSuccess(r -> {
          if (r.applied()) {
            ensure(r.row());
          }
        });
        break;
      }
      default:
        break;
    }
  }

  /**
   * Quorum as this member may act on it: its view counts enough members and, when the member keeps
   * a {@link MemberLease}, a quorum of peers has recently confirmed it is one of them. Without
   * the lease the reconciler stops every local child (as without quorum) until it is renewed.
   */
  private boolean hasQuorum() {
    return quorum.holds(clusterMembers.size()) && MemberLease.holds(vertx);
  }

  /** @return whether this member may act on the table now: it has its quorum and is not merging back */
  private boolean quorate() {
    // hazelcastMerging too: a reconcile queued before onMerging must not act on the reset member list
    return hasQuorum() && !merging && !hazelcastMerging;
  }

  private Set<String> liveClusterMembers() {
    Set<String> ids = new HashSet<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      Object id = m.getAttribute(NODE_ID_ATTRIBUTE);
      if (id != null) {
        ids.add(id.toString());
      }
    }
    return ids;
  }

  /** @return supervisor members that are also cluster members, this one included unless leaving */
  private Set<String> liveSupervisorMembers() {
    Set<String> live = new TreeSet<>();
    for (String m : supervisorMembers) {
      if (clusterMembers.contains(m)) {
        live.add(m);
      }
    }
    if (leaving) {
      live.remove(nodeId);
    } else if (nodeId != null) {
      live.add(nodeId);
    }
    return live;
  }

  private void see(OwnershipRecord row) {
    OwnershipRecord known = rows.get(row.id());
    if (known == null || known.epoch() < row.epoch()) {
      rows.put(row.id(), row);
      if (!row.assigned() || !row.owner().equals(nodeId)) {
        startedHere.remove(row.id());
        movedTried.remove(row.id());
        // its failed starts here no longer count: it is gone, or another member's
        startFailures.remove(row.id());
      }
    }
  }

  private void startRebalance() {
    if (rebalanceTimer >= 0 || leaving) {
      return;
    }
    rebalanceTimer = vertx.setPeriodic(options.getRebalanceInterval().toMillis(), t -> {
      if (leaving || !hasQuorum()) {
        return;
      }
      Set<String> live = liveSupervisorMembers();
      int moves = 0;
      for (String id : new TreeSet<>(running.keySet())) {
        if (moves >= options.getRebalanceMoves()) {
          return;
        }
        if (!nodeId.equals(options.getPlacement().ownerOf(id, live))) {
          moves++;
          handOff(id, System.currentTimeMillis(), Cause.REBALANCE);
        }
      }
      if (moves == 0) {
        vertx.cancelTimer(rebalanceTimer);
        rebalanceTimer = -1;
      }
    });
  }

  // ------------------------------------------------------------------ local children

  /** Starts the row's child here at its epoch, once; completes when it runs. */
  private Future<Void> ensure(OwnershipRecord row) {
    see(row);
    if (leaving || merging || !hasQuorum()) {
      return Future.failedFuture(new SupervisorException(SupervisorError.SHUTTING_DOWN,
          "member " + nodeId + " cannot start children now (leaving, merging or without quorum)"));
    }
    if (!row.assigned() || !nodeId.equals(row.owner())) {
      return Future.failedFuture(new SupervisorException(SupervisorError.NOT_FOUND,
          "child '" + row.id() + "' is not assigned to member " + nodeId));
    }
    LocalChild current = running.get(row.id());
    if (current != null) {
      if (current.stopped != null && current.failing) {
        return Future.failedFuture(new SupervisorException(SupervisorError.START_FAILED,
            "child '" + row.id() + "' exceeded its restart budget on member " + nodeId));
      }
      if (current.stopped != null) {
        // Being stopped (quorum lost, a merge began): its start is history. Start it again once
        // the stop is done; answering the old start would leave the child down for good.
        return current.stopped.compose(v -> {
          if (running.get(row.id()) == current) {
            running.remove(row.id());
          }
          return ensure(rows.getOrDefault(row.id(), row));
        });
      }
      if (current.epoch >= row.epoch()) {
        return current.started;
      }
      // An older incarnation of ours (the child came back to us at a newer epoch): stop it first.
      return stopLocal(row.id()).compose(v -> {
        if (running.get(row.id()) == current) {
          running.remove(row.id());
        }
        return ensure(rows.getOrDefault(row.id(), row));
      });
    }
    ChildSpec spec;
    try {
      spec = childSpec(row);
    } catch (SupervisorException e) {
      ownership.op(row.id(), TableOp.delete(row.epoch(), System.currentTimeMillis()));
      return Future.failedFuture(e);
    }
    LocalChild child = new LocalChild(row.epoch(), spec.restart(),
        new IntensityWindow(options.getChildIntensity(), options.getChildPeriod().toMillis()));
    running.put(row.id(), child);
    // The start's outcome is reported only once the table says so: a failed first start deletes
    // the row before the caller hears START_FAILED (else a caller could still see the row).
    Promise<Void> outcome = Promise.promise();
    child.started = outcome.future();
    warnIfSlow(child.started, "start of child '" + row.id() + "' (epoch " + row.epoch() + ")");
    // Its previous holder stopped, saved and let go of its name before the row moved (a handoff,
    // a rebalance), so the name is free. Not after a failover (its start waits for the stash's
    // backups anyway: nothing to gain, FailoverBench) nor a reclaim (the holder is alive), and
    // only on the first attempt at this epoch (not a retry, not a start again after a lost
    // quorum or a merge): a wrong guess fences a live holder once only.
    Long epoch = row.epoch();
    Long tried = movedTried.get(row.id());
    boolean moved = (row.cause() == Cause.HANDOFF || row.cause() == Cause.REBALANCE)
        && !epoch.equals(startedHere.get(row.id())) && (tried == null || tried < epoch);
    if (moved) {
      movedTried.put(row.id(), epoch);
      movingHere.put(row.id(), epoch);
    }
    local.of(row.id()).startChild(spec).onComplete(ar -> context.runOnContext(v -> {
      movingHere.remove(row.id(), row.epoch());
      if (ar.succeeded()) {
        // A move is announced once: a start again at the same epoch (after a lost quorum or a
        // merge) is a restart where the child already was, not a second failover or handoff.
        boolean arrived = !epoch.equals(startedHere.put(row.id(), epoch));
        view.changed();
        if (arrived) {
          announceMove(row, child.requestedAt);
        }
        outcome.complete();
        return;
      }
      Future<?> recorded = Future.succeededFuture();
      LOG.log(System.Logger.Level.WARNING, "distributed supervisor '" + options.getName() + "': child '" + row.id()
          + "' (epoch " + row.epoch() + ", " + row.cause() + ") failed to start on member " + nodeId + ": " + ar.cause());
      if (running.get(row.id()) == child) {
        running.remove(row.id());
        if (row.cause() == Cause.START && !Long.valueOf(row.epoch()).equals(startedHere.get(row.id()))) {
          // As OTP: a child whose startChild fails is not kept. (A child that started here at
          // this epoch before and fails to start again, after this member lost its quorum or
          // merged back, was started: deleting it would lose it. It is tried again below.)
          recorded = ownership.op(row.id(), TableOp.delete(row.epoch(), System.currentTimeMillis()));
        } else if (!startFailures.computeIfAbsent(row.id(), k -> new IntensityWindow(options.getChildIntensity(),
            options.getChildPeriod().toMillis())).recordRestart(System.nanoTime() / 1_000_000)) {
          // A moved child that keeps failing to start here (its state cannot be loaded…): its budget ran out.
          startFailures.remove(row.id());
          recorded = ownership.op(row.id(), TableOp.fail(row.epoch(), System.currentTimeMillis()));
        }
        // Otherwise the next reconcile starts it again: a move must not lose the child.
      }
      recorded.onComplete(x -> outcome.fail(ar.cause()));
    }));
    return child.started;
  }

  /** Stops a local child (with its shutdown); completes when it has stopped. */
  private Future<Void> stopLocal(String id) {
    LocalChild child = running.get(id);
    if (child == null) {
      return Future.succeededFuture();
    }
    if (child.stopped != null) {
      return child.stopped;
    }
    DynamicSupervisor sup = local.of(id);
    return stopping(id, child, child.started.transform(ar -> sup.terminateChild(id)).recover(err -> afterFailedStop(sup, err)),
        "its start " + (child.started.isComplete() ? "done" : "still pending"));
  }

  /**
   * What a failed local stop leaves to wait for: when {@code vertx.close()} is stopping the local
   * supervisor itself ({@code SHUTTING_DOWN}), its children stop with it; anything else, nothing.
   */
  private Future<Void> afterFailedStop(DynamicSupervisor sup, Throwable err) {
    if (err instanceof SupervisorException && ((SupervisorException) err).error() == SupervisorError.SHUTTING_DOWN) {
      localClosing = true;
      return sup.terminationFuture().<Void>mapEmpty().recover(e -> Future.succeededFuture());
    }
    return Future.succeededFuture();
  }

  /** Records {@code stop} as the local child's stop: it leaves {@code running} when done, and is watched for slowness. */
  private Future<Void> stopping(String id, LocalChild child, Future<Void> stop, String how) {
    child.stopped = stop.andThen(ar -> context.runOnContext(v -> {
      if (running.get(id) == child) {
        running.remove(id);
      }
    }));
    warnIfSlow(child.stopped, "stop of child '" + id + "' (epoch " + child.epoch + ", " + how + ")");
    return child.stopped;
  }

  /**
   * Stops several local children at once (a leaving member's wave): one
   * {@link DynamicSupervisor#terminateChildren} per local supervisor, so that a wave's children of
   * one partition stop side by side. With one {@code terminateChild} each, a local supervisor
   * stopped them one after the other, and the wave's last child of a partition waited for every
   * stop before its own (FailoverBench, 1,000 {@code Server} children in waves of 16 over 4 local
   * partitions: 0.56–0.60 s unavailable per child). A child whose start is still under way stops
   * on its own, as {@link #stopLocal(String)} does, once started.
   *
   * @return each child's stop, by id
   */
  private Map<String, Future<Void>> stopLocal(java.util.Collection<String> ids) {
    Map<String, Future<Void>> out = new HashMap<>();
    Map<DynamicSupervisor, List<String>> byPartition = new java.util.LinkedHashMap<>();
    for (String id : ids) {
      LocalChild child = running.get(id);
      if (child == null) {
        out.put(id, Future.succeededFuture());
      } else if (child.stopped != null || !child.started.isComplete()) {
        // (one still starting stops on its own once started, holding no one else back)
        out.put(id, stopLocal(id));
      } else {
        byPartition.computeIfAbsent(local.of(id), k -> new ArrayList<>()).add(id);
      }
    }
    byPartition.forEach((sup, group) -> {
      List<LocalChild> children = group.stream().map(running::get).toList();
      Future<Void> batch = sup.terminateChildren(group).recover(err -> {
        if (err instanceof SupervisorException && ((SupervisorException) err).error() == SupervisorError.NOT_FOUND) {
          // one of them is gone already (a child that exited for good): the batch stopped
          // nothing; stop the others, still side by side
          return sup.whichChildren().compose(list -> {
            Set<String> there = new HashSet<>();
            list.forEach(c -> there.add(c.id()));
            List<String> left = group.stream().filter(there::contains).toList();
            return left.isEmpty() ? Future.<Void>succeededFuture() : sup.terminateChildren(left);
          }).recover(e -> Future.succeededFuture());
        }
        return afterFailedStop(sup, err);
      });
      for (int i = 0; i < group.size(); i++) {
        out.put(group.get(i), stopping(group.get(i), children.get(i), batch, "in a wave"));
      }
    });
    return out;
  }

  /**
   * Logs a warning if {@code work} is not done within the start timeout: a local start or stop
   * that hangs keeps the child's slot here (it is neither started again nor moved meanwhile), so
   * it is the first thing to look for when a child does not come back.
   */
  private void warnIfSlow(Future<?> work, String what) {
    long limit = options.getStartTimeout().toMillis();
    vertx.setTimer(limit, t -> {
      if (!work.isComplete()) {
        LOG.log(System.Logger.Level.WARNING, "distributed supervisor '" + options.getName() + "' on member " + nodeId
            + ": the " + what + " is not done after " + limit + " ms");
      }
    });
  }

  private void onLocalEvent(SupervisorEvent event) {
    String id = event.childId();
    // Only the stop the shutdown made: a child that exited on its own may still be restarted here.
    if (departure != null && id != null && departure.handingOff(id) && event.type() == SupervisorEvent.Type.CHILD_TERMINATED) {
      departure.stopped(id);
      return;
    }
    LocalChild child = id == null ? null : running.get(id);
    if (child == null || child.stopped != null) {
      return;
    }
    switch (event.type()) {
      case CHILD_RESTARTED:
      case START_FAILED:
        if (child.started.isComplete() && !child.budget.recordRestart(System.nanoTime() / 1_000_000)) {
          LOG.log(System.Logger.Level.ERROR, "distributed supervisor '" + options.getName() + "': child '" + id
              + "' exceeded its restart budget (" + options.getChildIntensity() + " in " + options.getChildPeriod().toMillis()
              + " ms); stopped and marked failed, its siblings run on");
          child.failing = true;
          stopLocal(id).onComplete(ar -> ownership.op(id, TableOp.fail(child.epoch, System.currentTimeMillis())));
        }
        break;
      case CHILD_EXITED:
        ExitReason reason = event.reason();
        boolean gone = child.restart == RestartType.TEMPORARY
            || (child.restart == RestartType.TRANSIENT && (reason == null || !reason.isAbnormal()));
        if (gone) {
          running.remove(id);
          ownership.op(id, TableOp.delete(child.epoch, System.currentTimeMillis()));
        }
        break;
      default:
        break;
    }
  }

  private void announceMove(OwnershipRecord row, long requestedAt) {
    SupervisorEvent.Type type;
    switch (row.cause()) {
      case HANDOFF:
      case REBALANCE:
        type = SupervisorEvent.Type.CHILD_HANDED_OFF;
        break;
      case FAILOVER:
      case RECLAIM:
        type = SupervisorEvent.Type.CHILD_FAILED_OVER;
        break;
      default:
        return;
    }
    long now = System.currentTimeMillis();
    JsonObject details = new JsonObject()
        .put("from", row.from())
        .put("to", row.owner())
        .put("epoch", row.epoch())
        .put("cause", row.cause().name())
        .put("unavailableMillis", Math.max(0, now - row.since()))
        // Where that time went: until this member began the start (failure detection or the
        // stop, the table move, the row event), then the start itself.
        .put("startMillis", Math.max(0, now - requestedAt));
    emit(new SupervisorEvent(type, options.getName(), row.id(), null, 0, Instant.now(), nodeId, null, details));
    if (row.from() != null && !row.from().equals(nodeId) && type == SupervisorEvent.Type.CHILD_HANDED_OFF) {
      // Tells a leaving member pacing its handoff in waves that this child serves again. One-way,
      // and only a hint: a forged one merely starts the next wave sooner (each child still stops
      // before its row moves).
      vertx.eventBus().send(nodeAddress(row.from()), new JsonObject().put("action", "started")
          .put("id", row.id()).put("epoch", row.epoch()));
    }
  }

  private void emit(SupervisorEvent event) {
    view.event(event);
    for (Handler<SupervisorEvent> l : listeners) {
      try {
        l.handle(event);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a distributed supervisor listener failed", e);
      }
    }
    vertx.eventBus().publish(eventsAddress(), event.toJson());
  }

  private ChildSpec childSpec(OwnershipRecord row) {
    ChildSpec spec = ChildSpec.fromJson(row.spec());
    checkAllowed(spec);
    DeploymentOptions deployment = spec.deploymentOptions();
    JsonObject config = deployment.getConfig() == null ? new JsonObject() : deployment.getConfig().copy();
    config.put(CONFIG_KEY, new JsonObject().put("supervisor", options.getName()).put("node", nodeId).put("epoch", row.epoch())
        .put("child", row.id()));
    return spec.withDeploymentOptions(deployment.setConfig(config));
  }

  private void checkAllowed(ChildSpec spec) {
    String name = spec.verticleName();
    if (name == null) {
      throw new SupervisorException(SupervisorError.INVALID_SPEC,
          "start: a distributed child starts from a verticle name (a supplier cannot cross members)");
    }
    String bare = name.startsWith("java:") ? name.substring(5) : name;
    if (!options.getAllowedVerticles().contains(bare) && !options.getAllowedVerticles().contains(name)) {
      throw new SupervisorException(SupervisorError.INVALID_SPEC,
          "verticle: '" + name + "' is not among the allowed verticles of distributed supervisor '" + options.getName() + "'");
    }
  }

  // ------------------------------------------------------------------ operations

  /**
   * Adds a child to the cluster-wide table and starts it on the member the placement picks, as
   * OTP's {@code start_child/2}. Fails with {@link SupervisorError#INVALID_SPEC} (not a verticle
   * name, or not allowed), {@link SupervisorError#ALREADY_STARTED} (a child with this id runs
   * somewhere), {@link SupervisorError#ALREADY_PRESENT} (one with this id failed and is kept),
   * {@link SupervisorError#START_FAILED} (then the child is not kept, as OTP), or
   * {@link SupervisorError#SHUTTING_DOWN} (this member is leaving or has no quorum). When the
   * chosen owner does not answer within the start timeout, fails with START_FAILED although the
   * row is kept: whoever owns the child next starts it.
   *
   * @param spec the child spec; it must start a verticle by name ({@link ChildSpec#verticle}),
   *     since any member may start it
   * @return the child's id
   */
  public Future<String> startChild(ChildSpec spec) {
    java.util.Objects.requireNonNull(spec, "spec");
    return onContext(() -> leaseReady().compose(ready -> {
      checkAllowed(spec);
      // What another member will read back: a spec that does not survive its JSON form is refused here.
      ChildSpec checked = ChildSpec.fromJson(spec.toJson());
      if (checked.id() == null || checked.id().isEmpty()) {
        throw new SupervisorException(SupervisorError.INVALID_SPEC, "id: must not be empty");
      }
      checkAllowed(checked);
      checkUsable();
      String owner = options.getPlacement().ownerOf(checked.id(), liveSupervisorMembers());
      return ownership.backedUpOp(checked.id(), TableOp.create(checked.toJson(), owner, System.currentTimeMillis()), "start").compose(r -> {
        if (!r.applied()) {
          OwnershipRecord row = r.row();
          return Future.failedFuture(row.assigned()
              ? new SupervisorException(SupervisorError.ALREADY_STARTED, "child '" + row.id() + "' runs on member " + row.owner())
              : new SupervisorException(SupervisorError.ALREADY_PRESENT, "child '" + row.id() + "' is kept after exceeding its restart budget"));
        }
        OwnershipRecord row = r.row();
        Future<Void> started = owner.equals(nodeId)
            ? ensure(row)
            : request(owner, new JsonObject().put("action", "ensure").put("id", row.id()).put("epoch", row.epoch()),
                options.getStartTimeout())
                .recover(err -> Future.failedFuture(asSupervisorError(err, "member " + owner + " did not confirm the start of '"
                    + row.id() + "'; the child is recorded and its next owner will start it"))).mapEmpty();
        return started.map(v -> row.id());
      });
    }));
  }

  /**
   * Stops a child wherever it runs and deletes it (a dynamic supervisor's
   * {@code terminate_child/2}); a failed child is deleted too. Fails with
   * {@link SupervisorError#NOT_FOUND}.
   *
   * @param id the child's id
   * @return completes once the child is deleted from the table and, when its owner answers,
   *     stopped there
   */
  public Future<Void> terminateChild(String id) {
    return onContext(() -> leaseReady().compose(ready -> {
      checkUsable();
      return ownership.backedUpOp(id, TableOp.delete(-1, System.currentTimeMillis()), "terminate").compose(r -> {
        if (!r.applied()) {
          return Future.failedFuture(new SupervisorException(SupervisorError.NOT_FOUND, "no child '" + id + "'"));
        }
        String owner = r.row().from();
        if (owner == null) {
          return Future.succeededFuture();
        }
        if (owner.equals(nodeId)) {
          return stopLocal(id);
        }
        if (!clusterMembers.contains(owner)) {
          return Future.succeededFuture();
        }
        // The owner also stops it on seeing the tombstone; asking makes the reply wait for the stop.
        return request(owner, new JsonObject().put("action", "stop").put("id", id)).<Void>mapEmpty()
            .recover(err -> Future.succeededFuture());
      });
    }));
  }

  /**
   * Not supported, as a dynamic supervisor's {@code restart_child/2}: a distributed supervisor
   * deletes a child when it terminates it, so there is no stopped child to restart.
   *
   * @param id the child's id (not used)
   * @return always fails with {@link SupervisorError#UNSUPPORTED}
   */
  public Future<Void> restartChild(String id) {
    return Future.failedFuture(new SupervisorException(SupervisorError.UNSUPPORTED,
        "restartChild: a distributed supervisor is dynamic (terminateChild then startChild)"));
  }

  /**
   * Not supported, as a dynamic supervisor's {@code delete_child/2}:
   * {@link #terminateChild} already deletes.
   *
   * @param id the child's id (not used)
   * @return always fails with {@link SupervisorError#UNSUPPORTED}
   */
  public Future<Void> deleteChild(String id) {
    return Future.failedFuture(new SupervisorException(SupervisorError.UNSUPPORTED,
        "deleteChild: a distributed supervisor is dynamic (terminateChild deletes)"));
  }

  /**
   * Reads a child's spec from the cluster-wide table, as OTP's {@code get_childspec/2}.
   *
   * @param id the child's id
   * @return the child's spec; fails with {@link SupervisorError#NOT_FOUND}
   */
  public Future<ChildSpec> getChildSpec(String id) {
    return onContext(() -> Future.fromCompletionStage(table.getAsync(id), context).map(v -> {
      OwnershipRecord row = v == null ? null : OwnershipRecord.fromJson(v.getValue());
      if (row == null || row.deleted()) {
        throw new SupervisorException(SupervisorError.NOT_FOUND, "no child '" + id + "'");
      }
      return ChildSpec.fromJson(row.spec());
    }));
  }

  /** @return where every child stands in the cluster-wide table, by id */
  public Future<List<ChildPlacement>> placements() {
    return onContext(() -> blocking(ownership::readAll).map(all -> {
      List<ChildPlacement> list = new ArrayList<>();
      new java.util.TreeMap<>(all).values().forEach(row -> {
        if (!row.deleted()) {
          list.add(new ChildPlacement(row.id(), row.owner(), row.epoch(), row.status() == OwnershipRecord.Status.FAILED));
        }
      });
      return list;
    }));
  }

  /**
   * @return every child in the cluster, by id, as OTP's {@code which_children/1}: as its owner
   *     reports it, {@code RESTARTING} while it moves between members (or its owner does not
   *     answer), {@code STOPPED} when it failed
   */
  public Future<List<ChildInfo>> whichChildren() {
    return onContext(() -> blocking(ownership::readAll).compose(all -> {
      Set<String> owners = new TreeSet<>();
      all.values().forEach(r -> {
        if (r.assigned() && clusterMembers.contains(r.owner())) {
          owners.add(r.owner());
        }
      });
      Map<String, Future<Map<String, ChildInfo>>> reports = new HashMap<>();
      for (String owner : owners) {
        reports.put(owner, owner.equals(nodeId) ? localInfos() : request(owner, new JsonObject().put("action", "local"))
            .map(body -> parseInfos((JsonObject) body)).recover(err -> Future.succeededFuture(Map.of())));
      }
      return Future.join(new ArrayList<>(reports.values())).transform(ignored -> {
        List<ChildInfo> list = new ArrayList<>();
        for (OwnershipRecord row : new java.util.TreeMap<>(all).values()) {
          if (row.deleted()) {
            continue;
          }
          ChildSpec spec = ChildSpec.fromJson(row.spec());
          Future<Map<String, ChildInfo>> report = row.owner() == null ? null : reports.get(row.owner());
          ChildInfo reported = report != null && report.succeeded() ? report.result().get(row.id()) : null;
          if (reported != null) {
            list.add(reported);
          } else {
            ChildStatus status = row.assigned() ? ChildStatus.RESTARTING : ChildStatus.STOPPED;
            list.add(new ChildInfo(row.id(), status, spec.type(), spec.restart(), null, 0, null, null));
          }
        }
        return Future.succeededFuture(list);
      });
    }));
  }

  /** @return counts of the cluster's children, as OTP's {@code count_children/1} */
  public Future<ChildCount> countChildren() {
    return whichChildren().map(list -> {
      int active = 0;
      int supervisors = 0;
      for (ChildInfo c : list) {
        if (c.status() == ChildStatus.RUNNING) {
          active++;
        }
        if (c.type() == dev.overseer.ChildType.SUPERVISOR) {
          supervisors++;
        }
      }
      return new ChildCount(list.size(), active, supervisors, list.size() - supervisors);
    });
  }

  /** @return the ids of the children this member runs now, with their ownership epochs */
  public Future<Map<String, Long>> localChildren() {
    return onContext(() -> {
      Map<String, Long> out = new java.util.TreeMap<>();
      running.forEach((id, c) -> {
        if (c.stopped == null && c.started != null && c.started.succeeded()) {
          out.put(id, c.epoch);
        }
      });
      return Future.succeededFuture(out);
    });
  }

  /**
   * Adds a listener of this member's distributed events ({@code CHILD_HANDED_OFF} and
   * {@code CHILD_FAILED_OVER} when a child arrives here). It runs on the supervisor's context and
   * must not block. The events are also published at {@link #eventsAddress()}.
   *
   * @param listener called with each event
   * @return this
   */
  public DistributedSupervisor addListener(Handler<SupervisorEvent> listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** @return this member's node id (the Vert.x node id), once deployed */
  public String nodeId() {
    return nodeId;
  }

  /** @return the supervisor's name */
  public String name() {
    return options.getName();
  }

  /** @return where the operations are reachable on the event bus */
  public String controlAddress() {
    return options.getControlAddress() != null ? options.getControlAddress()
        : DistributedSupervisorOptions.CONTROL_ADDRESS_PREFIX + options.getName();
  }

  /** @return where this supervisor's distributed events are published */
  public String eventsAddress() {
    return DistributedSupervisorOptions.CONTROL_ADDRESS_PREFIX + options.getName() + ".events";
  }

  private String nodeAddress(String node) {
    return DistributedSupervisorOptions.CONTROL_ADDRESS_PREFIX + options.getName() + ".node." + node;
  }

  /**
   * Operations wait for this member's lease, up to the request timeout, instead of failing while it
   * is being granted (right after start) or renewed; {@link #checkUsable()} then decides. Completes
   * on the supervisor's context.
   */
  private Future<Void> leaseReady() {
    MemberLease lease = MemberLease.of(vertx);
    if (lease == null || lease.valid()) {
      return Future.succeededFuture();
    }
    Promise<Void> ready = Promise.promise();
    lease.await(options.getRequestTimeout().toMillis()).onComplete(ar -> context.runOnContext(v -> ready.complete()));
    return ready.future();
  }

  private void checkUsable() {
    if (!ready || leaving) {
      throw new SupervisorException(SupervisorError.SHUTTING_DOWN, "distributed supervisor '" + options.getName() + "' is not running on this member");
    }
    MemberLease lease = MemberLease.of(vertx);
    String noLease = lease == null ? null : lease.refusal();
    if (noLease != null) {
      throw new SupervisorException(SupervisorError.SHUTTING_DOWN, noLease);
    }
    if (!hasQuorum() || merging) {
      throw new SupervisorException(SupervisorError.SHUTTING_DOWN, "member " + nodeId + " has no quorum (sees "
          + clusterMembers.size() + " of " + quorum.size() + " needed)");
    }
  }

  // ------------------------------------------------------------------ event bus

  /** Requests between members of this supervisor: start a row's child, stop one, list the local ones. */
  private void onNode(Message<Object> message) {
    Future<JsonObject> reply;
    try {
      if (!(message.body() instanceof JsonObject)) {
        throw bad("the request must be a JSON object with an \"action\"");
      }
      JsonObject request = ControlEndpoint.bounded((JsonObject) message.body());
      switch (request.getString("action", "")) {
        case "ensure": {
          String id = ControlEndpoint.id(request);
          long epoch = request.getLong("epoch", -1L);
          // Read the row itself: the request may arrive before the row change does. A member just
          // joined may not hold its lease yet: wait for it (up to the request timeout), as a
          // startChild on this member does, instead of refusing the start.
          reply = leaseReady().compose(x -> Future.fromCompletionStage(table.getAsync(id), context)).compose(v -> {
            if (v == null) {
              return Future.failedFuture(new SupervisorException(SupervisorError.NOT_FOUND, "no child '" + id + "'"));
            }
            OwnershipRecord row = OwnershipRecord.fromJson(v.getValue());
            if (row.epoch() != epoch) {
              return Future.failedFuture(new SupervisorException(SupervisorError.START_FAILED,
                  "child '" + id + "' moved on (epoch " + row.epoch() + ", asked " + epoch + ")"));
            }
            return ensure(row).map(x -> new JsonObject().put("id", id).put("node", nodeId).put("epoch", epoch));
          });
          break;
        }
        case "stop": {
          // A hint, not an order: any event-bus sender can reach this address, so the table
          // decides. The child stops only if its row no longer gives it to this member at the
          // epoch it runs (deleted, moved, or newer).
          String id = ControlEndpoint.id(request);
          reply = Future.fromCompletionStage(table.getAsync(id), context).compose(v -> {
            LocalChild child = running.get(id);
            OwnershipRecord row = v == null ? null : OwnershipRecord.fromJson(v.getValue());
            if (row != null) {
              see(row);
            }
            if (child != null && row != null && row.assigned() && nodeId.equals(row.owner()) && row.epoch() <= child.epoch) {
              return Future.failedFuture(new SupervisorException(SupervisorError.RUNNING,
                  "child '" + id + "' is assigned to member " + nodeId + " at epoch " + row.epoch()
                      + ": a stop is only honoured once the table says so"));
            }
            return stopLocal(id).map(x -> new JsonObject().put("ok", true));
          });
          break;
        }
        case "started": {
          // (a leaving member pacing its handoff in waves waits for these)
          String id = ControlEndpoint.id(request);
          if (departure != null) {
            departure.started(id, request.getLong("epoch", 0L));
          }
          reply = Future.succeededFuture(new JsonObject().put("ok", true));
          break;
        }
        case "local":
          reply = localInfos().map(infos -> {
            JsonArray rows = new JsonArray();
            infos.values().forEach(i -> rows.add(i.toJson()));
            return new JsonObject().put("children", rows);
          });
          break;
        default:
          reply = Future.failedFuture(bad("unknown node action"));
      }
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e instanceof SupervisorException ? e : new SupervisorException(SupervisorError.BAD_REQUEST, String.valueOf(e.getMessage()), e));
    }
    ControlEndpoint.answer(message, reply);
  }

  private Future<Map<String, ChildInfo>> localInfos() {
    return local.whichChildren().map(list -> {
      Map<String, ChildInfo> out = new HashMap<>();
      list.forEach(i -> out.put(i.id(), i));
      return out;
    });
  }

  private static Map<String, ChildInfo> parseInfos(JsonObject body) {
    Map<String, ChildInfo> out = new HashMap<>();
    for (Object o : body.getJsonArray("children", new JsonArray())) {
      JsonObject j = (JsonObject) o;
      out.put(j.getString("id"), new ChildInfo(j.getString("id"), ChildStatus.valueOf(j.getString("status")),
          dev.overseer.ChildType.valueOf(j.getString("type")), RestartType.valueOf(j.getString("restart")),
          j.getString("deploymentId"), j.getInteger("restartCount", 0), null, j.getString("supervisorName")));
    }
    return out;
  }

  private Future<Object> request(String node, JsonObject body) {
    return request(node, body, options.getRequestTimeout());
  }

  private Future<Object> request(String node, JsonObject body, Duration timeout) {
    return vertx.eventBus().request(nodeAddress(node), body,
        new DeliveryOptions().setSendTimeout(timeout.toMillis())).map(Message::body);
  }

  /** Maps a failed request back to the supervisor error its code names. */
  private static SupervisorException asSupervisorError(Throwable err, String whenUnknown) {
    if (err instanceof ReplyException && ((ReplyException) err).failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      int code = ((ReplyException) err).failureCode();
      String message = err.getMessage();
      for (SupervisorError e : SupervisorError.values()) {
        if (e.code() == code && message != null && message.startsWith(e.name().toLowerCase() + ":")) {
          return new SupervisorException(e, message.substring(e.name().length() + 1).trim());
        }
      }
    }
    return new SupervisorException(SupervisorError.START_FAILED, whenUnknown + " (" + err.getMessage() + ")", err);
  }

  private static SupervisorException bad(String why) {
    return new SupervisorException(SupervisorError.BAD_REQUEST, why);
  }

  // ------------------------------------------------------------------ Hazelcast bridges

  /** Runs a blocking Hazelcast call on a worker thread; completes on this context. */
  private <T> Future<T> blocking(java.util.concurrent.Callable<T> call) {
    return vertx.executeBlocking(call, false);
  }

  /** Runs {@code op} on this context; the result completes on the caller's context when it has one. */
  private <T> Future<T> onContext(Supplier<Future<T>> op) {
    if (context == null) {
      return Future.failedFuture(new SupervisorException(SupervisorError.SHUTTING_DOWN, "the distributed supervisor is not deployed"));
    }
    Context caller = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      Future<T> f;
      try {
        f = op.get();
      } catch (Throwable t) {
        f = Future.failedFuture(t);
      }
      f.onComplete(promise);
    });
    if (caller == null || caller == context) {
      return promise.future();
    }
    return Future.fromCompletionStage(promise.future().toCompletionStage(), caller);
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  /** @return the nodes this member sees running the supervisor; for tests and the console */
  Collection<String> supervisorMembersView() {
    return liveSupervisorMembers();
  }

  /** @return how many live members this member sees running the supervisor (itself included) */
  public Future<Integer> supervisorMembersCount() {
    return onContext(() -> Future.succeededFuture(liveSupervisorMembers().size()));
  }

  /** @return the children whose failed starts on this member are being counted; for tests */
  Future<Set<String>> startFailuresCounted() {
    return onContext(() -> Future.succeededFuture(new TreeSet<>(startFailures.keySet())));
  }

  /** @return whether this member waits to read the whole table again before acting on it; for tests */
  Future<Boolean> isStale() {
    return onContext(() -> Future.succeededFuture(stale));
  }

  Optional<OwnershipRecord> rowView(String id) {
    return Optional.ofNullable(rows.get(id));
  }

  /**
   * For the cluster view (the web console): the supervisor's members and each child's owner,
   * epoch and status, as the owners report them. No spec or config is included.
   *
   * @param max the most children listed (the total is still counted)
   * @return {@code {"name", "members", "total", "truncated", "children": [{"id", "owner"?,
   *     "epoch", "status", "from"?, "cause", "since"}]}}; status is {@code failed} (its budget ran
   *     out), {@code moving} (its owner is gone or has not started it yet), {@code unknown} (its
   *     owner did not answer), else the owner's status in lower case ({@code running},
   *     {@code restarting}…)
   */
  Future<JsonObject> viewOf(int max) {
    return onContext(() -> blocking(ownership::readAll).compose(all -> {
      Set<String> owners = new TreeSet<>();
      all.values().forEach(r -> {
        if (r.assigned() && clusterMembers.contains(r.owner())) {
          owners.add(r.owner());
        }
      });
      Map<String, Future<Map<String, ChildInfo>>> reports = new HashMap<>();
      for (String owner : owners) {
        reports.put(owner, owner.equals(nodeId) ? localInfos() : request(owner, new JsonObject().put("action", "local"))
            .map(body -> parseInfos((JsonObject) body)));
      }
      return Future.join(new ArrayList<>(reports.values())).transform(ignored -> {
        JsonArray children = new JsonArray();
        int total = 0;
        for (OwnershipRecord row : new java.util.TreeMap<>(all).values()) {
          if (row.deleted()) {
            continue;
          }
          total++;
          if (children.size() >= max) {
            continue;
          }
          String status;
          Future<Map<String, ChildInfo>> report = row.owner() == null ? null : reports.get(row.owner());
          if (row.status() == OwnershipRecord.Status.FAILED) {
            status = "failed";
          } else if (report == null) {
            status = "moving";
          } else if (report.failed()) {
            status = "unknown";
          } else {
            ChildInfo info = report.result().get(row.id());
            status = info == null ? "moving" : info.status().name().toLowerCase(java.util.Locale.ROOT);
          }
          JsonObject child = new JsonObject().put("id", row.id()).put("epoch", row.epoch()).put("status", status)
              .put("cause", row.cause().name()).put("since", row.since());
          if (row.owner() != null) {
            child.put("owner", row.owner());
          }
          if (row.from() != null) {
            child.put("from", row.from());
          }
          children.add(child);
        }
        return Future.succeededFuture(new JsonObject().put("name", options.getName())
            .put("members", new JsonArray(new ArrayList<>(liveSupervisorMembers())))
            .put("total", total).put("truncated", total > children.size()).put("children", children));
      });
    }));
  }
}
