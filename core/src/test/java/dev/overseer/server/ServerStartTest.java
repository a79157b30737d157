package dev.overseer.server;

import dev.overseer.NameRecord;
import dev.overseer.Overseer;
import dev.overseer.impl.LocalNameRegistry;
import dev.overseer.stash.LocalStash;
import dev.overseer.stash.QuarantinedEntry;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashClaim;
import dev.overseer.stash.StashEntry;
import dev.overseer.testing.Await;
import dev.overseer.testing.Probe;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a {@link Server}'s start waits for, which is most of the time a moved server is away: the
 * stash's claim and read in one call where the stash can, and calls through the member's
 * {@link ServerRelay} taken from before its name's registration is answered.
 */
@ExtendWith(VertxExtension.class)
class ServerStartTest {

  private Vertx vertx;
  private Probe probe;
  private String name;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.probe = new Probe();
    this.name = "start-" + UUID.randomUUID();
  }

  private ServerOptions options() {
    return new ServerOptions().setName(name).setPersistence(Persistence.writeThrough());
  }

  @Nested
  class ClaimAndRead {
    @Test
    void aStashThatReadsWithItsClaimIsCalledOnceAndTheStateLoads() {
      CountingStash stash = new CountingStash(true);
      long epoch = Await.result(stash.delegate.claim(name));
      Await.result(stash.delegate.put(name, "41", 1, epoch));
      Await.result(vertx.deployVerticle(new CounterServer(options(), stash, probe)));
      assertThat(probe.lines()).contains("init 41");
      assertThat(stash.claims.get()).isEqualTo(1);
      assertThat(stash.reads.get()).as("no separate read").isZero();
      // the claim fenced the earlier owner
      assertThatThrownBy(() -> Await.result(stash.delegate.put(name, "7", 1, epoch))).hasMessageContaining("rejected");
    }

    @Test
    void aStashThatKeepsTheDefaultClaimIsReadAfterIt() {
      CountingStash stash = new CountingStash(false);
      long epoch = Await.result(stash.delegate.claim(name));
      Await.result(stash.delegate.put(name, "41", 1, epoch));
      Await.result(vertx.deployVerticle(new CounterServer(options(), stash, probe)));
      assertThat(probe.lines()).contains("init 41");
      assertThat(stash.claims.get()).isEqualTo(1);
      assertThat(stash.reads.get()).isEqualTo(1);
    }
  }

  @Nested
  class ThroughTheRelay {
    private GatedRegistry registry;
    private String node;

    @BeforeEach
    void relay() {
      node = Overseer.nodeId(vertx);
      registry = new GatedRegistry(new LocalNameRegistry(vertx), node);
      Overseer.setNameRegistry(vertx, registry);
      Await.result(ServerRelay.install(vertx, node));
    }

    private Future<Message<Object>> viaRelay(String to, Object body) {
      return vertx.eventBus().request(ServerRelay.address(node), body,
          new DeliveryOptions().addHeader(ServerRelay.TO_HEADER, to).setSendTimeout(5_000));
    }

    @Test
    void aCallThatArrivesWhileTheNameIsBeingRegisteredWaitsAndIsAnswered() {
      Promise<Void> gate = Promise.promise();
      registry.gate = gate.future();
      Future<String> deployed = vertx.deployVerticle(new CounterServer(options(), new LocalStash(), probe));
      Await.result(registry.registering.future());
      Future<Message<Object>> call = viaRelay(name, "get");
      // The relay takes messages in order: once it has answered this one, it has handled the call.
      assertThatThrownBy(() -> Await.result(viaRelay("nobody-" + UUID.randomUUID(), "get")))
          .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(ServerRelay.CODE_NOT_HERE));
      assertThat(call.isComplete()).as("the call waits for the server instead of being told it is not here").isFalse();
      gate.complete();
      Await.result(deployed);
      assertThat(Await.result(call).body()).isEqualTo(0L);
    }

    @Test
    void aSecondServerOfTheSameNameLeavesTheFirstReachable() {
      Await.result(vertx.deployVerticle(new CounterServer(options(), new LocalStash(), probe)));
      assertThat(Await.result(viaRelay(name, "next")).body()).isEqualTo(0L);
      assertThatThrownBy(() -> Await.result(vertx.deployVerticle(new CounterServer(options(), new LocalStash(), probe))))
          .hasMessageContaining("already running");
      assertThat(Await.result(viaRelay(name, "get")).body()).as("the first server, through the relay").isEqualTo(1L);
    }

    @Test
    void aHolderWhoseMemberHasNoMailboxForItIsTriedAgainAfterPausesNotInALoop() {
      // the registry keeps naming a holder here whose mailbox is not open (a server killed
      // without its stop, whose name is still registered): each try is told "not here"
      NameRecord stale = new NameRecord(name, "server", node, "gone-deployment");
      registry.stale = stale;
      AtomicInteger sends = new AtomicInteger();
      vertx.eventBus().addOutboundInterceptor(ctx -> {
        if (ctx.message().address().equals(ServerRelay.address(node))) {
          sends.incrementAndGet();
        }
        ctx.next();
      });
      assertThatThrownBy(() -> Await.result(ServerRef.of(vertx, name).call("get", Duration.ofMillis(500))))
          .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureType()).isEqualTo(io.vertx.core.eventbus.ReplyFailure.TIMEOUT));
      // backing off 1, 2, 4 … 50 ms: about 15 tries in 500 ms, not thousands
      assertThat(sends.get()).isBetween(2, 40);
    }

    /**
     * A call through the relay of another member that leaves the cluster before answering fails
     * at once with nodedown (OTP's {@code {nodedown, Node}} exit), not after its 30 s timeout, and
     * is not sent again: it may have been handled. An answered call leaves no watch behind.
     */
    @Test
    void aCallWhoseServersMemberLeavesFailsAtOnceWithNodeDownAndIsNotSentAgain() {
      String there = "member-" + UUID.randomUUID();
      registry.stale = new NameRecord(name, "server", there, "deployment-1");
      AtomicInteger received = new AtomicInteger();
      AtomicInteger answer = new AtomicInteger(-1);
      // that member's relay: takes the call and never answers, as a member killed with it
      vertx.eventBus().<Object>consumer(ServerRelay.address(there), m -> {
        received.incrementAndGet();
        if (answer.get() >= 0) {
          m.reply(answer.get());
        }
      });
      Future<Object> call = ServerRef.of(vertx, name).call("get", Duration.ofSeconds(30));
      Await.until(vertx, () -> received.get() == 1 && registry.watches.size() == 1);
      assertThat(call.isComplete()).isFalse();

      // the member leaves: its watches run, and are gone
      registry.watches.forEach(Runnable::run);
      registry.watches.clear();

      Throwable failed = Await.failure(call);
      assertThat(failed).isInstanceOfSatisfying(ReplyException.class, e -> {
        assertThat(e.failureType()).isEqualTo(io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE);
        assertThat(e.failureCode()).isEqualTo(ServerRef.CODE_NODE_DOWN);
        assertThat(e.getMessage()).startsWith("nodedown").contains(there);
      });
      assertThat(received.get()).as("not sent again").isEqualTo(1);

      answer.set(7);
      assertThat(Await.result(ServerRef.of(vertx, name).call("get", Duration.ofSeconds(30)))).isEqualTo(7);
      assertThat(registry.watches).as("the answered call's watch is cancelled").isEmpty();
    }

    @Test
    void aServerWhoseRegistrationFailsClosesItsDoor() {
      registry.refuse = true;
      assertThatThrownBy(() -> Await.result(vertx.deployVerticle(new CounterServer(options(), new LocalStash(), probe))))
          .hasMessageContaining("already running");
      assertThatThrownBy(() -> Await.result(viaRelay(name, "get")))
          .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(ServerRelay.CODE_NOT_HERE));
    }
  }

  /** A LocalStash that counts claims and reads; it reads with its claim only when told to. */
  private static final class CountingStash implements Stash {
    final LocalStash delegate = new LocalStash();
    final boolean readsWithClaim;
    final AtomicInteger claims = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();

    CountingStash(boolean readsWithClaim) {
      this.readsWithClaim = readsWithClaim;
    }

    @Override
    public Future<Optional<StashEntry>> get(String key) {
      reads.incrementAndGet();
      return delegate.get(key);
    }

    @Override
    public Future<StashEntry> put(String key, String json, int schemaVersion, long epoch) {
      return delegate.put(key, json, schemaVersion, epoch);
    }

    @Override
    public Future<Long> claim(String key) {
      claims.incrementAndGet();
      return delegate.claim(key);
    }

    @Override
    public Future<StashClaim> claimAndGet(String key) {
      if (!readsWithClaim) {
        return Stash.super.claimAndGet(key);
      }
      claims.incrementAndGet();
      return delegate.claimAndGet(key);
    }

    @Override
    public Future<Void> remove(String key) {
      return delegate.remove(key);
    }

    @Override
    public Future<Void> quarantine(String key, String reason) {
      return delegate.quarantine(key, reason);
    }

    @Override
    public Future<List<QuarantinedEntry>> quarantined() {
      return delegate.quarantined();
    }

    @Override
    public Future<List<StashEntry>> entries() {
      return delegate.entries();
    }
  }
}
