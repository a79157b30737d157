package dev.overseer.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.overseer.cluster.impl.LeaseClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This member's lease: the proof, renewed all the time, that a quorum of peers still count it
 * as a member. Without a valid lease a member acknowledges nothing: servers that are children of
 * a {@link DistributedSupervisor} refuse their replies, the {@link HazelcastStash} refuses its
 * results, and the distributed supervisor stops its local children until the lease is back.
 *
 * <p><b>Why.</b> A member paused (SIGSTOP, a long GC, a frozen VM) past
 * {@code maxNoHeartbeatSeconds} is removed and its children restart elsewhere; when it wakes,
 * it does not know for a fraction of a second, its old incarnations keep answering, and its
 * stale partition copies acknowledge their writes, which the merge then drops.
 *
 * <p><b>The rule.</b> Every {@code renew} interval the member asks each peer in its own view, on
 * the peer's address {@code overseer.lease.<nodeId>}, to confirm that the peer's Hazelcast
 * membership contains this member's Vert.x node id. Once this member and its confirmers make a
 * quorum, the lease is valid until the local monotonic time at which the renewal was <em>sent</em>
 * plus the lease length {@code L}. {@link System#nanoTime} runs on during a pause, so a member that
 * slept longer than {@code L} finds its lease expired the moment it wakes. The cluster removes a
 * paused member no sooner than {@code maxNoHeartbeat - heartbeatInterval} after its last renewal
 * (its heartbeats ran until the pause), so with
 * {@code L = maxNoHeartbeat - heartbeatInterval - 1 s} (at least 1 s) the lease runs out before
 * the others can move its children. The trade-off: a member whose renewals are slowed by more
 * than {@code L - renew} (an overloaded event loop, a slow network) fences itself although alive.
 *
 * <p><b>Not while merging.</b> A member that is merging back after a split (Hazelcast's
 * {@code MERGING} until {@code MERGED} or {@code MERGE_FAILED}) neither renews its own lease nor
 * confirms anyone else's. Its data reaches the cluster it joins only through Hazelcast's merge
 * tasks, which finish just before {@code MERGED}; a side that had lost its quorum and regains it
 * through this member must not start children (and read their state) before then, or a child
 * finds no state, starts from its initial state and its claim's higher epoch then wins the merge
 * over the acknowledged value (seen after a double fault: a counter read 0 where 3 increments had
 * been acknowledged).
 *
 * <p>Leases need a quorum: {@link OverseerCluster} keeps one when {@link ClusterOptions#getQuorum()}
 * is 2 or more, and none otherwise (then nothing is fenced).
 */
public final class MemberLease {

  /** The prefix of the per-member lease address: {@value}. */
  public static final String ADDRESS_PREFIX = "overseer.lease.";

  private static final String MAP = "dev.overseer.cluster.MemberLease";

  private static final class Holder implements Shareable {
    final MemberLease lease;

    Holder(MemberLease lease) {
      this.lease = lease;
    }
  }

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final int quorum;
  private final long renewMillis;
  private final LeaseClock clock;
  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;
  private volatile boolean closed;
  private volatile boolean merging;
  private UUID lifecycleListener;
  private final List<Promise<Void>> waiters = new CopyOnWriteArrayList<>();

  /**
   * @param vertx the clustered Vert.x
   * @param hazelcast its Hazelcast member
   * @param nodeId this member's Vert.x node id
   * @param quorum how many members (this one included) must count it a member, 2 or more
   * @param leaseMillis the lease length {@code L}
   * @param renewMillis how often it is renewed (also each request's timeout); less than {@code L}
   */
  MemberLease(Vertx vertx, HazelcastInstance hazelcast, String nodeId, int quorum, long leaseMillis, long renewMillis) {
    if (quorum < 2 || renewMillis <= 0 || renewMillis >= leaseMillis) {
      throw new IllegalArgumentException("lease: quorum >= 2 and 0 < renew < lease required, got quorum " + quorum
          + ", renew " + renewMillis + " ms, lease " + leaseMillis + " ms");
    }
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.nodeId = nodeId;
    this.quorum = quorum;
    this.renewMillis = renewMillis;
    this.clock = new LeaseClock(leaseMillis * 1_000_000L, System::nanoTime);
  }

  /**
   * The lease length for the given failure-detection settings (the rule above).
   *
   * @param options the cluster settings
   * @return {@code maxNoHeartbeat - heartbeatInterval - 1 s}, at least 1 s, in milliseconds
   */
  public static long leaseMillis(ClusterOptions options) {
    return Math.max(1000L, (options.getMaxNoHeartbeatSeconds() - options.getHeartbeatIntervalSeconds() - 1) * 1000L);
  }

  /**
   * @param vertx a Vert.x instance
   * @return its member lease, or {@code null} when it keeps none (embedded, or a cluster without quorum)
   */
  public static MemberLease of(Vertx vertx) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    Holder h = map.get(MAP);
    return h == null ? null : h.lease;
  }

  /**
   * @param vertx a Vert.x instance
   * @return whether it may acknowledge anything now: true when it keeps no lease
   */
  public static boolean holds(Vertx vertx) {
    MemberLease lease = of(vertx);
    return lease == null || lease.valid();
  }

  /** Registers the lease address, installs the lease for this Vert.x and starts renewing. */
  Future<Void> start() {
    vertx.sharedData().<String, Holder>getLocalMap(MAP).put(MAP, new Holder(this));
    lifecycleListener = hazelcast.getLifecycleService().addLifecycleListener(this::onLifecycle);
    consumer = vertx.eventBus().consumer(ADDRESS_PREFIX + nodeId, this::onRequest);
    return consumer.completion().onSuccess(v -> {
      timer = vertx.setPeriodic(0, renewMillis, t -> renew());
    });
  }

  /** Stops renewing; the lease then runs out. */
  Future<Void> close() {
    closed = true;
    vertx.cancelTimer(timer);
    if (lifecycleListener != null) {
      try {
        hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
      } catch (RuntimeException notRunning) {
        // Hazelcast is already shut down: its listeners are gone with it
      }
    }
    vertx.sharedData().<String, Holder>getLocalMap(MAP).remove(MAP);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** @return whether the lease is valid now (a synchronous read of the monotonic clock) */
  public boolean valid() {
    return clock.valid();
  }

  /**
   * @param timeoutMillis how long to wait at most
   * @return completes once the lease is valid (at once if it is), fails with the
   *     {@link #refusal()} after {@code timeoutMillis}
   */
  public Future<Void> await(long timeoutMillis) {
    if (clock.valid()) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    waiters.add(p);
    long t = vertx.setTimer(Math.max(1, timeoutMillis), id -> {
      waiters.remove(p);
      String why = refusal();
      if (why == null) {
        p.tryComplete();
      } else {
        p.tryFail(new IllegalStateException(why));
      }
    });
    return p.future().onComplete(ar -> vertx.cancelTimer(t));
  }

  /** @return milliseconds the lease has left; negative once expired */
  public long remainingMillis() {
    long r = clock.remaining();
    return r == Long.MIN_VALUE ? Long.MIN_VALUE : r / 1_000_000L;
  }

  /** @return why this member may not acknowledge anything now, or {@code null} when it may */
  public String refusal() {
    if (clock.valid()) {
      return null;
    }
    long r = clock.remaining();
    return "member " + nodeId + " holds no lease (" + (r == Long.MIN_VALUE ? "never granted yet"
        : "expired " + (-r / 1_000_000L) + " ms ago") + "): a quorum has not confirmed it is still a member";
  }

  /** Between Hazelcast's MERGING and MERGED (or MERGE_FAILED) it confirms no lease and renews none (class comment). */
  private void onLifecycle(LifecycleEvent event) {
    switch (event.getState()) {
      case MERGING -> merging = true;
      case MERGED, MERGE_FAILED -> merging = false;
      default -> { }
    }
  }

  private void onRequest(Message<JsonObject> message) {
    Object from = message.body() == null ? null : message.body().getValue("from");
    // Confirms from this member's own view only: a member the cluster has removed is refused
    // even while its own view still counts everyone. While this member merges back its data is
    // not in the cluster yet: it confirms nobody (see the class comment).
    boolean member = !merging && from instanceof String && members().contains(from);
    message.reply(new JsonObject().put("member", member));
  }

  private List<String> members() {
    List<String> ids = new ArrayList<>();
    for (Member m : hazelcast.getCluster().getMembers()) {
      Object id = m.getAttribute(DistributedSupervisor.NODE_ID_ATTRIBUTE);
      if (id != null) {
        ids.add(id.toString());
      }
    }
    return ids;
  }

  private void renew() {
    if (closed || merging) {
      return;
    }
    long sentAt = clock.now();
    AtomicInteger confirmations = new AtomicInteger(1);
    JsonObject body = new JsonObject().put("from", nodeId);
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(renewMillis);
    for (String peer : members()) {
      if (peer.equals(nodeId)) {
        continue;
      }
      vertx.eventBus().<JsonObject>request(ADDRESS_PREFIX + peer, body, delivery).onSuccess(reply -> {
        if (Boolean.TRUE.equals(reply.body().getBoolean("member")) && confirmations.incrementAndGet() == quorum) {
          clock.confirmed(sentAt);
          if (clock.valid()) {
            for (Promise<Void> w : waiters) {
              waiters.remove(w);
              w.tryComplete();
            }
          }
        }
      });
    }
  }

  @Override
  public String toString() {
    return "MemberLease[" + nodeId + ", " + (valid() ? "valid" : "expired") + "]";
  }
}
