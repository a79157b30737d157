package dev.overseer.cluster;

import dev.overseer.NameRecord;
import dev.overseer.Overseer;
import dev.overseer.cluster.testing.DsServerCounter;
import dev.overseer.cluster.testing.HeldEventThread;
import dev.overseer.cluster.testing.Poll;
import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.server.ServerRef;
import dev.overseer.server.ServerRelay;
import dev.overseer.testing.Await;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ServerRef} on a cluster sends to the relay of the member the name registry says holds
 * the server ({@link ServerRelay}), and looks the holder up again when that member says it is
 * not there: a caller whose copy of Vert.x's subscriptions is late is answered, not dropped.
 * Three clustered Vert.x instances in this JVM, each with one Hazelcast event thread, so that a
 * caller's view of the cluster can be held back.
 */
class ServerRelayTest {

  private static List<OverseerCluster> members;

  @BeforeAll
  static void cluster() {
    members = TestClusters.startWithOneEventThread(3);
  }

  @AfterAll
  static void leave() {
    TestClusters.closeAll(members);
  }

  private static String deployCounter(int member, String name) {
    JsonObject config = new JsonObject().put("overseer", new JsonObject().put("name", name));
    return Await.result(members.get(member).vertx().deployVerticle(new DsServerCounter(), new DeploymentOptions().setConfig(config)));
  }

  /** @return an interceptor, added to {@code caller}'s event bus, that records where it sends */
  private static Handler<DeliveryContext<Object>> tap(Vertx caller, List<String> sentTo) {
    Handler<DeliveryContext<Object>> tap = ctx -> {
      sentTo.add(ctx.message().address());
      ctx.next();
    };
    caller.eventBus().addOutboundInterceptor(tap);
    return tap;
  }

  private static Optional<NameRecord> known(int member, String name) {
    return Overseer.nameRegistry(members.get(member).vertx()).knownHolder(name);
  }

  @Test
  void aCallerWhoseViewOfTheClusterIsLateReachesTheServerWhereItMoved() throws Exception {
    String name = "relay-" + UUID.randomUUID();
    Vertx caller = members.get(0).vertx();
    String first = deployCounter(1, name);
    ServerRef ref = ServerRef.of(caller, name);
    List<String> sentTo = new CopyOnWriteArrayList<>();
    Handler<DeliveryContext<Object>> tap = tap(caller, sentTo);
    HeldEventThread hold = null;
    try {
      assertThat(Await.result(ref.call("inc", Duration.ofSeconds(5))).toString()).contains(members.get(1).nodeId());
      Poll.until("the caller knows the holder", Duration.ofSeconds(10), () -> known(0, name).isPresent());
      sentTo.clear();
      JsonObject reply = (JsonObject) Await.result(ref.call("inc", Duration.ofSeconds(5)));
      assertThat(reply.getLong("value")).isEqualTo(2L);
      assertThat(sentTo).as("a known holder is called through its member's relay")
          .contains(ServerRelay.address(members.get(1).nodeId())).doesNotContain(name);

      // Hold the caller's only Hazelcast event thread: neither Vert.x's copy of the subscriptions
      // nor the registry's known holder hears of the move below.
      hold = HeldEventThread.hold(members.get(0).hazelcast());

      Await.result(members.get(1).vertx().undeploy(first));
      deployCounter(2, name);
      assertThat(known(0, name).map(NameRecord::nodeId)).as("the caller still believes the old holder")
          .contains(members.get(1).nodeId());
      // By name, this call would go to member 1, which drops it (no consumer there any more) and
      // the caller would wait out its 5 s. Member 1's relay answers "not here" instead.
      JsonObject moved = (JsonObject) Await.result(ref.call("get", Duration.ofSeconds(5)));
      assertThat(moved.getString("node")).isEqualTo(members.get(2).nodeId());
      assertThat(hold.stillHeld()).as("the caller's event thread was held all along").isTrue();
      assertThat(known(0, name).map(NameRecord::nodeId)).contains(members.get(2).nodeId());
    } finally {
      if (hold != null) {
        hold.release();
      }
      caller.eventBus().removeOutboundInterceptor(tap);
    }
  }

