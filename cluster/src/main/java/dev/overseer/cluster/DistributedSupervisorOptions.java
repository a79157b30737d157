package dev.overseer.cluster;

import dev.overseer.ChildLoop;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.SupervisorOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import static dev.overseer.impl.JsonFields.field;
import static dev.overseer.impl.JsonFields.present;

/**
 * Options of a {@link DistributedSupervisor}, in the Vert.x options shape: defaults as
 * {@code DEFAULT_*} constants, no-argument, copy and JSON constructors, {@link #toJson()},
 * fluent setters. The {@link Placement} is code, not data: it is copied but not written to JSON.
 */
public class DistributedSupervisorOptions {

  /** Prefix of the default control address: {@value} followed by the supervisor's name. */
  public static final String CONTROL_ADDRESS_PREFIX = "overseer.ds.";
  /** Default expected cluster size: 0, quorum off. Set it in production (see {@link Quorum}). */
  public static final int DEFAULT_EXPECTED_MEMBERS = 0;
  /** Default quorum: 0, meaning a strict majority of the expected members. */
  public static final int DEFAULT_QUORUM = 0;
  /** Default per-child restart budget: 3 restarts… */
  public static final int DEFAULT_CHILD_INTENSITY = 3;
  /** …within 5 s; past it the child is stopped and marked failed, its siblings untouched. */
  public static final Duration DEFAULT_CHILD_PERIOD = Duration.ofSeconds(5);
  /** Default timeout of a request to another member: 2 s (a dead member's requests wait it out). */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
  /** Default time a startChild waits for the chosen member to start the child: 10 s (a start loads state). */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);
  /** Default interval of the reconcile pass that repairs what events missed: 2 s. */
  public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofSeconds(2);
  /** Default: no rebalance when a member joins (children stay where they run). */
  public static final boolean DEFAULT_REBALANCE_ON_JOIN = false;
  /** Default rebalance rate: at most 10 moves… */
  public static final int DEFAULT_REBALANCE_MOVES = 10;
  /** …per member every second. */
  public static final Duration DEFAULT_REBALANCE_INTERVAL = Duration.ofSeconds(1);
  /**
   * Default handoff wave: a leaving member hands off at most 16 children at a time (see
   * {@link #setHandoffConcurrency}).
   */
  public static final int DEFAULT_HANDOFF_CONCURRENCY = 16;
  /** Default number of local supervisors a member runs its children under: 4 (see {@link #setLocalPartitions}). */
  public static final int DEFAULT_LOCAL_PARTITIONS = 4;
  /** The most local partitions: {@value}. */
  public static final int MAX_LOCAL_PARTITIONS = 256;
  /** Default time a leaving member paces its handoff in waves: 20 s, then the rest goes at once. */
  public static final Duration DEFAULT_HANDOFF_TIMEOUT = Duration.ofSeconds(20);

  private String name;
  private Set<String> allowedVerticles = new LinkedHashSet<>();
  private int expectedMembers = DEFAULT_EXPECTED_MEMBERS;
  private int quorum = DEFAULT_QUORUM;
  private int childIntensity = DEFAULT_CHILD_INTENSITY;
  private Duration childPeriod = DEFAULT_CHILD_PERIOD;
  private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
  private Duration reconcileInterval = DEFAULT_RECONCILE_INTERVAL;
  private Duration startTimeout = DEFAULT_START_TIMEOUT;
  private boolean rebalanceOnJoin = DEFAULT_REBALANCE_ON_JOIN;
  private int rebalanceMoves = DEFAULT_REBALANCE_MOVES;
  private Duration rebalanceInterval = DEFAULT_REBALANCE_INTERVAL;
  private int handoffConcurrency = DEFAULT_HANDOFF_CONCURRENCY;
  private Duration handoffTimeout = DEFAULT_HANDOFF_TIMEOUT;
  private int localPartitions = DEFAULT_LOCAL_PARTITIONS;
  private String controlAddress;
  private Placement placement = RendezvousPlacement.INSTANCE;
  private ChildLoop childLoop = SupervisorOptions.DEFAULT_CHILD_LOOP;
  private boolean revealConfig = SupervisorOptions.DEFAULT_REVEAL_CONFIG;

  /** Options with the defaults; a name and the allowed verticles must still be set. */
  public DistributedSupervisorOptions() {
  }

  /** @param other options to copy */
  public DistributedSupervisorOptions(DistributedSupervisorOptions other) {
    name = other.name;
    allowedVerticles = new LinkedHashSet<>(other.allowedVerticles);
    expectedMembers = other.expectedMembers;
    quorum = other.quorum;
    childIntensity = other.childIntensity;
    childPeriod = other.childPeriod;
    requestTimeout = other.requestTimeout;
    reconcileInterval = other.reconcileInterval;
    startTimeout = other.startTimeout;
    rebalanceOnJoin = other.rebalanceOnJoin;
    rebalanceMoves = other.rebalanceMoves;
    rebalanceInterval = other.rebalanceInterval;
    handoffConcurrency = other.handoffConcurrency;
    handoffTimeout = other.handoffTimeout;
    localPartitions = other.localPartitions;
    controlAddress = other.controlAddress;
    placement = other.placement;
    childLoop = other.childLoop;
    revealConfig = other.revealConfig;
  }

  /**
   * @param json the form {@link #toJson()} writes (durations in ms); missing keys keep their defaults
   * @throws SupervisorException {@link SupervisorError#INVALID_SPEC} naming a field of the wrong
   *     type, an explicit null where a value is needed, or an unknown {@code childLoop}
   */
  public DistributedSupervisorOptions(JsonObject json) {
    name = field("name", () -> json.getString("name"));
    JsonArray allowed = present("allowedVerticles", () -> json.getJsonArray("allowedVerticles", new JsonArray()));
    for (Object o : allowed) {
      if (!(o instanceof String)) {
        throw new SupervisorException(SupervisorError.INVALID_SPEC, "allowedVerticles: verticle names are strings, got " + o);
      }
      allowedVerticles.add((String) o);
    }
    expectedMembers = present("expectedMembers", () -> json.getInteger("expectedMembers", DEFAULT_EXPECTED_MEMBERS));
    quorum = present("quorum", () -> json.getInteger("quorum", DEFAULT_QUORUM));
    childIntensity = present("childIntensity", () -> json.getInteger("childIntensity", DEFAULT_CHILD_INTENSITY));
    childPeriod = millis(json, "childPeriod", DEFAULT_CHILD_PERIOD);
    requestTimeout = millis(json, "requestTimeout", DEFAULT_REQUEST_TIMEOUT);
    reconcileInterval = millis(json, "reconcileInterval", DEFAULT_RECONCILE_INTERVAL);
    startTimeout = millis(json, "startTimeout", DEFAULT_START_TIMEOUT);
    rebalanceOnJoin = present("rebalanceOnJoin", () -> json.getBoolean("rebalanceOnJoin", DEFAULT_REBALANCE_ON_JOIN));
    rebalanceMoves = present("rebalanceMoves", () -> json.getInteger("rebalanceMoves", DEFAULT_REBALANCE_MOVES));
    rebalanceInterval = millis(json, "rebalanceInterval", DEFAULT_REBALANCE_INTERVAL);
    handoffConcurrency = present("handoffConcurrency", () -> json.getInteger("handoffConcurrency", DEFAULT_HANDOFF_CONCURRENCY));
    handoffTimeout = millis(json, "handoffTimeout", DEFAULT_HANDOFF_TIMEOUT);
    localPartitions = present("localPartitions", () -> json.getInteger("localPartitions", DEFAULT_LOCAL_PARTITIONS));
    controlAddress = field("controlAddress", () -> json.getString("controlAddress"));
    revealConfig = present("revealConfig", () -> json.getBoolean("revealConfig", SupervisorOptions.DEFAULT_REVEAL_CONFIG));
    if (json.containsKey("childLoop")) {
      childLoop = present("childLoop", () -> ChildLoop.valueOf(json.getString("childLoop").toUpperCase(Locale.ROOT)));
    }
  }

  private static Duration millis(JsonObject json, String field, Duration defaultValue) {
    return Duration.ofMillis(present(field, () -> json.getLong(field, defaultValue.toMillis())));
  }

  /** @return the options as JSON (durations in ms; the placement is left out) */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("allowedVerticles", new JsonArray(java.util.List.copyOf(allowedVerticles)))
        .put("expectedMembers", expectedMembers)
        .put("quorum", quorum)
        .put("childIntensity", childIntensity)
        .put("childPeriod", childPeriod.toMillis())
        .put("requestTimeout", requestTimeout.toMillis())
        .put("reconcileInterval", reconcileInterval.toMillis())
        .put("startTimeout", startTimeout.toMillis())
        .put("rebalanceOnJoin", rebalanceOnJoin)
        .put("rebalanceMoves", rebalanceMoves)
        .put("rebalanceInterval", rebalanceInterval.toMillis())
        .put("handoffConcurrency", handoffConcurrency)
        .put("handoffTimeout", handoffTimeout.toMillis())
        .put("localPartitions", localPartitions)
        .put("childLoop", childLoop.name())
        .put("revealConfig", revealConfig);
    if (name != null) {
      json.put("name", name);
    }
    if (controlAddress != null) {
      json.put("controlAddress", controlAddress);
    }
    return json;
  }

  /**
   * @return whether {@code getChildSpec} over the control address answers a child's
   *     {@code deploymentOptions.config}; default {@code false}: the config is left out and the
   *     spec marked redacted, as a local supervisor's control address does
   */
  public boolean isRevealConfig() {
    return revealConfig;
  }

  /**
   * @param revealConfig whether event-bus callers of the control address may read children's
   *     configs (a config may hold secrets, and the address is reachable cluster-wide)
   * @return this
   */
  public DistributedSupervisorOptions setRevealConfig(boolean revealConfig) {
    this.revealConfig = revealConfig;
    return this;
  }

  /** @return the name, the same on every member: it names the cluster-wide table */
  public String getName() {
    return name;
  }

  /**
   * @param name the supervisor's cluster-wide name
   * @return this
   */
  public DistributedSupervisorOptions setName(String name) {
    this.name = name;
    return this;
  }

  /** @return the verticle class names children may start from (specs cross the cluster, so nothing else starts) */
  public Set<String> getAllowedVerticles() {
    return Collections.unmodifiableSet(allowedVerticles);
  }

  /**
   * @param names the verticle class names children may start from; replaces the list
   * @return this
   */
  public DistributedSupervisorOptions setAllowedVerticles(Collection<String> names) {
    this.allowedVerticles = new LinkedHashSet<>(Objects.requireNonNull(names, "allowedVerticles"));
    return this;
  }

  /**
   * @param name a verticle class name children may start from
   * @return this
   */
  public DistributedSupervisorOptions addAllowedVerticle(String name) {
    allowedVerticles.add(Objects.requireNonNull(name, "name"));
    return this;
  }

  /** @return the size of the healthy cluster, 0 for no quorum */
  public int getExpectedMembers() {
    return expectedMembers;
  }

  /**
   * @param expectedMembers the size of the healthy cluster; 0 turns the quorum off
   * @return this
   */
  public DistributedSupervisorOptions setExpectedMembers(int expectedMembers) {
    this.expectedMembers = expectedMembers;
    return this;
  }

  /** @return members needed to run children, 0 for a strict majority of the expected members */
  public int getQuorum() {
    return quorum;
  }

  /**
   * @param quorum members needed to run children; 0 for a strict majority
   * @return this
   */
  public DistributedSupervisorOptions setQuorum(int quorum) {
    this.quorum = quorum;
    return this;
  }

  /** @return the quorum these options describe */
  public Quorum quorum() {
    if (expectedMembers == 0) {
      return Quorum.OFF;
    }
    return quorum == 0 ? Quorum.majorityOf(expectedMembers) : new Quorum(expectedMembers, quorum);
  }

  /** @return restarts one child may have within {@link #getChildPeriod()} */
  public int getChildIntensity() {
    return childIntensity;
  }

  /**
   * @param childIntensity restarts one child may have within the period, 0 or more
   * @return this
   */
  public DistributedSupervisorOptions setChildIntensity(int childIntensity) {
    this.childIntensity = childIntensity;
    return this;
  }

  /** @return the period of the per-child restart budget */
  public Duration getChildPeriod() {
    return childPeriod;
  }

  /**
   * @param childPeriod the period of the per-child restart budget, positive
   * @return this
   */
  public DistributedSupervisorOptions setChildPeriod(Duration childPeriod) {
    this.childPeriod = Objects.requireNonNull(childPeriod, "childPeriod");
    return this;
  }

  /** @return the timeout of requests to another member */
  public Duration getRequestTimeout() {
    return requestTimeout;
  }

  /**
   * @param requestTimeout the timeout of requests to another member, positive
   * @return this
   */
  public DistributedSupervisorOptions setRequestTimeout(Duration requestTimeout) {
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    return this;
  }

  /** @return the interval of the reconcile pass */
  public Duration getReconcileInterval() {
    return reconcileInterval;
  }

  /**
   * @param reconcileInterval the interval of the reconcile pass, positive
   * @return this
   */
  public DistributedSupervisorOptions setReconcileInterval(Duration reconcileInterval) {
    this.reconcileInterval = Objects.requireNonNull(reconcileInterval, "reconcileInterval");
    return this;
  }

  /** @return how long startChild waits for the chosen member to start the child */
  public Duration getStartTimeout() {
    return startTimeout;
  }

  /**
   * @param startTimeout how long startChild waits for the chosen member to start the child, positive
   * @return this
   */
  public DistributedSupervisorOptions setStartTimeout(Duration startTimeout) {
    this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
    return this;
  }

  /** @return whether children move to a member that joins */
  public boolean isRebalanceOnJoin() {
    return rebalanceOnJoin;
  }

  /**
   * @param rebalanceOnJoin whether children move to a member that joins, each by a graceful handoff
   * @return this
   */
  public DistributedSupervisorOptions setRebalanceOnJoin(boolean rebalanceOnJoin) {
    this.rebalanceOnJoin = rebalanceOnJoin;
    return this;
  }

  /** @return the most children one member hands off per rebalance interval */
  public int getRebalanceMoves() {
    return rebalanceMoves;
  }

  /**
   * @param rebalanceMoves the most handoffs per interval and member, positive
   * @return this
   */
  public DistributedSupervisorOptions setRebalanceMoves(int rebalanceMoves) {
    this.rebalanceMoves = rebalanceMoves;
    return this;
  }

  /** @return the rebalance interval */
  public Duration getRebalanceInterval() {
    return rebalanceInterval;
  }

  /**
   * @param rebalanceInterval the rebalance interval, positive
   * @return this
   */
  public DistributedSupervisorOptions setRebalanceInterval(Duration rebalanceInterval) {
    this.rebalanceInterval = Objects.requireNonNull(rebalanceInterval, "rebalanceInterval");
    return this;
  }

  /** @return the most children a leaving member has stopped and not yet seen started elsewhere; 0 for no limit */
  public int getHandoffConcurrency() {
    return handoffConcurrency;
  }

  /**
   * Paces a graceful leave. The leaving member hands its children off in waves of at most this
   * many: it stops a wave's children (their {@code terminate} runs, their state is saved), moves
   * their rows in one batch, and stops the next wave once the new owners confirm they started
   * the previous one (or after {@link #getRequestTimeout()} without that confirmation). Each
   * child is then unavailable for about one wave's latency instead of the whole leave's, and a
   * child keeps serving until its own wave. 0, or at least as many as the member runs, hands
   * everything off at once. The whole leave takes about (children / this) waves; past
   * {@link #getHandoffTimeout()} the remaining children are handed off at once. Undeploying the
   * supervisor, {@link OverseerCluster#close()} and SIGTERM pace the leave; a raw
   * {@code vertx.close()} does not (Vert.x's close hooks stop every local child first), so close a
   * member with {@link OverseerCluster#close()}.
   *
   * @param handoffConcurrency the wave size, 0 or more; 0 for all at once
   * @return this
   */
  public DistributedSupervisorOptions setHandoffConcurrency(int handoffConcurrency) {
    this.handoffConcurrency = handoffConcurrency;
    return this;
  }

  /** @return how many local supervisors each member runs its children under */
  public int getLocalPartitions() {
    return localPartitions;
  }

  /**
   * Each member runs the children it owns under this many core {@code DynamicSupervisor}s (its
   * local partitions), a child's partition chosen by its id, as Elixir's
   * {@code PartitionSupervisor} spreads children over several {@code DynamicSupervisor}s. A
   * dynamic supervisor starts children concurrently, but its {@code terminateChild} holds it for
   * the child's whole shutdown, as OTP's does, and a {@code Server} child's stop includes its
   * {@code terminate}, the last save, the name's release and its route grace
   * ({@code ClusterOptions.routeGrace}, 100 ms): under a single local supervisor, a leaving
   * member stopped a wave's servers one after the other (measured: 1.8 s p50 unavailability per
   * child in a leave of 333 servers; 0.7 s with 4 partitions, 0.4 s with 16). Children of different
   * partitions stop concurrently; within one, one at a time. 1 gives the single local supervisor
   * back. More is not free: each partition registers a name and opens a control consumer when
   * the supervisor starts and releases them when it stops, and a leave with few children was
   * about 150 ms slower per child with 16 than with 1 or 4 (the handoff sample). Each partition
   * is a supervisor of its own in {@code SupervisorBase.all} (the console lists them), named
   * after the distributed supervisor, the member and the index.
   *
   * @param localPartitions from 1 to {@value #MAX_LOCAL_PARTITIONS}
   * @return this
   */
  public DistributedSupervisorOptions setLocalPartitions(int localPartitions) {
    this.localPartitions = localPartitions;
    return this;
  }

  /** @return how long a leaving member paces its handoff in waves before handing off the rest at once */
  public Duration getHandoffTimeout() {
    return handoffTimeout;
  }

  /**
   * Bounds a paced leave (see {@link #setHandoffConcurrency}): once this much time has passed
   * since the leave began, the children not handed off yet are handed off in one last wave,
   * without waiting for confirmations. Keep it below whatever waits for the leave (the
   * {@link OverseerCluster} shutdown hook waits 30 s for the whole close).
   *
   * @param handoffTimeout the pacing budget of a leave, positive
   * @return this
   */
  public DistributedSupervisorOptions setHandoffTimeout(Duration handoffTimeout) {
    this.handoffTimeout = Objects.requireNonNull(handoffTimeout, "handoffTimeout");
    return this;
  }

  /** @return the control address, or {@code null} for {@value #CONTROL_ADDRESS_PREFIX} + name */
  public String getControlAddress() {
    return controlAddress;
  }

  /**
   * @param controlAddress where the operations are reachable on the event bus
   * @return this
   */
  public DistributedSupervisorOptions setControlAddress(String controlAddress) {
    this.controlAddress = controlAddress;
    return this;
  }

  /** @return the placement strategy; default {@link RendezvousPlacement} */
  public Placement getPlacement() {
    return placement;
  }

  /**
   * @param placement the placement strategy, the same on every member
   * @return this
   */
  public DistributedSupervisorOptions setPlacement(Placement placement) {
    this.placement = Objects.requireNonNull(placement, "placement");
    return this;
  }

  /** @return which event loop this member's children run on; {@link ChildLoop#ANY} by default */
  public ChildLoop getChildLoop() {
    return childLoop;
  }

  /**
   * @param childLoop which event loop the children this member runs are on: {@link ChildLoop#ANY}
   *     (the one Vert.x picks for each, the default) or {@link ChildLoop#SUPERVISOR} (the loop
   *     of the child's local supervisor, as {@link SupervisorOptions#setChildLoop}: one loop per
   *     local partition, see {@link #setLocalPartitions}); JSON field {@code childLoop}
   * @return this
   */
  public DistributedSupervisorOptions setChildLoop(ChildLoop childLoop) {
    this.childLoop = Objects.requireNonNull(childLoop, "childLoop");
    return this;
  }

  @Override
  public String toString() {
    return toJson().encode();
  }
}
