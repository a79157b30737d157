package dev.overseer.server;

import dev.overseer.Overseer;
import dev.overseer.impl.LocalNameRegistry;
import dev.overseer.testing.Await;
import dev.overseer.testing.Probe;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A moved child's start ({@link ServerHandoff#movedHere}): its stash claim goes while its name is
 * being registered, one round trip sooner; any other start claims only once its name is its own,
 * so a start that finds the name taken fences no one.
 */
@ExtendWith(VertxExtension.class)
class MovedStartTest {

  private Vertx vertx;
  private GatedRegistry registry;
  /** Holds every registration until the test lets it through or refuses it. */
  private final Promise<Void> gate = Promise.promise();
  private final ControlledStash stash = new ControlledStash();
  private final AtomicBoolean moved = new AtomicBoolean();
  /** The server the hook was last asked about, and its context. */
  private final AtomicReference<Server<?>> asked = new AtomicReference<>();
  private final AtomicReference<Context> startedOn = new AtomicReference<>();
  private final ServerHandoff hook = new ServerHandoff() {
    @Override
    public void released(Server<?> server) {
    }

    @Override
    public boolean movedHere(Server<?> server) {
      asked.set(server);
      startedOn.set(Vertx.currentContext());
      return moved.get();
    }
  };

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    registry = new GatedRegistry(new LocalNameRegistry(vertx), "here");
    registry.gate = gate.future();
    Overseer.setNameRegistry(vertx, registry);
    Overseer.addServerHandoff(vertx, hook);
    // the state a previous holder left
    long epoch = Await.result(stash.delegate.claim("counter"));
    Await.result(stash.delegate.put("counter", "41", 1, epoch));
  }

  @AfterEach
  void tearDown() {
    Overseer.removeServerHandoff(vertx, hook);
  }

  private Future<String> deploy(ServerOptions options) {
    return vertx.deployVerticle(new CounterServer(options.setName("counter").setPersistence(Persistence.writeThrough()),
        stash, new Probe()));
  }

  /** @return the gate of the registration under way, once it is */
  private Promise<Void> registration() {
    Await.result(registry.registering.future());
    return gate;
  }

  @Test
  void aMovedServerClaimsItsStashWhileItsNameIsBeingRegistered() {
    moved.set(true);
    Future<String> started = deploy(new ServerOptions());
    Promise<Void> registering = registration();
    Await.until(vertx, () -> stash.claims.get() == 1);
    assertThat(started.isComplete()).isFalse();
    registering.complete();
    Await.result(started);
    assertThat(Await.result(ServerRef.of(vertx, "counter").call("get", Duration.ofSeconds(5)))).isEqualTo(41L);
    assertThat(Await.result(registry.delegate.whereis("counter"))).isPresent();
  }

  @Test
  void anyOtherStartThatFindsItsNameTakenHasClaimedNothing() {
    Future<String> started = deploy(new ServerOptions());
    registration().fail("held by another member");
    assertThat(Await.failure(started)).hasMessageContaining("a server named 'counter' is already running");
    assertThat(stash.claims.get()).isZero();
    // whoever holds the name can still save at its epoch
    assertThat(Await.result(stash.delegate.put("counter", "42", 1, Await.result(stash.delegate.get("counter")).orElseThrow().epoch())))
        .isNotNull();
  }

  @Test
  void aMovedServerThatFindsItsNameTakenAfterAllFailsItsStartAndLeavesNoConsumer() {
    moved.set(true);
    Future<String> started = deploy(new ServerOptions());
    registration().fail("held by another member");
    assertThat(Await.failure(started)).hasMessageContaining("a server named 'counter' is already running");
    // the documented cost of a wrong guess: the claim was made
    assertThat(stash.claims.get()).isEqualTo(1);
    assertThat(Await.result(registry.delegate.whereis("counter"))).isEmpty();
    assertThat(Server.lookup(vertx, "counter")).isEmpty();
    Throwable unanswered = Await.failure(vertx.eventBus().request("counter", "get"));
    assertThat(unanswered).isInstanceOf(io.vertx.core.eventbus.ReplyException.class);
    assertThat(((io.vertx.core.eventbus.ReplyException) unanswered).failureType())
        .isEqualTo(io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS);
  }

  @Test
  void aMovedServerWhoseClaimFailsGivesItsNameBack() {
    moved.set(true);
    stash.claimDelayMillis = -1;
    Future<String> started = deploy(new ServerOptions().setClaimTimeout(Duration.ofMillis(200)));
    registration().complete();
    assertThat(Await.failure(started)).hasMessageContaining("stash claim of 'counter' did not answer within 200 ms");
    assertThat(Await.result(registry.delegate.whereis("counter"))).isEmpty();
    assertThat(Server.lookup(vertx, "counter")).isEmpty();
  }

  @Test
  void aMovedServerStoppedWhileItRegistersGivesItsNameBack() {
    moved.set(true);
    Future<String> started = deploy(new ServerOptions());
    Promise<Void> registering = registration();
    Await.until(vertx, () -> stash.claims.get() == 1);
    // stopped (as Vert.x does on an undeploy) while the registration is on its way
    Server<?> starting = asked.get();
    Promise<Void> stopped = Promise.promise();
    startedOn.get().runOnContext(v -> starting.stop().<Void>mapEmpty().onComplete(stopped));
    Await.result(stopped.future());
    registering.complete();
    assertThat(Await.failure(started)).hasMessageContaining("was stopped while it registered its name");
    assertThat(Await.result(registry.delegate.whereis("counter"))).isEmpty();
    assertThat(Server.lookup(vertx, "counter")).isEmpty();
  }
}
