package dev.overseer.cluster;

import com.hazelcast.config.Config;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How {@link OverseerCluster#start} forms a clustered Vert.x on Hazelcast. The Vert.x options
 * shape: defaults as {@code DEFAULT_*} constants, no-argument, copy and JSON constructors,
 * {@link #toJson()}, fluent setters, and {@link #validate()} whose errors name the field.
 *
 * <p>The defaults are safe on one machine: Hazelcast and the event bus bind to 127.0.0.1, members
 * join over TCP-IP (multicast, auto-detection and phone-home are off), a dead member is suspected
 * after {@value #DEFAULT_MAX_NO_HEARTBEAT_SECONDS} s without a heartbeat instead of Hazelcast's
 * 60 s, and Overseer's maps keep {@value #DEFAULT_BACKUP_COUNT} synchronous backup. A cluster that
 * spans machines sets {@link #setHost host}, {@link #setEventBusHost eventBusHost} and
 * {@link #setMembers members} to routable addresses; see {@code docs/cluster.md}.
 */
public class ClusterOptions {

  /** Default cluster name: {@value}. Members with different names never join each other. */
  public static final String DEFAULT_CLUSTER_NAME = "overseer";
  /** Default interface Hazelcast binds to and advertises: {@value}. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default Hazelcast member port: {@value} (Hazelcast's). */
  public static final int DEFAULT_PORT = 5701;
  /** Whether Hazelcast may try the next ports when {@link #getPort port} is taken: {@value}. */
  public static final boolean DEFAULT_PORT_AUTO_INCREMENT = true;
  /** Default interface the Vert.x event bus binds to: {@value}. */
  public static final String DEFAULT_EVENT_BUS_HOST = "127.0.0.1";
  /** Default event-bus port: {@value} (a free port). */
  public static final int DEFAULT_EVENT_BUS_PORT = 0;
  /** Default heartbeat interval: {@value} s (Hazelcast's is 5 s). */
  public static final int DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 1;
  /**
   * Default time without a heartbeat after which a member is removed: {@value} s (Hazelcast's is
   * 60 s). A hung member is detected this long after it hangs; a killed one in well under a second
   * (its sockets close). Lower is faster failover but more false suspicions under GC pauses or load.
   */
  public static final int DEFAULT_MAX_NO_HEARTBEAT_SECONDS = 5;
  /** Default delay before the first split-brain merge attempt: {@value} s (Hazelcast's). */
  public static final int DEFAULT_MERGE_FIRST_RUN_DELAY_SECONDS = 300;
  /** Default delay between split-brain merge attempts: {@value} s (Hazelcast's). */
  public static final int DEFAULT_MERGE_NEXT_RUN_DELAY_SECONDS = 120;
  /**
   * Default number of partition migrations a member runs at once: {@value} (Hazelcast's). After a
   * member dies, the partitions it held a replica of get a new backup only by these migrations,
   * and a stash write waits for its partition's backup: with 100, 1,000 stateful servers were
   * serving again 7.7–9.6 s after a SIGKILL (p50) against 17.6 s with 10. But with 100, writes
   * made while the migrations of a join run (a cluster starting) sometimes waited out their
   * timeout for a backup acknowledgement that never came (twice in two runs of the cluster test
   * suite; never with 10), so the default stays Hazelcast's. Raise it for many stateful servers
   * and test your start-up under load.
   */
  public static final int DEFAULT_MAX_PARALLEL_MIGRATIONS = 10;
  /** Default number of synchronous backups of Overseer's maps: {@value}. */
  public static final int DEFAULT_BACKUP_COUNT = 1;
  /** A JVM shutdown hook makes SIGTERM a graceful leave by default: {@value}. */
  public static final boolean DEFAULT_SHUTDOWN_HOOK = true;
  /** Default bound of every stash and name-registry operation: 5 s. */
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(5);
  /** Default time a vacated name stays expected (callers wait for its next holder): 60 s. */
  public static final Duration DEFAULT_VACANCY_TIMEOUT = Duration.ofSeconds(60);
  /**
   * Default time a stopping server's consumer keeps answering after its route was withdrawn, so
   * the other members stop routing calls to it before it closes (see {@link #setRouteGrace}): 100 ms.
   */
  public static final Duration DEFAULT_ROUTE_GRACE = Duration.ofMillis(100);
  /** Default quorum: 0, no split-brain protection (see {@link #setQuorum}). */
  public static final int DEFAULT_QUORUM = 0;

  private String clusterName = DEFAULT_CLUSTER_NAME;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private boolean portAutoIncrement = DEFAULT_PORT_AUTO_INCREMENT;
  private List<String> members = new ArrayList<>();
  private String eventBusHost = DEFAULT_EVENT_BUS_HOST;
  private int eventBusPort = DEFAULT_EVENT_BUS_PORT;
  private int heartbeatIntervalSeconds = DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  private int maxNoHeartbeatSeconds = DEFAULT_MAX_NO_HEARTBEAT_SECONDS;
  private int maxParallelMigrations = DEFAULT_MAX_PARALLEL_MIGRATIONS;
  private int mergeFirstRunDelaySeconds = DEFAULT_MERGE_FIRST_RUN_DELAY_SECONDS;
  private int mergeNextRunDelaySeconds = DEFAULT_MERGE_NEXT_RUN_DELAY_SECONDS;
  private int backupCount = DEFAULT_BACKUP_COUNT;
  private boolean shutdownHook = DEFAULT_SHUTDOWN_HOOK;
  private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
  private Duration vacancyTimeout = DEFAULT_VACANCY_TIMEOUT;
  private Duration routeGrace = DEFAULT_ROUTE_GRACE;
  private int quorum = DEFAULT_QUORUM;
  private Supplier<Config> hazelcastConfig;

  /** Options with the defaults. */
  public ClusterOptions() {
  }

  /** @param other options to copy */
  public ClusterOptions(ClusterOptions other) {
    clusterName = other.clusterName;
    host = other.host;
    port = other.port;
    portAutoIncrement = other.portAutoIncrement;
    members = new ArrayList<>(other.members);
    eventBusHost = other.eventBusHost;
    eventBusPort = other.eventBusPort;
    heartbeatIntervalSeconds = other.heartbeatIntervalSeconds;
    maxNoHeartbeatSeconds = other.maxNoHeartbeatSeconds;
    maxParallelMigrations = other.maxParallelMigrations;
    mergeFirstRunDelaySeconds = other.mergeFirstRunDelaySeconds;
    mergeNextRunDelaySeconds = other.mergeNextRunDelaySeconds;
    backupCount = other.backupCount;
    shutdownHook = other.shutdownHook;
    operationTimeout = other.operationTimeout;
    vacancyTimeout = other.vacancyTimeout;
    routeGrace = other.routeGrace;
    quorum = other.quorum;
    hazelcastConfig = other.hazelcastConfig;
  }

  /**
   * @param json the form {@link #toJson()} writes; missing keys keep their defaults (durations in
   *     milliseconds)
   * @throws IllegalArgumentException naming a field of the wrong type
   */
  public ClusterOptions(JsonObject json) {
    clusterName = field("clusterName", () -> json.getString("clusterName", DEFAULT_CLUSTER_NAME));
    host = field("host", () -> json.getString("host", DEFAULT_HOST));
    port = field("port", () -> json.getInteger("port", DEFAULT_PORT));
    portAutoIncrement = field("portAutoIncrement", () -> json.getBoolean("portAutoIncrement", DEFAULT_PORT_AUTO_INCREMENT));
    members = field("members", () -> {
      List<String> list = new ArrayList<>();
      JsonArray array = json.getJsonArray("members", new JsonArray());
      for (int i = 0; i < array.size(); i++) {
        list.add(array.getString(i));
      }
      return list;
    });
    eventBusHost = field("eventBusHost", () -> json.getString("eventBusHost", DEFAULT_EVENT_BUS_HOST));
    eventBusPort = field("eventBusPort", () -> json.getInteger("eventBusPort", DEFAULT_EVENT_BUS_PORT));
    heartbeatIntervalSeconds = field("heartbeatIntervalSeconds",
        () -> json.getInteger("heartbeatIntervalSeconds", DEFAULT_HEARTBEAT_INTERVAL_SECONDS));
    maxNoHeartbeatSeconds = field("maxNoHeartbeatSeconds",
        () -> json.getInteger("maxNoHeartbeatSeconds", DEFAULT_MAX_NO_HEARTBEAT_SECONDS));
    maxParallelMigrations = field("maxParallelMigrations",
        () -> json.getInteger("maxParallelMigrations", DEFAULT_MAX_PARALLEL_MIGRATIONS));
    mergeFirstRunDelaySeconds = field("mergeFirstRunDelaySeconds",
        () -> json.getInteger("mergeFirstRunDelaySeconds", DEFAULT_MERGE_FIRST_RUN_DELAY_SECONDS));
    mergeNextRunDelaySeconds = field("mergeNextRunDelaySeconds",
        () -> json.getInteger("mergeNextRunDelaySeconds", DEFAULT_MERGE_NEXT_RUN_DELAY_SECONDS));
    backupCount = field("backupCount", () -> json.getInteger("backupCount", DEFAULT_BACKUP_COUNT));
    shutdownHook = field("shutdownHook", () -> json.getBoolean("shutdownHook", DEFAULT_SHUTDOWN_HOOK));
    operationTimeout = field("operationTimeout",
        () -> Duration.ofMillis(json.getLong("operationTimeout", DEFAULT_OPERATION_TIMEOUT.toMillis())));
    vacancyTimeout = field("vacancyTimeout",
        () -> Duration.ofMillis(json.getLong("vacancyTimeout", DEFAULT_VACANCY_TIMEOUT.toMillis())));
    routeGrace = field("routeGrace",
        () -> Duration.ofMillis(json.getLong("routeGrace", DEFAULT_ROUTE_GRACE.toMillis())));
    quorum = field("quorum", () -> json.getInteger("quorum", DEFAULT_QUORUM));
  }

  private static <T> T field(String name, Supplier<T> read) {
    try {
      return read.get();
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException(name + ": wrong type (" + e.getMessage() + ")", e);
    }
  }

  /**
   * @return the options as JSON, durations in milliseconds; a {@link #setHazelcastConfig Hazelcast
   *     config} is code, not data, and is left out
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("clusterName", clusterName)
        .put("host", host)
        .put("port", port)
        .put("portAutoIncrement", portAutoIncrement)
        .put("members", new JsonArray(new ArrayList<>(members)))
        .put("eventBusHost", eventBusHost)
        .put("eventBusPort", eventBusPort)
        .put("heartbeatIntervalSeconds", heartbeatIntervalSeconds)
        .put("maxNoHeartbeatSeconds", maxNoHeartbeatSeconds)
        .put("maxParallelMigrations", maxParallelMigrations)
        .put("mergeFirstRunDelaySeconds", mergeFirstRunDelaySeconds)
        .put("mergeNextRunDelaySeconds", mergeNextRunDelaySeconds)
        .put("backupCount", backupCount)
        .put("shutdownHook", shutdownHook)
        .put("operationTimeout", operationTimeout.toMillis())
        .put("vacancyTimeout", vacancyTimeout.toMillis())
        .put("routeGrace", routeGrace.toMillis())
        .put("quorum", quorum);
  }

  /**
   * Checks every field.
   *
   * @return these options
   * @throws IllegalArgumentException naming the first invalid field and why
   */
  public ClusterOptions validate() {
    require(clusterName != null && !clusterName.isBlank(), "clusterName", "must not be blank");
    require(host != null && !host.isBlank(), "host", "must not be blank");
    require(port >= 1 && port <= 65535, "port", "must be 1..65535, got " + port);
    for (String m : members) {
      require(m != null && !m.isBlank(), "members", "must not hold a blank address");
      int colon = m.lastIndexOf(':');
      if (colon >= 0) {
        String p = m.substring(colon + 1);
        require(p.chars().allMatch(Character::isDigit) && !p.isEmpty() && Integer.parseInt(p) >= 1 && Integer.parseInt(p) <= 65535,
            "members", "'" + m + "' must be host or host:port with one port 1..65535 (no ranges)");
      }
    }
    require(eventBusHost != null && !eventBusHost.isBlank(), "eventBusHost", "must not be blank");
    require(eventBusPort >= 0 && eventBusPort <= 65535, "eventBusPort", "must be 0..65535, got " + eventBusPort);
    require(heartbeatIntervalSeconds >= 1, "heartbeatIntervalSeconds", "must be 1 or more, got " + heartbeatIntervalSeconds);
    require(maxNoHeartbeatSeconds > heartbeatIntervalSeconds, "maxNoHeartbeatSeconds",
        "must be more than heartbeatIntervalSeconds (" + heartbeatIntervalSeconds + "), got " + maxNoHeartbeatSeconds);
    require(maxParallelMigrations >= 1, "maxParallelMigrations", "must be 1 or more, got " + maxParallelMigrations);
    require(mergeFirstRunDelaySeconds >= 1, "mergeFirstRunDelaySeconds", "must be 1 or more, got " + mergeFirstRunDelaySeconds);
    require(mergeNextRunDelaySeconds >= 1, "mergeNextRunDelaySeconds", "must be 1 or more, got " + mergeNextRunDelaySeconds);
    require(backupCount >= 1 && backupCount <= 6, "backupCount",
        "must be 1..6 (a stash without a backup loses state when a member dies), got " + backupCount);
    require(operationTimeout != null && !operationTimeout.isNegative() && !operationTimeout.isZero(),
        "operationTimeout", "must be positive, got " + operationTimeout);
    require(vacancyTimeout != null && !vacancyTimeout.isNegative(), "vacancyTimeout", "must not be negative, got " + vacancyTimeout);
    require(routeGrace != null && !routeGrace.isNegative(), "routeGrace", "must not be negative, got " + routeGrace);
    require(quorum >= 0, "quorum", "must be 0 or more, got " + quorum);
    return this;
  }

  private static void require(boolean ok, String field, String why) {
    if (!ok) {
      throw new IllegalArgumentException(field + ": " + why);
    }
  }

  /** @return the Hazelcast cluster name; default {@value #DEFAULT_CLUSTER_NAME} */
  public String getClusterName() {
    return clusterName;
  }

  /**
   * @param clusterName the Hazelcast cluster name; members join only members of the same name
   * @return these options
   */
  public ClusterOptions setClusterName(String clusterName) {
    this.clusterName = clusterName;
    return this;
  }

  /** @return the interface Hazelcast binds to and advertises; default {@value #DEFAULT_HOST} */
  public String getHost() {
    return host;
  }

  /**
   * @param host the interface Hazelcast binds to and advertises
   * @return these options
   */
  public ClusterOptions setHost(String host) {
    this.host = host;
    return this;
  }

  /** @return the Hazelcast member port; default {@value #DEFAULT_PORT} */
  public int getPort() {
    return port;
  }

  /**
   * @param port the Hazelcast member port
   * @return these options
   */
  public ClusterOptions setPort(int port) {
    this.port = port;
    return this;
  }

  /** @return whether Hazelcast tries the next ports when {@link #getPort} is taken; default {@value #DEFAULT_PORT_AUTO_INCREMENT} */
  public boolean isPortAutoIncrement() {
    return portAutoIncrement;
  }

  /**
   * @param portAutoIncrement whether Hazelcast tries the next ports when the port is taken
   * @return these options
   */
  public ClusterOptions setPortAutoIncrement(boolean portAutoIncrement) {
    this.portAutoIncrement = portAutoIncrement;
    return this;
  }

  /**
   * @return the TCP-IP join list, {@code host} or {@code host:port} each; empty (the default)
   *     means {@link #getHost host} alone, where Hazelcast tries ports 5701 to 5703
   */
  public List<String> getMembers() {
    return members;
  }

  /**
   * @param members the TCP-IP join list, {@code host} or {@code host:port} each (no port ranges)
   * @return these options
   */
  public ClusterOptions setMembers(List<String> members) {
    this.members = new ArrayList<>(Objects.requireNonNull(members, "members"));
    return this;
  }

  /**
   * @param member a {@code host} or {@code host:port} to add to the join list
   * @return these options
   */
  public ClusterOptions addMember(String member) {
    members.add(member);
    return this;
  }

  /** @return the interface the event bus binds to; default {@value #DEFAULT_EVENT_BUS_HOST} */
  public String getEventBusHost() {
    return eventBusHost;
  }

  /**
   * @param eventBusHost the interface the event bus binds to and advertises
   * @return these options
   */
  public ClusterOptions setEventBusHost(String eventBusHost) {
    this.eventBusHost = eventBusHost;
    return this;
  }

  /** @return the event-bus port; default {@value #DEFAULT_EVENT_BUS_PORT}, a free port */
  public int getEventBusPort() {
    return eventBusPort;
  }

  /**
   * @param eventBusPort the event-bus port, 0 for a free one
   * @return these options
   */
  public ClusterOptions setEventBusPort(int eventBusPort) {
    this.eventBusPort = eventBusPort;
    return this;
  }

  /** @return the heartbeat interval in seconds; default {@value #DEFAULT_HEARTBEAT_INTERVAL_SECONDS} */
  public int getHeartbeatIntervalSeconds() {
    return heartbeatIntervalSeconds;
  }

  /**
   * @param seconds the heartbeat interval (Hazelcast's {@code hazelcast.heartbeat.interval.seconds})
   * @return these options
   */
  public ClusterOptions setHeartbeatIntervalSeconds(int seconds) {
    this.heartbeatIntervalSeconds = seconds;
    return this;
  }

  /** @return partition migrations a member runs at once; default {@value #DEFAULT_MAX_PARALLEL_MIGRATIONS} */
  public int getMaxParallelMigrations() {
    return maxParallelMigrations;
  }

  /**
   * @param migrations partition migrations a member runs at once (Hazelcast's
   *     {@code hazelcast.partition.max.parallel.migrations}); see
   *     {@link #DEFAULT_MAX_PARALLEL_MIGRATIONS} for why it matters
   * @return these options
   */
  public ClusterOptions setMaxParallelMigrations(int migrations) {
    this.maxParallelMigrations = migrations;
    return this;
  }

  /** @return seconds without a heartbeat before a member is removed; default {@value #DEFAULT_MAX_NO_HEARTBEAT_SECONDS} */
  public int getMaxNoHeartbeatSeconds() {
    return maxNoHeartbeatSeconds;
  }

  /**
   * @param seconds seconds without a heartbeat before a member is removed (Hazelcast's
   *     {@code hazelcast.max.no.heartbeat.seconds}); see {@link #DEFAULT_MAX_NO_HEARTBEAT_SECONDS}
   *     for the trade-off
   * @return these options
   */
  public ClusterOptions setMaxNoHeartbeatSeconds(int seconds) {
    this.maxNoHeartbeatSeconds = seconds;
    return this;
  }

  /** @return the first split-brain merge delay in seconds; default {@value #DEFAULT_MERGE_FIRST_RUN_DELAY_SECONDS} */
  public int getMergeFirstRunDelaySeconds() {
    return mergeFirstRunDelaySeconds;
  }

  /**
   * @param seconds delay before the first split-brain merge attempt
   * @return these options
   */
  public ClusterOptions setMergeFirstRunDelaySeconds(int seconds) {
    this.mergeFirstRunDelaySeconds = seconds;
    return this;
  }

  /** @return the delay between split-brain merge attempts in seconds; default {@value #DEFAULT_MERGE_NEXT_RUN_DELAY_SECONDS} */
  public int getMergeNextRunDelaySeconds() {
    return mergeNextRunDelaySeconds;
  }

  /**
   * @param seconds delay between split-brain merge attempts
   * @return these options
   */
  public ClusterOptions setMergeNextRunDelaySeconds(int seconds) {
    this.mergeNextRunDelaySeconds = seconds;
    return this;
  }

  /** @return synchronous backups of Overseer's maps; default {@value #DEFAULT_BACKUP_COUNT} */
  public int getBackupCount() {
    return backupCount;
  }

  /**
   * @param backupCount synchronous backups of Overseer's maps, 1 to 6
   * @return these options
   */
  public ClusterOptions setBackupCount(int backupCount) {
    this.backupCount = backupCount;
    return this;
  }

  /** @return whether a JVM shutdown hook leaves the cluster gracefully; default {@value #DEFAULT_SHUTDOWN_HOOK} */
  public boolean isShutdownHook() {
    return shutdownHook;
  }

  /**
   * @param shutdownHook whether a JVM shutdown hook closes Vert.x (a graceful leave: Hazelcast
   *     migrates this member's data first) on SIGTERM; turn it off when the application closes
   *     Vert.x itself
   * @return these options
   */
  public ClusterOptions setShutdownHook(boolean shutdownHook) {
    this.shutdownHook = shutdownHook;
    return this;
  }

  /** @return the bound of every stash and name-registry operation; default 5 s */
  public Duration getOperationTimeout() {
    return operationTimeout;
  }

  /**
   * @param operationTimeout the bound of every stash and name-registry operation
   * @return these options
   */
  public ClusterOptions setOperationTimeout(Duration operationTimeout) {
    this.operationTimeout = operationTimeout;
    return this;
  }

  /** @return how long a vacated name stays expected; default 60 s */
  public Duration getVacancyTimeout() {
    return vacancyTimeout;
  }

  /**
   * @param vacancyTimeout how long a vacated name (its holder restarting, handed off, or on a
   *     member that died) stays {@link dev.overseer.NameRegistry#isExpected expected}; after it,
   *     callers fail fast again
   * @return these options
   */
  public ClusterOptions setVacancyTimeout(Duration vacancyTimeout) {
    this.vacancyTimeout = vacancyTimeout;
    return this;
  }

  /** @return how long a stopping server's consumer keeps answering after its route was withdrawn; default 100 ms */
  public Duration getRouteGrace() {
    return routeGrace;
  }

  /**
   * When a server stops on this member for good (a graceful leave, a handoff, a stop), its
   * cluster-wide route is withdrawn first, and its consumer keeps answering every call that still
   * reaches it with a retryable "not running" (503) for this long, then closes. The other members
   * learn of the withdrawal through Hazelcast events, a few milliseconds later on an idle
   * cluster; a call that reached this member after the consumer closed would be dropped by the
   * event bus without an answer, and its caller would wait out its timeout. Each stop takes up to
   * this much longer (it overlaps the state save); 0 closes at once.
   *
   * @param routeGrace the grace, not negative
   * @return these options
   */
  public ClusterOptions setRouteGrace(Duration routeGrace) {
    this.routeGrace = routeGrace;
    return this;
  }

  /** @return the supplier of a user's own Hazelcast config, or {@code null} (the default: Overseer builds one) */
  public Supplier<Config> getHazelcastConfig() {
    return hazelcastConfig;
  }

  /**
   * Starts from a user's own Hazelcast config instead of Overseer's. Overseer still adds what it
   * needs (its map configs, serialization factory, a Java serialization filter when none is set,
   * the failure-detection and merge properties when the config sets none), and leaves network and
   * join settings as given. A supplier because joining mutates a config: each member needs a fresh one.
   *
   * @param hazelcastConfig makes a fresh config per call, or {@code null} for Overseer's
   * @return these options
   */
  public ClusterOptions setHazelcastConfig(Supplier<Config> hazelcastConfig) {
    this.hazelcastConfig = hazelcastConfig;
    return this;
  }

  /** @return members a side of a split needs to use the distributed supervisors' tables and the stashes; default 0, none */
  public int getQuorum() {
    return quorum;
  }

  /**
   * @param quorum members a side of a split needs to read or write the distributed supervisors'
   *     tables and the stashes (Hazelcast split-brain protection); a strict majority of the
   *     expected cluster size, the same as the supervisors' quorum. 0 or 1: no protection
   * @return these options
   */
  public ClusterOptions setQuorum(int quorum) {
    this.quorum = quorum;
    return this;
  }

}
