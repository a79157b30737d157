package dev.overseer.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import com.hazelcast.instance.EndpointQualifier;
import dev.overseer.cluster.impl.HazelcastConfigs;
import dev.overseer.cluster.impl.OverseerSerializers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ClusterOptions: defaults, JSON, validation by field, and the Hazelcast config they make. */
class ClusterOptionsTest {

  @Test
  void defaultsAreLoopbackSafeWithFastFailureDetectionAndBackups() {
    ClusterOptions o = new ClusterOptions();
    assertThat(o.getHost()).isEqualTo("127.0.0.1");
    assertThat(o.getEventBusHost()).isEqualTo("127.0.0.1");
    assertThat(o.getHeartbeatIntervalSeconds()).isEqualTo(1);
    assertThat(o.getMaxNoHeartbeatSeconds()).isEqualTo(5);
    assertThat(o.getMaxParallelMigrations()).isEqualTo(10);
    assertThat(o.getBackupCount()).isEqualTo(1);
    assertThat(o.isShutdownHook()).isTrue();
    assertThat(o.getMembers()).isEmpty();
    o.validate();
  }

  @Test
  void roundTripsThroughJsonAndCopies() {
    ClusterOptions o = new ClusterOptions().setClusterName("c").setHost("10.0.0.1").setPort(6000).setPortAutoIncrement(false)
        .setMembers(List.of("10.0.0.1:6000", "10.0.0.2")).setEventBusHost("10.0.0.1").setEventBusPort(7000)
        .setHeartbeatIntervalSeconds(2).setMaxNoHeartbeatSeconds(9).setMaxParallelMigrations(7).setMergeFirstRunDelaySeconds(5)
        .setMergeNextRunDelaySeconds(6).setBackupCount(2).setShutdownHook(false)
        .setOperationTimeout(Duration.ofMillis(1234)).setVacancyTimeout(Duration.ofMillis(4321))
        .setRouteGrace(Duration.ofMillis(77));
    JsonObject json = o.toJson();
    assertThat(new ClusterOptions(json).toJson()).isEqualTo(json);
    assertThat(new ClusterOptions(o).toJson()).isEqualTo(json);
    assertThat(new ClusterOptions(new JsonObject()).toJson()).isEqualTo(new ClusterOptions().toJson());
  }

  @Test
  void aMistypedJsonFieldIsNamed() {
    assertThatThrownBy(() -> new ClusterOptions(new JsonObject().put("port", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("port:");
    assertThatThrownBy(() -> new ClusterOptions(new JsonObject().put("members", "a")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("members:");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "clusterName|{\"clusterName\":\" \"}",
      "port|{\"port\":0}",
      "port|{\"port\":70000}",
      "members|{\"members\":[\"127.0.0.1:5701-5703\"]}",
      "members|{\"members\":[\"\"]}",
      "eventBusPort|{\"eventBusPort\":-1}",
      "heartbeatIntervalSeconds|{\"heartbeatIntervalSeconds\":0}",
      "maxNoHeartbeatSeconds|{\"maxNoHeartbeatSeconds\":1}",
      "maxParallelMigrations|{\"maxParallelMigrations\":0}",
      "mergeFirstRunDelaySeconds|{\"mergeFirstRunDelaySeconds\":0}",
      "backupCount|{\"backupCount\":0}",
      "operationTimeout|{\"operationTimeout\":0}",
      "vacancyTimeout|{\"vacancyTimeout\":-1}",
      "routeGrace|{\"routeGrace\":-1}"})
  void validationNamesTheField(String field, String json) {
    ClusterOptions o = new ClusterOptions(new JsonObject(json));
    assertThatThrownBy(o::validate).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(field + ":");
  }

  @Test
  void anInvalidOptionFailsTheStartWithoutStartingAnything() {
    assertThatThrownBy(() -> OverseerCluster.start(new ClusterOptions().setBackupCount(0)).await())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("backupCount:");
  }

  @Nested
  class HazelcastConfig {
    @Test
    void joinsOverTcpIpOnLoopbackOnly() {
      Config c = HazelcastConfigs.create(new ClusterOptions().setClusterName("x").setPort(6100).setPortAutoIncrement(false)
          .addMember("127.0.0.1:6100").addMember("127.0.0.1:6101"));
      assertThat(c.getAdvancedNetworkConfig().isEnabled()).isTrue();
      ServerSocketEndpointConfig member = (ServerSocketEndpointConfig) c.getAdvancedNetworkConfig().getEndpointConfigs()
          .get(EndpointQualifier.MEMBER);
      assertThat(c.getAdvancedNetworkConfig().getEndpointConfigs()).containsOnlyKeys(EndpointQualifier.MEMBER);
      JoinConfig join = c.getAdvancedNetworkConfig().getJoin();
      assertThat(c.getClusterName()).isEqualTo("x");
      assertThat(join.getMulticastConfig().isEnabled()).isFalse();
      assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
      assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
      assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1:6100", "127.0.0.1:6101");
      assertThat(member.getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
      assertThat(member.getPort()).isEqualTo(6100);
      assertThat(member.isPortAutoIncrement()).isFalse();
      assertThat(member.getSocketConnectTimeoutSeconds()).isEqualTo(10);
      assertThat(member.getSocketLingerSeconds()).isEqualTo(-1);
      assertThat(c.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
      assertThat(c.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
      assertThat(c.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    }

    @Test
    void setsFailureDetectionMergeDelaysBackupsSerialization() {
      Config c = HazelcastConfigs.create(new ClusterOptions().setMaxNoHeartbeatSeconds(7).setMergeFirstRunDelaySeconds(5)
          .setMergeNextRunDelaySeconds(6).setBackupCount(2).setMaxParallelMigrations(33));
      assertThat(c.getProperty("hazelcast.partition.max.parallel.migrations")).isEqualTo("33");
      assertThat(c.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
      assertThat(c.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("7");
      assertThat(c.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("5");
      assertThat(c.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("6");
      assertThat(c.getMapConfig("overseer.stash.default").getBackupCount()).isEqualTo(2);
      assertThat(c.getMapConfig("overseer.names").getAsyncBackupCount()).isZero();
      assertThat(c.getSerializationConfig().getDataSerializableFactories()).containsKey(OverseerSerializers.FACTORY_ID);
      assertThat(c.getSerializationConfig().getJavaSerializationFilterConfig().getWhitelist().isListed("dev.overseer.X")).isTrue();
      assertThat(c.getSerializationConfig().getJavaSerializationFilterConfig().getWhitelist()
          .isListed("org.apache.commons.collections.functors.InvokerTransformer")).isFalse();
    }

    @Test
    void startsFromAUsersConfigKeepingItsNetworkAndProperties() {
      Config own = new Config();
      own.getNetworkConfig().setPort(7777);
      own.setProperty("hazelcast.max.no.heartbeat.seconds", "20");
      Config c = HazelcastConfigs.create(new ClusterOptions().setClusterName("mine").setHazelcastConfig(() -> own));
      assertThat(c).isSameAs(own);
      assertThat(c.getClusterName()).isEqualTo("mine");
      assertThat(c.getNetworkConfig().getPort()).isEqualTo(7777);
      assertThat(c.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("20");
      assertThat(c.getMapConfig("overseer.stash.default").getBackupCount()).isEqualTo(1);
      assertThat(c.getSerializationConfig().getDataSerializableFactories()).containsKey(OverseerSerializers.FACTORY_ID);
    }
  }
}