  /**
   * A server is known on its own member from its registration on, before any event: a caller
   * there goes through its own relay, not by name. Vert.x routes a send by name by its copy of the
   * subscriptions, which Hazelcast events update; after a failover those events queue behind the
   * takeover's, and a copy that still had the dead member's subscription dropped every such call
   * (FailoverBench, a call to each server as it arrived: 512 of 512 waited out their 60 s).
   */
  @Test
  void aServerIsCalledFromItsOwnMemberThroughItsRelayBeforeThatMemberHearsOfItsRegistration() throws Exception {
    String name = "own-" + UUID.randomUUID();
    Vertx caller = members.get(2).vertx();
    String first = deployCounter(1, name);
    // the caller's copy of the subscriptions learns member 1's, by a send by name (its registry
    // learns nothing from it, and is not asked: asking looks the holder up)
    Poll.until("member 2 routes the name to member 1", Duration.ofSeconds(10), () -> Await.result(caller.eventBus()
        .request(name, "get", new DeliveryOptions().setSendTimeout(2000)).transform(ar -> Future.succeededFuture(ar.succeeded()))));
    List<String> sentTo = new CopyOnWriteArrayList<>();
    Handler<DeliveryContext<Object>> tap = tap(caller, sentTo);
    HeldEventThread hold = null;
    try {
      // neither Vert.x's copy of the subscriptions nor the registry hears of the move below
      hold = HeldEventThread.hold(members.get(2).hazelcast());
      Await.result(members.get(1).vertx().undeploy(first));
      deployCounter(2, name);

      JsonObject reply = (JsonObject) Await.result(ServerRef.of(caller, name).call("get", Duration.ofSeconds(5)));
      assertThat(reply.getString("node")).isEqualTo(members.get(2).nodeId());
      assertThat(sentTo).as("sent through this member's own relay, never by name")
          .contains(ServerRelay.address(members.get(2).nodeId())).doesNotContain(name);
      assertThat(hold.stillHeld()).as("the caller's event thread was held all along").isTrue();
    } finally {
      if (hold != null) {
        hold.release();
      }
      caller.eventBus().removeOutboundInterceptor(tap);
    }
  }

  @Test
  void theRelayReachesOnlyServersWhoseConsumerIsOpenThere() {
    Vertx target = members.get(1).vertx();
    String relay = ServerRelay.address(members.get(1).nodeId());
    String secret = "local-" + UUID.randomUUID();
    String plain = "plain-" + UUID.randomUUID();
    AtomicInteger reached = new AtomicInteger();
    MessageConsumer<Object> local = target.eventBus().localConsumer(secret, m -> {
      reached.incrementAndGet();
      m.reply("leaked");
    });
    MessageConsumer<Object> clustered = target.eventBus().consumer(plain, m -> {
      reached.incrementAndGet();
      m.reply("not a server");
    });
    try {
      Await.result(local.completion());
      Await.result(clustered.completion());
      Vertx caller = members.get(0).vertx();
      for (String to : new String[] {secret, plain}) {
        caller.eventBus().send(relay, "cast", new DeliveryOptions().addHeader(ServerRelay.TO_HEADER, to));
        assertNotHere(caller.eventBus().request(relay, "call", new DeliveryOptions().addHeader(ServerRelay.TO_HEADER, to)));
      }
      assertNotHere(caller.eventBus().request(relay, "no header"));
      // the relay handles messages in order: the casts above were dropped before these answers
      assertThat(reached.get()).as("nothing reached a consumer that is not a server's").isZero();

      String name = "relay-" + UUID.randomUUID();
      deployCounter(1, name);
      JsonObject reply = (JsonObject) Await.result(caller.eventBus().request(relay, "inc", new DeliveryOptions()
          .addHeader(ServerRelay.TO_HEADER, name)).map(m -> m.body()));
      assertThat(reply.getLong("value")).as("a server's mailbox is reached").isEqualTo(1L);
      JsonObject status = Await.result(ServerRef.of(caller, name).status());
      assertThat(status.getString("name")).isEqualTo(name);
      // a consumer someone else opened on the server's own address is not reachable either (a
      // local send to the name would go to it every other time)
      AtomicInteger shadow = new AtomicInteger();
      MessageConsumer<Object> other = target.eventBus().localConsumer(name, m -> {
        shadow.incrementAndGet();
        m.reply(new JsonObject().put("value", -1));
      });
      Await.result(other.completion());
      for (int i = 2; i <= 7; i++) {
        JsonObject r = (JsonObject) Await.result(caller.eventBus().request(relay, "inc", new DeliveryOptions()
            .addHeader(ServerRelay.TO_HEADER, name)).map(m -> m.body()));
        assertThat(r.getLong("value")).isEqualTo(i);
      }
      other.unregister();
      assertThat(shadow.get()).isZero();
    } finally {
      local.unregister();
      clustered.unregister();
    }
  }

  private static void assertNotHere(io.vertx.core.Future<?> reply) {
    assertThat(Await.failure(reply)).isInstanceOfSatisfying(ReplyException.class, e -> {
      assertThat(e.failureType()).isEqualTo(ReplyFailure.RECIPIENT_FAILURE);
      assertThat(e.failureCode()).isEqualTo(ServerRelay.CODE_NOT_HERE);
    });
  }
}
