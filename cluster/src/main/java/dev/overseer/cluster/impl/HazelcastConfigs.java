package dev.overseer.cluster.impl;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import dev.overseer.cluster.ClusterOptions;

/**
 * Builds the Hazelcast {@link Config} of one member from {@link ClusterOptions}. A new config per
 * call: joining mutates it, so two members must never share one.
 */
public final class HazelcastConfigs {

  /** Prefix of every map Overseer creates; they all get synchronous backups: {@value}. */
  public static final String MAP_PREFIX = "overseer.";

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

  private static void loopbackSafeNetwork(Config config, ClusterOptions options) {
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.getPort()).setPortAutoIncrement(options.isPortAutoIncrement());
    String host = options.getHost();
    if (host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
      network.getInterfaces().setEnabled(true).addInterface(host);
    } else {
      config.setProperty("hazelcast.local.localAddress", host);
    }
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
