package dev.overseer.cluster;

import com.hazelcast.cluster.Member;
import dev.overseer.NameRegistry;
import dev.overseer.Overseer;
import dev.overseer.cluster.testing.ClusterCounter;
import dev.overseer.cluster.testing.MemberMain;
import dev.overseer.cluster.testing.MemberProcess;
import dev.overseer.cluster.testing.Poll;
import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.server.ServerRef;
import dev.overseer.testing.Await;
import dev.overseer.stash.StashEntry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member in its own JVM is killed with SIGKILL while two members in this JVM survive: what it
 * acknowledged survives, and its names are vacated so a waiting caller reaches the next holder.
 */
class MemberKillTest {

  private static final Duration COMMAND = Duration.ofSeconds(20);
  private static String clusterName;
  private static List<Integer> ports;
  private static List<OverseerCluster> members;
  private MemberProcess victim;

  @BeforeAll
  static void survivors() {
    clusterName = TestClusters.randomName();
    ports = TestClusters.freePorts(2);
    members = TestClusters.start(clusterName, ports);
  }

  @AfterAll
  static void leave() {
    TestClusters.closeAll(members);
  }

  @BeforeEach
  void startVictim() throws Exception {
    int port = TestClusters.freePorts(1).get(0);
    List<Integer> all = new ArrayList<>(ports);
    all.add(port);
    victim = MemberProcess.start(clusterName, port, all);
    awaitClusterSize(3);
  }

  @AfterEach
  void killVictim() {
    victim.close();
  }

  private static void awaitClusterSize(int n) {
    Poll.until("a cluster of " + n + " members", Duration.ofSeconds(30), () -> members.get(0).hazelcast().getCluster().getMembers().size() == n
        && members.get(1).hazelcast().getCluster().getMembers().size() == n);
  }

  private String ownerOf(String key) {
    Member owner = members.get(0).hazelcast().getPartitionService().getPartition(key).getOwner();
    return owner == null ? null : owner.getAttribute(HazelcastNameRegistry.NODE_ID_ATTRIBUTE);
  }

  @Test
  void acknowledgedWritesSurviveASigkillOfTheMemberThatOwnedThem() throws Exception {
    String prefix = "kill-" + UUID.randomUUID() + "-";
    Map<String, String> acked = new LinkedHashMap<>();
    // written by the victim itself, then by a survivor: both kinds live on the victim's partitions too
    for (int i = 0; i < 60; i++) {
      String key = prefix + "v" + i;
      String json = "{\"i\":" + i + "}";
      victim.call(COMMAND, "put", key, "0", json);
      acked.put(key, json);
    }
    List<Future<StashEntry>> puts = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String key = prefix + "s" + i;
      keys.add(key);
      puts.add(members.get(0).stash().put(key, "{\"s\":" + i + "}", 1, 0));
    }
    for (int i = 0; i < keys.size(); i++) {
      puts.get(i).await();
      acked.put(keys.get(i), "{\"s\":" + i + "}");
    }
    long ownedByVictim = acked.keySet().stream().filter(k -> victim.nodeId().equals(ownerOf(k))).count();
    assertThat(ownedByVictim).as("keys whose partition the victim owns").isGreaterThan(0);

    victim.kill();
    awaitClusterSize(2);

