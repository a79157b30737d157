package dev.overseer.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.overseer.Overseer;
import dev.overseer.cluster.impl.HazelcastConfigs;
import dev.overseer.impl.VertxCloseHook;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One member of an Overseer cluster: a clustered Vert.x on Hazelcast with the settings Overseer
 * ships, its {@link HazelcastNameRegistry} and {@link HazelcastStash} installed.
 *
 * <pre>{@code
 * OverseerCluster member = OverseerCluster.start(new ClusterOptions()
 *     .setClusterName("shop").addMember("127.0.0.1:5701").addMember("127.0.0.1:5702")).await();
 * Vertx vertx = member.vertx();   // deploy supervisors and servers as usual
 * }</pre>
 *
 * <p>After {@link #start} succeeds, {@link Overseer#nodeId} is the Vert.x node id (stable across
 * a split-brain merge, unlike the Hazelcast member UUID), {@link Overseer#nameRegistry} makes
 * names unique cluster-wide, and {@link Overseer#defaultStash} is the Hazelcast stash
 * {@value HazelcastStash#DEFAULT_NAME}. With {@link ClusterOptions#isShutdownHook()} (the
 * default) a JVM shutdown hook closes the member, so SIGTERM is a graceful leave: Hazelcast
 * migrates the member's partitions before it goes. {@code kill -9} is not graceful: the
 * survivors notice in well under a second and promote backups.
 */
public final class OverseerCluster {

  private static final long HOOK_CLOSE_SECONDS = 30;

  private final Vertx vertx;
  private final HazelcastClusterManager manager;
  private final HazelcastNameRegistry registry;
  private final HazelcastStash stash;
  private final MemberLease lease;
  private final AtomicReference<Promise<Void>> closing = new AtomicReference<>();
  private volatile Thread hook;

  private OverseerCluster(Vertx vertx, HazelcastClusterManager manager, HazelcastNameRegistry registry, HazelcastStash stash,
      MemberLease lease) {
    this.lease = lease;
    this.vertx = vertx;
    this.manager = manager;
    this.registry = registry;
    this.stash = stash;
  }

  /**
   * Starts a clustered Vert.x member with default {@link VertxOptions}.
   *
   * @param options the cluster settings
   * @return the member once it has joined and Overseer's registry and stash are installed; fails
   *     with an {@link IllegalArgumentException} naming an invalid option
   */
  public static Future<OverseerCluster> start(ClusterOptions options) {
    return start(options, new VertxOptions());
  }

  /**
   * Starts a clustered Vert.x member.
   *
   * @param options the cluster settings
   * @param vertxOptions Vert.x settings; the event-bus host and port come from {@code options}
   *     unless set here, and HA is left as given (Overseer does not need Vert.x HA)
   * @return the member once it has joined and Overseer's registry and stash are installed
   */
  public static Future<OverseerCluster> start(ClusterOptions options, VertxOptions vertxOptions) {
    ClusterOptions opts;
    HazelcastClusterManager manager;
    VertxOptions vo;
    try {
      opts = new ClusterOptions(Objects.requireNonNull(options, "options")).validate();
      manager = new HazelcastClusterManager(HazelcastConfigs.create(opts));
      vo = new VertxOptions(Objects.requireNonNull(vertxOptions, "vertxOptions"));
      EventBusOptions bus = vo.getEventBusOptions();
      if (bus.getHost() == null || bus.getHost().equals(EventBusOptions.DEFAULT_CLUSTER_HOST)) {
        bus.setHost(opts.getEventBusHost());
      }
      if (bus.getPort() == EventBusOptions.DEFAULT_CLUSTER_PORT) {
        bus.setPort(opts.getEventBusPort());
      }
      if (bus.getClusterPublicHost() == null) {
        bus.setClusterPublicHost(bus.getHost());
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Vertx.builder().with(vo).withClusterManager(manager).buildClustered().compose(vertx -> {
      String nodeId = manager.getNodeId();
      HazelcastInstance hz = manager.getHazelcastInstance();
      HazelcastStash stash = new HazelcastStash(vertx, hz, HazelcastStash.DEFAULT_NAME, opts.getOperationTimeout());
      return HazelcastNameRegistry.create(vertx, hz, nodeId, opts.getOperationTimeout(), opts.getVacancyTimeout(), opts.getRouteGrace())
          .map(registry -> {
            Overseer.setNodeId(vertx, nodeId);
            Overseer.setNameRegistry(vertx, registry);
            Overseer.setDefaultStash(vertx, stash);
            HazelcastClusterView.install(vertx, hz);
            return registry;
          })
          .compose(registry -> {
            if (opts.getQuorum() < 2) {
              return Future.succeededFuture(new OverseerCluster(vertx, manager, registry, stash, null));
            }
            long lease = MemberLease.leaseMillis(opts);
            MemberLease ml = new MemberLease(vertx, hz, nodeId, opts.getQuorum(), lease, Math.max(100L, lease / 4));
            // Only a distributed supervisor's children are fenced: they are the ones the
            // cluster moves elsewhere while this member is away.
            // The deployment's config, from the running context: a server restarted in place may be
            // a fresh instance that was never deployed itself.
            Overseer.setServerFence(vertx, server -> {
              io.vertx.core.Context running = Vertx.currentContext();
              JsonObject config = running == null ? null : running.config();
              return config != null && config.containsKey(DistributedSupervisor.CONFIG_KEY) ? ml.refusal() : null;
            });
            return ml.start().map(v -> new OverseerCluster(vertx, manager, registry, stash, ml));
          })
          .map(member -> {
            VertxCloseHook.register(vertx, member::vertxClosing);
            if (opts.isShutdownHook()) {
              member.installHook();
            }
            return member;
          })
          .recover(t -> vertx.close().transform(v -> Future.failedFuture(t)));
    });
  }

  private void installHook() {
    Thread t = new Thread(() -> {
      try {
        closeNow().await(HOOK_CLOSE_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the JVM is going down either way; nothing left to tell
      }
    }, "overseer-cluster-shutdown");
    hook = t;
    Runtime.getRuntime().addShutdownHook(t);
  }

  /** @return the clustered Vert.x instance */
  public Vertx vertx() {
    return vertx;
  }

  /** @return this member's node id: the Vert.x node id, also {@link Overseer#nodeId} */
  public String nodeId() {
    return manager.getNodeId();
  }

  /** @return the member's Hazelcast instance (for maps of the application's own) */
  public HazelcastInstance hazelcast() {
    return manager.getHazelcastInstance();
  }

  /** @return the cluster-wide name registry, also {@link Overseer#nameRegistry} */
  public HazelcastNameRegistry nameRegistry() {
    return registry;
  }

  /** @return this member's lease, or {@code null} without quorum (see {@link MemberLease}) */
  public MemberLease lease() {
    return lease;
  }

  /** @return the default Hazelcast stash, also {@link Overseer#defaultStash} */
  public HazelcastStash stash() {
    return stash;
  }

  /**
   * Leaves the cluster gracefully: its distributed supervisors hand their children off (in waves,
   * see {@link DistributedSupervisorOptions#setHandoffConcurrency}), then it undeploys everything, then Hazelcast migrates this member's
   * partitions to the others before it shuts down. Idempotent.
   *
   * @return completes when the member has left
   */
  public Future<Void> close() {
    Thread t = hook;
    if (t != null && t != Thread.currentThread()) {
      try {
        Runtime.getRuntime().removeShutdownHook(t);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: it closes the member
      }
    }
    return closeNow();
  }

  /**
   * Vert.x is closing (its close hooks run first, while its event loops still work). When that
   * close is this member's own (the end of {@link #closeNow}) there is nothing left to do. When
   * somebody closed Vert.x directly, the names are released here, and a later {@link #close()}
   * answers with that instead of waiting on event loops that are gone. The lease stays installed:
   * the children that Vert.x stops after this hook still save their state, and an expired lease
   * must still refuse those writes (its timer and consumer end with Vert.x). The distributed
   * supervisors are not asked to leave first: their local supervisors' own close hooks are
   * already stopping every child (their rows still move, all at once).
   */
  private Future<Void> vertxClosing() {
    Promise<Void> fresh = Promise.promise();
    if (!closing.compareAndSet(null, fresh)) {
      return Future.succeededFuture();
    }
    registry.close().onComplete(x -> fresh.complete());
    return fresh.future();
  }

  private Future<Void> closeNow() {
    Promise<Void> fresh = Promise.promise();
    if (!closing.compareAndSet(null, fresh)) {
      return closing.get().future();
    }
    // not chained on a context of this Vert.x: its event loops are gone once it has closed, and a
    // callback dispatched to one of them would never run
    // Distributed supervisors leave first, while the lease, the registry and Vert.x still work:
    // vertx.close() alone would stop all their children at once before their handoff began (each
    // local supervisor's close hook), where a leave hands them off in waves.
    List<Future<Void>> leaves = new ArrayList<>();
    if (Overseer.clusterView(vertx) instanceof HazelcastClusterView view) {
      view.supervisors().forEach(s -> leaves.add(s.leave().recover(e -> Future.succeededFuture())));
    }
    Future<Void> leaseClosed = Future.join(leaves).transform(x -> lease == null ? Future.<Void>succeededFuture()
        : lease.close().recover(e -> Future.succeededFuture()));
    leaseClosed.onComplete(x -> registry.close().onComplete(ignored -> vertx.close().onComplete(fresh)));
    return fresh.future();
  }
}
