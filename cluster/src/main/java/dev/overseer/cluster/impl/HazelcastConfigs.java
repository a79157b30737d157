package dev.overseer.cluster.impl;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import dev.overseer.cluster.ClusterOptions;

/**
 * Builds the Hazelcast {@link Config} of one member from {@link ClusterOptions}. A new config per
 * call: joining mutates it, so two members must never share one.
 */
public final class HazelcastConfigs {

  /** Prefix of every map Overseer creates; they all get synchronous backups: {@value}. */
  public static final String MAP_PREFIX = "overseer.";

  private static final int CONNECT_TIMEOUT_SECONDS = 10;
  private static final System.Logger LOG = System.getLogger(HazelcastConfigs.class.getName());

  private HazelcastConfigs() {
  }

  /**
   * @param options the member's cluster options
   * @return the config of one member
   */
  public static Config create(ClusterOptions options) {
    Config config;
    if (options.getHazelcastConfig() != null) {
      config = options.getHazelcastConfig().get();
      if (config == null) {
        throw new IllegalArgumentException("hazelcastConfig: the supplier returned null");
      }
      config.setClusterName(options.getClusterName());
      if (!config.getAdvancedNetworkConfig().isEnabled()) {
        LOG.log(System.Logger.Level.WARNING, "hazelcastConfig: Hazelcast's default networking, not its advanced networking"
            + " with a MEMBER endpoint: a paused member can then make the healthy ones drop each other"
            + " (docs/cluster.md, \"A healthy member dropped after a peer's pause\")");
      }
    } else {
      config = new Config();
      config.setClusterName(options.getClusterName());
      loopbackSafeNetwork(config, options);
      // vert.x's own structures, as its default-cluster.xml has them
      config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
          .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
      config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
      config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    }
    property(config, "hazelcast.heartbeat.interval.seconds", options.getHeartbeatIntervalSeconds());
    property(config, "hazelcast.max.no.heartbeat.seconds", options.getMaxNoHeartbeatSeconds());
    // a dead member's partitions get their backups back by migrations: more at once, sooner
    property(config, "hazelcast.partition.max.parallel.migrations", options.getMaxParallelMigrations());
    property(config, "hazelcast.merge.first.run.delay.seconds", options.getMergeFirstRunDelaySeconds());
    property(config, "hazelcast.merge.next.run.delay.seconds", options.getMergeNextRunDelaySeconds());
    property(config, "hazelcast.wait.seconds.before.join", 0);
    // bound to the member's own address, not to every interface (Hazelcast's default)
    property(config, "hazelcast.socket.bind.any", false);
    property(config, "hazelcast.phone.home.enabled", false);
    property(config, "hazelcast.logging.type", "jdk");
    // Hazelcast answers a write whose backup did not acknowledge it within this timeout as if it
    // had, with the value on the primary alone (no IndeterminateOperationStateException unless
    // fail.on.indeterminate.state, which would also fail Vert.x's own map operations whenever a
    // member leaves). Longer than the operation timeout, a stash or table write whose backup hangs
    // (a paused member) fails to its caller at operationTimeout (UNAVAILABLE: outcome unknown)
    // instead of being acknowledged without its backup.
    property(config, "hazelcast.operation.backup.timeout.millis", options.getOperationTimeout().toMillis() + 1000);
    // synchronous backups: a put is acknowledged only once its backups have it
    config.addMapConfig(new MapConfig(MAP_PREFIX + "*")
        .setBackupCount(options.getBackupCount())
        .setAsyncBackupCount(0)
        .setReadBackupData(false));
    config.getSerializationConfig().addDataSerializableFactory(OverseerSerializers.FACTORY_ID, new OverseerSerializers());
    if (config.getSerializationConfig().getJavaSerializationFilterConfig() == null) {
      // values are JSON text and processors are IdentifiedDataSerializable: nothing of Overseer's
      // needs Java serialization, so only JDK value types and Vert.x/Hazelcast classes get through
      config.getSerializationConfig().setJavaSerializationFilterConfig(new JavaSerializationFilterConfig()
          .setWhitelist(new ClassFilter().addPrefixes("java.lang.", "java.util.", "java.time.", "java.math.",
              "io.vertx.", "com.hazelcast.", "dev.overseer.")));
    }
    dev.overseer.cluster.DistributedSupervisor.configure(config, options.getQuorum());
    return config;
  }

  /**
   * Members talk over Hazelcast's advanced networking, with a MEMBER endpoint only. Its member
   * channel waits for a peer's protocol bytes without using its IO thread; the unified channel of
   * Hazelcast's default networking re-queues its pipeline on the IO thread while it waits, so a
   * connection to a peer whose kernel accepts it but which never answers (a paused process) keeps
   * that thread from ever selecting again: every connection it serves stops sending, heartbeats
   * included, and a healthy member is dropped (docs/cluster.md, "A healthy member dropped after a
   * peer's pause"; {@code HazelcastNetworkingTest}).
   */
  private static void loopbackSafeNetwork(Config config, ClusterOptions options) {
    ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
    member.setPort(options.getPort()).setPortAutoIncrement(options.isPortAutoIncrement());
    // as the default networking has them: hazelcast.socket.connect.timeout.seconds (an endpoint's
    // 0 waits as long as the OS lets a connect wait) and hazelcast.socket.linger.seconds (an
    // endpoint's 0 would reset every connection it closes, unsent bytes dropped)
    member.setSocketConnectTimeoutSeconds(CONNECT_TIMEOUT_SECONDS).setSocketLingerSeconds(-1);
    String host = options.getHost();
    if (host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
      member.getInterfaces().setEnabled(true).addInterface(host);
    } else {
      config.setProperty("hazelcast.local.localAddress", host);
    }
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
    network.setMemberEndpointConfig(member);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    if (options.getMembers().isEmpty()) {
      join.getTcpIpConfig().addMember(host);
    } else {
      options.getMembers().forEach(join.getTcpIpConfig()::addMember);
    }
  }

  private static void property(Config config, String name, Object value) {
    if (config.getProperty(name) == null && System.getProperty(name) == null) {
      config.setProperty(name, String.valueOf(value));
    }
  }
}