    for (Map.Entry<String, String> e : acked.entrySet()) {
      assertThat(members.get(1).stash().get(e.getKey()).await()).as(e.getKey())
          .hasValueSatisfying(entry -> assertThat(entry.json()).isEqualTo(e.getValue()));
    }
  }

  @Test
  void aCallMadeWhileTheNameIsVacatedIsAnsweredByItsNextHolderOnAnotherMember() throws Exception {
    String name = "seq-" + UUID.randomUUID();
    victim.call(COMMAND, "register", name);
    NameRegistry registry = Overseer.nameRegistry(members.get(0).vertx());
    assertThat(registry.whereis(name).await()).hasValueSatisfying(r -> assertThat(r.nodeId()).isEqualTo(victim.nodeId()));
    assertThat(members.get(0).vertx().eventBus().<String>request(name, "who").await().body()).isEqualTo(victim.nodeId());

    victim.kill();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (registry.whereis(name).await().isPresent()) {
      assertThat(System.nanoTime()).as("the dead member's name is still held").isLessThan(deadline);
    }
    assertThat(registry.isExpected(name).await()).isTrue();
    // with the dead member's subscription still there, the event bus may route the call to it
    // (round robin with the next holder's) and the call waits its whole timeout: wait it out
    awaitNoHandlers(members.get(0).vertx(), name);

    // the caller: the name is expected, so wait for its holder, then call it
    Future<String> answer = call(members.get(0).vertx(), registry, name, Duration.ofSeconds(20));
    assertThat(answer.isComplete()).isFalse();
    members.get(1).vertx().deployVerticle(new MemberMain.Holder(name)).await();
    assertThat(answer.await()).isEqualTo(members.get(1).nodeId());
  }

  @Test
  void aServerRefCallDuringFailoverIsAnsweredByTheServerStartedOnAnotherMemberWithTheAcknowledgedState() throws Exception {
    String name = "counter-" + UUID.randomUUID();
    victim.call(COMMAND, "server", name);
    ServerRef ref = ServerRef.of(members.get(0).vertx(), name);
    for (int i = 1; i <= 3; i++) {
      JsonObject reply = (JsonObject) ref.call(1, Duration.ofSeconds(10)).await();
      assertThat(reply.getLong("n")).isEqualTo(i);
      assertThat(reply.getString("node")).isEqualTo(victim.nodeId());
    }

    victim.kill();
    NameRegistry registry = Overseer.nameRegistry(members.get(0).vertx());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (registry.whereis(name).await().isPresent()) {
      assertThat(System.nanoTime()).as("the dead member's server is still registered").isLessThan(deadline);
    }

    // Vert.x drops the dead member's subscriptions a little after the member is removed; a request
    // sent to one before that waits for its whole timeout (CLUSTER-FACTS.md, fact 4), so wait for
    // the fast NO_HANDLERS answer before calling
    awaitNoHandlers(members.get(0).vertx(), name);
    // made during the gap: waits for the name instead of failing
    Future<Object> during = ref.call(10, Duration.ofSeconds(30));
    members.get(1).vertx().deployVerticle(new ClusterCounter(name)).await();
    JsonObject reply = (JsonObject) during.await();
    assertThat(reply.getLong("n")).as("the three acknowledged increments survived the kill").isEqualTo(13);
    assertThat(reply.getString("node")).isEqualTo(members.get(1).nodeId());
  }

  /**
   * A call waiting for a server whose member dies fails with nodedown once Hazelcast removes the
   * member (OTP's {@code {nodedown, Node}}), not at its 60 s timeout; the next call waits for the
   * server's next holder. The member is paused first, so the call is surely in flight when it dies.
   */
  @Test
  void aCallInFlightWhenItsServersMemberDiesFailsWithNodeDownNotItsTimeout() throws Exception {
    String name = "counter-" + UUID.randomUUID();
    victim.call(COMMAND, "server", name);
    ServerRef ref = ServerRef.of(members.get(0).vertx(), name);
    assertThat(((JsonObject) ref.call(1, Duration.ofSeconds(10)).await()).getString("node")).isEqualTo(victim.nodeId());

    victim.pause();
    Future<Object> inFlight = ref.call(1, Duration.ofSeconds(60));
    victim.kill();

    Throwable failed = Await.failure(inFlight);
    assertThat(failed).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(e.failureCode()).isEqualTo(ServerRef.CODE_NODE_DOWN);
    });
    awaitClusterSize(2);
  }

  private static void awaitNoHandlers(Vertx vertx, String address) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      try {
        vertx.eventBus().request(address, 0, new DeliveryOptions().setSendTimeout(500)).await();
        throw new AssertionError("a dead member answered on " + address);
      } catch (ReplyException e) {
        if (e.failureType() == ReplyFailure.NO_HANDLERS) {
          return;
        }
        assertThat(System.nanoTime()).as("the dead member's subscription is still there").isLessThan(deadline);
      }
    }
  }

  /** What a ServerRef does for a vacated name: wait for the next holder within the call's timeout, then call it. */
  private static Future<String> call(Vertx vertx, NameRegistry registry, String name, Duration timeout) {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    return registry.isExpected(name).compose(expected -> {
      if (!expected) {
        return Future.failedFuture("no such name " + name);
      }
      return registry.awaitRegistered(name, timeout).compose(holder -> send(vertx, name, deadline, 1));
    });
  }

  private static Future<String> send(Vertx vertx, String name, long deadline, long pause) {
    long left = deadline - System.currentTimeMillis();
    if (left <= 0) {
      return Future.failedFuture("timed out calling " + name);
    }
    return vertx.eventBus().<String>request(name, "who", new DeliveryOptions().setSendTimeout(left))
        .map(m -> m.body())
        .recover(t -> {
          // the registration can reach us a moment before the holder's consumer does
          if (t instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
            Promise<String> retry = Promise.promise();
            vertx.setTimer(pause, id -> send(vertx, name, deadline, Math.min(pause * 2, 50)).onComplete(retry));
            return retry.future();
          }
          return Future.failedFuture(t);
        });
  }
}
