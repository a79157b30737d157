package dev.overseer.server;

import dev.overseer.ChildStatus;

import dev.overseer.ChildSpec;
import dev.overseer.stash.LocalStash;
import dev.overseer.server.Persistence;
import dev.overseer.RestartType;
import dev.overseer.server.ServerOptions;
import dev.overseer.server.ServerRef;
import dev.overseer.Shutdown;
import dev.overseer.stash.Stash;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorEvent;
import dev.overseer.SupervisorException;
import dev.overseer.SupervisorOptions;
import dev.overseer.testing.Await;
import dev.overseer.testing.Probe;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class ServerTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private Vertx vertx;
  private Probe probe;
  private LocalStash stash;
  private ServerRef ref;
  private final List<SupervisorEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.probe = new Probe();
    this.stash = new LocalStash();
    this.ref = ServerRef.of(vertx, "counter");
  }

  private Supervisor supervise(Supplier<CounterServer> server, RestartType restart, Shutdown shutdown, int intensity) {
    Supervisor sup = new Supervisor(new SupervisorOptions().setIntensity(intensity),
        List.of(ChildSpec.worker("counter", server).withRestart(restart).withShutdown(shutdown)));
    sup.addListener(events::add);
    vertx.deployVerticle(sup).await();
    return sup;
  }

  private Supervisor supervise(Persistence persistence) {
    return supervise(() -> new CounterServer(new ServerOptions("counter").setPersistence(persistence), stash, probe),
        RestartType.PERMANENT, Shutdown.timeout(Duration.ofSeconds(2)), 5);
  }

  private Object call(Object request) {
    return ref.call(request, WAIT).await();
  }

  @Nested
  class Fence {
    @Test
    void aFenceRefusesRepliesWithTheFencedCodeAndLetsThemThroughOnceOpen() {
      java.util.concurrent.atomic.AtomicReference<String> refusal = new java.util.concurrent.atomic.AtomicReference<>();
      dev.overseer.Overseer.setServerFence(vertx, server -> "counter".equals(server.name()) ? refusal.get() : null);
      try {
        supervise(Persistence.none());
        assertThat(call("next")).isEqualTo(0L);
        refusal.set("no lease");
        ReplyException fenced = (ReplyException) ref.call("next", WAIT).toCompletionStage().toCompletableFuture()
            .handle((ok, err) -> err).join();
        assertThat(fenced).isNotNull();
        assertThat(fenced.failureCode()).isEqualTo(Server.CODE_FENCED);
        assertThat(fenced.getMessage()).contains("fenced").contains("no lease");
        // reads are refused too: a fenced member must not serve what may be an old value
        assertThat(ref.call("get", WAIT).toCompletionStage().toCompletableFuture().handle((ok, err) -> err).join())
            .isInstanceOf(ReplyException.class);
        refusal.set(null);
        // the refused call was handled (its outcome is unknown to the caller): the state moved on
        assertThat(call("get")).isEqualTo(2L);
      } finally {
        dev.overseer.Overseer.setServerFence(vertx, ServerFence.OPEN);
      }
    }
  }

  @Nested
  class Handoff {
    @Test
    void aStopFromOutsideTellsTheHooksOnceItsStateIsSavedButACrashOrAStopOfItsOwnDoesNot() {
      // what the stash holds when the hook is told, per call: the state must already be saved
      List<String> told = new CopyOnWriteArrayList<>();
      // (a LocalStash answers at once: no waiting in the hook)
      ServerHandoff hook = server -> {
        io.vertx.core.Future<java.util.Optional<dev.overseer.stash.StashEntry>> saved = stash.get("counter");
        told.add(server.name() + " " + (saved.isComplete() ? saved.result().map(e -> e.json()).orElse("none") : "pending"));
      };
      dev.overseer.Overseer.addServerHandoff(vertx, hook);
      try {
        Supervisor sup = supervise(Persistence.onTerminate());
        assertThat(List.of(call("next"), call("next"))).containsExactly(0L, 1L);
        // a crash: the supervisor restarts it (its state saved at the crash), no handoff
        assertThat(ref.call("crash", WAIT).toCompletionStage().toCompletableFuture().handle((ok, err) -> err).join())
            .isInstanceOf(ReplyException.class);
        assertThat(call("next")).isEqualTo(2L);
        // a stop it returns itself: its supervisor restarts it (PERMANENT), no handoff
        assertThat(call("stop")).isEqualTo("bye");
        assertThat(call("next")).isEqualTo(3L);
        assertThat(told).isEmpty();
        // its supervisor terminates it: told once, after the save
        sup.terminateChild("counter").await();
        assertThat(told).containsExactly("counter 4");
      } finally {
        dev.overseer.Overseer.removeServerHandoff(vertx, hook);
      }
      assertThat(dev.overseer.Overseer.serverHandoffs(vertx)).doesNotContain(hook);
    }
  }

  @Nested
  class Messages {
    @Test
    void repliesToCallsOneAtATimeAndKeepsTheState() {
      supervise(Persistence.none());
      assertThat(List.of(call("next"), call("next"), call("next"), call("get"))).containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void castsChangeTheStateWithoutAReply() {
      supervise(Persistence.none());
      ref.cast(new JsonObject().put("add", 12));
      ref.cast(new JsonObject().put("add", 3));
      assertThat(call("get")).isEqualTo(15L);
    }

    @Test
    void aCallCanBeAnsweredLaterThroughFrom() {
      supervise(Persistence.none());
      assertThat(call("later")).isEqualTo("later 0");
    }

    @Test
    void infoMessagesAreHandledInOrderWithTheOthers() {
      vertx.deployVerticle(new CounterServer(new ServerOptions("counter"), stash, probe) {
        @Override
        public io.vertx.core.Future<?> start() {
          return super.start().onSuccess(v -> info(new JsonObject().put("add", 2)));
        }
      }).await();
      assertThat(call("get")).isEqualTo(2L);
      assertThat(probe.lines()).contains("info {\"add\":2}");
    }

    @Test
    void messagesThatArriveDuringInitWaitAndAreHandledInOrder() {
      Promise<Void> gate = Promise.promise();
      var deployed = vertx.deployVerticle(new CounterServer(new ServerOptions("counter"), stash, probe, gate, 100));
      probe.await("init none");
      ref.cast(new JsonObject().put("add", 5));
      var first = ref.call("next", WAIT);
      var second = ref.call("next", WAIT);
      assertThat(first.isComplete()).isFalse();
      assertThat(deployed.isComplete()).as("start completes only after init").isFalse();
      vertx.runOnContext(v -> gate.complete());
      deployed.await();
      assertThat(first.await()).as(probe.lines().toString()).isEqualTo(105L);
      assertThat(second.await()).isEqualTo(106L);
    }

    @Test
    void statusShowsTheFormattedStateAndTheStash() {
      supervise(Persistence.writeThrough());
      call("next");
      JsonObject status = ref.status().await();
      assertThat(status.getString("name")).isEqualTo("counter");
      assertThat(status.getString("childId")).isEqualTo("counter");
      assertThat(status.getString("state")).isEqualTo("Current state: 1");
      assertThat(status.getLong("handled")).isEqualTo(1L);
      assertThat(status.getJsonObject("stash").getLong("epoch")).isEqualTo(1L);
      assertThat(status.getJsonObject("stash").getJsonObject("entry").getInteger("schemaVersion")).isEqualTo(1);
    }

    @Test
    void aSecondServerWithTheSameNameIsRefused() {
      vertx.deployVerticle(new CounterServer(new ServerOptions("counter"), stash, probe)).await();
      assertThatThrownBy(() -> vertx.deployVerticle(new CounterServer(new ServerOptions("counter"), stash, probe)).await())
          .hasMessageContaining("already running");
    }
  }

  @Nested
  class Crashes {
    @Test
    void aCrashReportCarriesNameReasonLastMessageAndLastGoodState() {
      supervise(Persistence.none());
      call("next");
      call("next");
      call("next");
      ref.cast(new JsonObject().put("add", "cat"));
      assertThat(call("get")).isEqualTo(0L);
      SupervisorEvent exited = events.stream().filter(e -> e.type() == SupervisorEvent.Type.CHILD_EXITED).findFirst().orElseThrow();
      JsonObject report = exited.toJson().getJsonObject("reason").getJsonObject("crashReport");
      assertThat(report.getString("name")).isEqualTo("counter");
      assertThat(report.getJsonObject("lastMessage")).isEqualTo(new JsonObject().put("cast", new JsonObject().put("type", "JsonObject").put("size", 1)));
      assertThat(report.getString("state")).isEqualTo("Current state: 3");
      assertThat(report.getJsonObject("reason").getString("error")).isEqualTo(ClassCastException.class.getName());
      assertThat(report.getJsonObject("reason").getJsonArray("stack")).isNotEmpty();
    }

    @Test
    void theCallThatCrashedTheServerFailsWithTheReason() {
      supervise(Persistence.none());
      assertThatThrownBy(() -> call("crash"))
          .isInstanceOfSatisfying(ReplyException.class, e -> {
            assertThat(e.failureCode()).isEqualTo(dev.overseer.server.Server.CODE_CRASHED);
            assertThat(e.getMessage()).contains("crash on call at 0");
          });
      assertThat(call("get")).isEqualTo(0L);
    }

    @Test
    void aCallWaitsForTheRestartedServerInsteadOfFailing() {
      supervise(Persistence.onTerminate());
      call("next");
      ref.cast("crash");
      assertThat(call("next")).isEqualTo(1L);
      assertThat(probe.lines()).containsSubsequence("init none", "terminate FAILURE 1", "init 1");
    }

    @Test
    void aCallToANameNobodyRegisteredFailsAtOnceWithNoHandlers() {
      long started = System.nanoTime();
      assertThatThrownBy(() -> ServerRef.of(vertx, "nobody").call("get", Duration.ofSeconds(30)).await())
          .isInstanceOfSatisfying(ReplyException.class, e -> {
            assertThat(e.failureType()).isEqualTo(io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS);
            assertThat(e.getMessage()).contains("no server named 'nobody'");
          });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aCallFailsWithTimeoutWhenAVacatedNameDoesNotComeBack() {
      dev.overseer.NameRecord gone = new dev.overseer.NameRecord("away", "server", dev.overseer.Overseer.nodeId(vertx), "no-such-deployment");
      dev.overseer.Overseer.nameRegistry(vertx).register(gone).await();
      dev.overseer.Overseer.nameRegistry(vertx).vacate(gone).await();
      assertThatThrownBy(() -> ServerRef.of(vertx, "away").call("get", Duration.ofMillis(300)).await())
          .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.failureType()).isEqualTo(io.vertx.core.eventbus.ReplyFailure.TIMEOUT));
    }

    @Test
    void aFailingInitFailsTheStart() {
      assertThatThrownBy(() -> vertx.deployVerticle(new CounterServer(new ServerOptions("counter"), stash, probe) {
        @Override
        protected io.vertx.core.Future<Long> init(JsonObject config, java.util.Optional<Long> stashed) {
          return io.vertx.core.Future.failedFuture(new IllegalStateException("no database"));
        }
      }).await()).hasMessageContaining("no database");
      assertThat(dev.overseer.Overseer.nameRegistry(vertx).whereis("counter").await()).isEmpty();
      assertThatThrownBy(() -> call("get")).isInstanceOfSatisfying(ReplyException.class,
          e -> assertThat(e.failureType()).isEqualTo(io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS));
    }

    @Test
    void aServerWhoseInitFailsFailsItsSupervisorsStart() {
      Supervisor sup = new Supervisor(new SupervisorOptions(), List.of(ChildSpec.worker("counter",
          () -> new CounterServer(new ServerOptions("counter"), stash, probe) {
            @Override
            protected io.vertx.core.Future<Long> init(JsonObject config, java.util.Optional<Long> stashed) {
              throw new IllegalStateException("init blew up");
            }
          })));
      assertThatThrownBy(() -> vertx.deployVerticle(sup).await()).hasStackTraceContaining("init blew up");
    }

    @Test
    void theSeedSessionContinuesFromTheSavedNumberAfterTheCrash() {
      supervise(Persistence.onTerminate());
      assertThat(List.of(call("next"), call("next"), call("next"))).containsExactly(0L, 1L, 2L);
      ref.cast(new JsonObject().put("add", "cat"));
      assertThat(List.of(call("next"), call("next"), call("next"))).containsExactly(3L, 4L, 5L);
    }

    @Test
    void aStopResultEndsATransientServerWithoutRestart() {
      Supervisor sup = supervise(() -> new CounterServer(new ServerOptions("counter"), stash, probe),
          RestartType.TRANSIENT, Shutdown.timeout(Duration.ofSeconds(1)), 5);
      assertThat(call("stop")).isEqualTo("bye");
      probe.await("terminate NORMAL 0");
      assertThat(sup.whichChildren().await().get(0).status()).isIn(dev.overseer.ChildStatus.STOPPED, dev.overseer.ChildStatus.TERMINATING);
      assertThat(events).noneMatch(e -> e.type() == SupervisorEvent.Type.CHILD_RESTARTED);
    }
  }

  @Nested
  class Persistence_ {
    @Test
    void writeThroughRepliesOnlyAfterTheSaveSoABrutalKillLosesNothing() {
      Supervisor sup = supervise(() -> new CounterServer(new ServerOptions("counter").setPersistence(Persistence.writeThrough()), stash, probe),
          RestartType.PERMANENT, Shutdown.brutalKill(), 5);
      assertThat(call(new JsonObject().put("add", 7))).isEqualTo(7L);
      assertThat(stash.get("counter").await().orElseThrow().json()).isEqualTo("7");
      sup.terminateChild("counter").await();
      assertThat(probe.lines()).doesNotContain("terminate SHUTDOWN 7");
      sup.restartChild("counter").await();
      assertThat(call("get")).isEqualTo(7L);
    }

    @Test
    void onTerminateLosesTheStateOnABrutalKill() {
      Supervisor sup = supervise(() -> new CounterServer(new ServerOptions("counter").setPersistence(Persistence.onTerminate()), stash, probe),
          RestartType.PERMANENT, Shutdown.brutalKill(), 5);
      call(new JsonObject().put("add", 7));
      sup.terminateChild("counter").await();
      sup.restartChild("counter").await();
      assertThat(call("get")).isEqualTo(0L);
    }

    @Test
    void onTerminateSavesWhenTheSupervisorStopsTheServer() {
      Supervisor sup = supervise(Persistence.onTerminate());
      call(new JsonObject().put("add", 9));
      sup.terminateChild("counter").await();
      assertThat(stash.get("counter").await().orElseThrow().json()).isEqualTo("9");
      sup.restartChild("counter").await();
      assertThat(call("get")).isEqualTo(9L);
    }

    @Test
    void writeBehindSavesAChangedStateWithinTheInterval() {
      supervise(Persistence.writeBehind(Duration.ofMillis(30)));
      call(new JsonObject().put("add", 4));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (stash.get("counter").await().map(e -> e.json()).orElse("").equals("4") == false) {
        assertThat(System.nanoTime()).as("write-behind save within the deadline").isLessThan(deadline);
        vertx.timer(10).await();
      }
      assertThat(stash.get("counter").await().orElseThrow().revision()).isEqualTo(1);
    }

    @Test
    void theStateRestoredAfterACrashIsTheOneBeforeTheCrashingMessage() {
      supervise(Persistence.writeThrough());
      call(new JsonObject().put("add", 3));
      assertThatThrownBy(() -> call(new JsonObject().put("add", "x"))).isInstanceOf(ReplyException.class);
      assertThat(call("get")).isEqualTo(3L);
    }

    @Test
    void aZombieIncarnationCannotOverwriteItsSuccessor() {
      vertx.deployVerticle(new CounterServer(new ServerOptions("counter").setPersistence(Persistence.writeThrough()), stash, probe)).await();
      call(new JsonObject().put("add", 1));
      long successor = stash.claim("counter").await();
      stash.put("counter", "100", 1, successor).await();
      assertThatThrownBy(() -> call(new JsonObject().put("add", 1)))
          .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.getMessage()).contains("stale_epoch"));
      assertThat(stash.get("counter").await().orElseThrow().json()).isEqualTo("100");
    }
  }

  @Nested
  class Robustness {
    private CounterServer server(ServerOptions options, Stash store) {
      return new CounterServer(options.setName("counter").setPersistence(Persistence.writeThrough()), store, probe, null, 42);
    }

    @Test
    void aJsonNullEntryIsQuarantinedInsteadOfHangingTheStart() {
      stash.put("counter", "null", 1, 0).await();
      vertx.deployVerticle(server(new ServerOptions(), stash)).await();
      assertThat(call("get")).isEqualTo(42L);
      assertThat(stash.quarantined().await()).singleElement().satisfies(q -> assertThat(q.reason()).contains("null"));
    }

    @Test
    void aJsonServerWhoseStateIsNullComesBackAfterACrash() {
      Supervisor sup = new Supervisor(new SupervisorOptions().setIntensity(5), List.of(ChildSpec.worker("nullable",
          () -> new Server<Object>(new ServerOptions("nullable").setPersistence(Persistence.onTerminate()), stash) {
            @Override
            protected io.vertx.core.Future<Object> init(JsonObject config, java.util.Optional<Object> stashed) {
              return io.vertx.core.Future.succeededFuture(stashed.orElse(null));
            }

            @Override
            protected Result<Object> handleCall(Object request, From from, Object s) {
              if ("crash".equals(request)) {
                throw new IllegalStateException("crash");
              }
              return Result.reply(String.valueOf(s), s);
            }
          })));
      vertx.deployVerticle(sup).await();
      ServerRef nullable = ServerRef.of(vertx, "nullable");
      assertThat(nullable.call("get", WAIT).await()).isEqualTo("null");
      assertThatThrownBy(() -> nullable.call("crash", WAIT).await()).isInstanceOf(ReplyException.class);
      assertThat(nullable.call("get", WAIT).await()).isEqualTo("null");
    }

    @Test
    void anIntegerEntryLoadsIntoALongStateAndSurvivesRestarts() {
      stash.put("counter", "3", 1, 0).await();
      supervise(Persistence.writeThrough());
      assertThat(call("next")).isEqualTo(3L);
      ref.cast("crash");
      assertThat(call("next")).isEqualTo(4L);
      ref.cast("crash");
      assertThat(call("get")).isEqualTo(5L);
    }

    @Test
    void anEntryOfTheWrongJsonTypeIsQuarantinedNotLoaded() {
      stash.put("counter", "{\"n\":3}", 1, 0).await();
      vertx.deployVerticle(server(new ServerOptions(), stash)).await();
      assertThat(call("get")).isEqualTo(42L);
      assertThat(stash.quarantined().await()).singleElement().satisfies(q -> assertThat(q.reason()).contains("expected a JSON number"));
    }

    @Test
    void aReadThatNeverAnswersTimesOutIntoTheFallback() {
      ControlledStash slow = new ControlledStash();
      slow.hangReads = true;
      vertx.deployVerticle(server(new ServerOptions().setStashTimeout(Duration.ofMillis(50)).setLoadAttempts(2), slow)).await();
      assertThat(call("get")).isEqualTo(42L);
      JsonObject load = ref.status().await().getJsonObject("stash").getJsonObject("load");
      assertThat(load.getString("outcome")).isEqualTo("FALLBACK");
      assertThat(load.getString("detail")).contains("did not answer within 50 ms");
    }

    /**
     * A start's claim is bounded by claimTimeout, not stashTimeout: a cluster's stash grants it
     * only once the key's partition has a backup again, seconds after a member's death.
     */
    @Test
    void aStartsClaimMayTakeLongerThanStashTimeout() {
      ControlledStash slow = new ControlledStash();
      slow.claimDelayMillis = 300;
      vertx.deployVerticle(server(new ServerOptions().setStashTimeout(Duration.ofMillis(50)), slow)).await();
      assertThat(call("get")).isEqualTo(42L);
      assertThat(call(new JsonObject().put("add", 1))).isEqualTo(43L);
    }

    @Test
    void aStartsClaimThatDoesNotAnswerWithinClaimTimeoutFailsTheStart() {
      ControlledStash hung = new ControlledStash();
      hung.claimDelayMillis = -1;
      assertThatThrownBy(() -> vertx.deployVerticle(server(new ServerOptions().setClaimTimeout(Duration.ofMillis(100)), hung)).await())
          .hasMessageContaining("stash claim of 'counter' did not answer within 100 ms");
    }

    @Test
    void aWriteThatNeverAnswersFailsTheCallAndCrashesTheServer() {
      ControlledStash slow = new ControlledStash();
      supervise(() -> server(new ServerOptions().setStashTimeout(Duration.ofMillis(100)), slow),
          RestartType.PERMANENT, Shutdown.timeout(Duration.ofSeconds(1)), 5);
      slow.hangPuts = true;
      assertThatThrownBy(() -> call(new JsonObject().put("add", 1)))
          .isInstanceOfSatisfying(ReplyException.class, e -> {
            assertThat(e.failureCode()).isEqualTo(Server.CODE_CRASHED);
            assertThat(e.getMessage()).contains("did not answer within 100 ms");
          });
      slow.hangPuts = false;
      assertThat(call("get")).isEqualTo(42L);
      // the new incarnation can answer before Vert.x has completed its deploy, so before the
      // supervisor records (and publishes) the restart: wait for the event
      Await.until(vertx, () -> events.stream().anyMatch(e -> e.type() == SupervisorEvent.Type.CHILD_RESTARTED));
    }

    @Test
    void aReplyThatIsNotJsonFailsTheCallAtOnce() {
      vertx.deployVerticle(new CounterServer(new ServerOptions("counter"), stash, probe) {
        @Override
        protected Result<Long> handleCall(Object request, From from, Long n) {
          return "weird".equals(request) ? Result.reply(new Object(), n) : super.handleCall(request, from, n);
        }
      }).await();
      long started = System.nanoTime();
      assertThatThrownBy(() -> ref.call("weird", Duration.ofSeconds(30)).await())
          .isInstanceOfSatisfying(ReplyException.class, e -> {
            assertThat(e.failureCode()).isEqualTo(Server.CODE_CRASHED);
            assertThat(e.getMessage()).contains("not a JSON value");
          });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aStateThatDoesNotEncodeFailsTheCallWithTheReason() {
      vertx.deployVerticle(new Server<Object>(new ServerOptions("odd").setPersistence(Persistence.writeThrough()), stash) {
        @Override
        protected io.vertx.core.Future<Object> init(JsonObject config, java.util.Optional<Object> stashed) {
          return io.vertx.core.Future.succeededFuture("fine");
        }

        @Override
        protected Result<Object> handleCall(Object request, From from, Object s) {
          return Result.reply("ok", new Object());
        }
      }).await();
      assertThatThrownBy(() -> ServerRef.of(vertx, "odd").call("x", Duration.ofSeconds(30)).await())
          .isInstanceOfSatisfying(ReplyException.class, e -> assertThat(e.getMessage()).contains("cannot encode the state"));
    }

    @Test
    void statusNeverShowsARawMessage() {
      supervise(Persistence.none());
      call(new JsonObject().put("password", "hunter2").put("add", 1));
      JsonObject status = ref.status().await();
      assertThat(status.encode()).doesNotContain("hunter2");
      assertThat(status.getJsonObject("lastMessage")).isEqualTo(new JsonObject().put("call", new JsonObject().put("type", "JsonObject").put("size", 2)));
    }

    @Test
    void aCrashReportShowsTheMessageOnlyAsTheServerDescribesIt() {
      supervise(() -> new CounterServer(new ServerOptions("counter"), stash, probe) {
        @Override
        protected Object describeMessage(Object message) {
          return message instanceof JsonObject ? ((JsonObject) message).copy().put("password", "***") : message;
        }
      }, RestartType.PERMANENT, Shutdown.timeout(Duration.ofSeconds(1)), 5);
      assertThatThrownBy(() -> call(new JsonObject().put("password", "hunter2").put("add", "x"))).isInstanceOf(ReplyException.class);
      assertThat(call("get")).isEqualTo(0L);
      SupervisorEvent exited = events.stream().filter(e -> e.type() == SupervisorEvent.Type.CHILD_EXITED).findFirst().orElseThrow();
      assertThat(exited.toJson().encode()).doesNotContain("hunter2").contains("***");
    }
  }

  @Nested
  class Pipelining {
    @Test
    void writeThroughIssuesSavesWithoutWaitingAndRepliesOnlyAfterTheirAcks() {
      ControlledStash held = new ControlledStash();
      vertx.deployVerticle(new CounterServer(new ServerOptions("counter").setPersistence(Persistence.writeThrough()), held, probe)).await();
      held.holdPuts = true;
      var calls = List.of(ref.call("next", WAIT), ref.call("next", WAIT), ref.call("next", WAIT));
      Await.until(vertx, () -> held.held.size() == 3);
      assertThat(calls).noneMatch(io.vertx.core.Future::isComplete);
      assertThat(held.delegate.get("counter").await().orElseThrow().json()).isEqualTo("3");
      held.held.forEach(ControlledStash.Held::release);
      assertThat(calls.stream().map(f -> f.await()).toList()).containsExactly(0L, 1L, 2L);
    }

    @Test
    void aReplyWaitsForEarlierSavesEvenWhenItsOwnCallChangedNothing() {
      ControlledStash held = new ControlledStash();
      vertx.deployVerticle(new CounterServer(new ServerOptions("counter").setPersistence(Persistence.writeThrough()), held, probe)).await();
      held.holdPuts = true;
      var changing = ref.call("next", WAIT);
      var reading = ref.call("get", WAIT);
      Await.until(vertx, () -> held.held.size() == 1 && probe.lines().contains("call get at 1"));
      assertThat(reading.isComplete()).isFalse();
      held.held.poll().release();
      assertThat(changing.await()).isEqualTo(0L);
      assertThat(reading.await()).isEqualTo(1L);
    }

    @Test
    void aFailedSaveFailsItsCallAndEveryLaterOneAndCrashesTheServer() {
      ControlledStash held = new ControlledStash();
      supervise(() -> new CounterServer(new ServerOptions("counter").setPersistence(Persistence.writeThrough()), held, probe),
          RestartType.PERMANENT, Shutdown.timeout(Duration.ofSeconds(1)), 5);
      held.holdPuts = true;
      var first = ref.call("next", WAIT);
      var second = ref.call("next", WAIT);
      Await.until(vertx, () -> held.held.size() == 2);
      held.holdPuts = false;
      ControlledStash.Held one = held.held.poll();
      ControlledStash.Held two = held.held.poll();
      one.fail(new IllegalStateException("disk on fire"));
      two.release();
      assertThatThrownBy(first::await).isInstanceOf(ReplyException.class).hasMessageContaining("disk on fire");
      assertThatThrownBy(second::await).isInstanceOf(ReplyException.class);
      Await.until(vertx, () -> events.stream().anyMatch(e -> e.type() == SupervisorEvent.Type.CHILD_RESTARTED));
    }
  }

  @Nested
  class Configured {
    @Test
    void aServerStartedByClassNameTakesNamePersistenceAndCodecFromItsConfig() {
      JsonObject config = new JsonObject().put("overseer", new JsonObject().put("name", "counter-7")
          .put("persistence", new JsonObject().put("mode", "WRITE_THROUGH")).put("codec", "long"));
      Supervisor sup = new Supervisor(new SupervisorOptions().setIntensity(5), List.of(ChildSpec.verticle("c7", ConfiguredCounter.class.getName())
          .withDeploymentOptions(new io.vertx.core.DeploymentOptions().setConfig(config))));
      vertx.deployVerticle(sup).await();
      ServerRef c7 = ServerRef.of(vertx, "counter-7");
      assertThat(c7.call("next", Long.class).await()).isEqualTo(0L);
      assertThat(c7.call("next", Long.class).await()).isEqualTo(1L);
      assertThat(dev.overseer.Overseer.defaultStash(vertx).get("counter-7").await().orElseThrow().json()).isEqualTo("2");
      assertThatThrownBy(() -> c7.call("crash", WAIT).await()).isInstanceOf(ReplyException.class);
      assertThat(c7.call("get", Long.class).await()).isEqualTo(2L);
      JsonObject status = c7.status().await();
      assertThat(status.getJsonObject("stash").getString("codec")).isEqualTo("long");
    }

    @Test
    void aConfigThatNamesAClassOrAnUnknownCodecIsRefused() {
      JsonObject config = new JsonObject().put("overseer", new JsonObject().put("name", "x").put("codec", "java.lang.Runtime"));
      assertThatThrownBy(() -> vertx.deployVerticle(ConfiguredCounter.class.getName(), new io.vertx.core.DeploymentOptions().setConfig(config)).await())
          .hasMessageContaining("unknown state codec 'java.lang.Runtime'");
    }

    @Test
    void aConfigWhoseCodecDiffersFromTheServersIsRefused() {
      JsonObject config = new JsonObject().put("overseer", new JsonObject().put("codec", "string"));
      assertThatThrownBy(() -> vertx.deployVerticle(new CounterServer(new ServerOptions("counter"), stash, probe),
          new io.vertx.core.DeploymentOptions().setConfig(config)).await())
          .hasMessageContaining("the config names 'string' but server 'counter' declares 'long'");
    }

    @Test
    void aMalformedConfigIsRefusedWithTheField() {
      JsonObject config = new JsonObject().put("overseer", new JsonObject().put("name", "x").put("persistence", new JsonObject().put("mode", "SOMETIMES")));
      assertThatThrownBy(() -> vertx.deployVerticle(ConfiguredCounter.class.getName(), new io.vertx.core.DeploymentOptions().setConfig(config)).await())
          .hasMessageContaining("persistence.mode: unknown mode 'SOMETIMES'");
    }

    @Test
    void optionsRoundTripThroughJson() {
      ServerOptions options = new ServerOptions("n").setStashKey("k").setPersistence(Persistence.writeBehind(Duration.ofMillis(250)))
          .setCodec("json-object").setLoadAttempts(4).setLoadFallback(ServerOptions.LoadFallback.FAIL)
          .setMaxStateAge(Duration.ofMinutes(3)).setStashTimeout(Duration.ofMillis(700)).setClaimTimeout(Duration.ofMillis(1500));
      assertThat(new ServerOptions(options.toJson()).toJson()).isEqualTo(options.toJson());
      assertThat(new ServerOptions(options.toJson()).getClaimTimeout()).isEqualTo(Duration.ofMillis(1500));
      assertThatThrownBy(() -> new ServerOptions(new JsonObject().put("claimTimeout", 0)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claimTimeout");
      assertThat(ServerOptions.fromConfig(new ServerOptions(), new JsonObject().put("overseer", new JsonObject().put("claimTimeout", 1234)))
          .getClaimTimeout()).isEqualTo(Duration.ofMillis(1234));
      assertThat(new ServerOptions(new ServerOptions().toJson()).toJson()).isEqualTo(new ServerOptions().toJson());
    }
  }

  @Nested
  class TypedCalls {
    @Test
    void aTypedCallConvertsJsonNumbersAndRefusesOtherTypes() {
      supervise(Persistence.none());
      call(new JsonObject().put("add", 3));
      assertThat(ref.call("get", Long.class).await()).isEqualTo(3L);
      assertThat(ref.call("get", Integer.class).await()).isEqualTo(3);
      assertThatThrownBy(() -> ref.call("get", String.class).await())
          .isInstanceOf(ClassCastException.class).hasMessageContaining("not a String");
    }
  }

  @Nested
  class Guards {
    private CounterServer server(ServerOptions options, Stash store) {
      return new CounterServer(options.setName("counter").setPersistence(Persistence.writeThrough()), store, probe, null, 42);
    }

    @Test
    void noEntryStartsFromTheInitialState() {
      vertx.deployVerticle(server(new ServerOptions(), stash)).await();
      assertThat(call("get")).isEqualTo(42L);
      assertThat(ref.status().await().getJsonObject("stash").getJsonObject("load").getString("outcome")).isEqualTo("NONE");
    }

    @Test
    void anOlderSchemaIsMigrated() {
      stash.put("counter", "5", 1, 0).await();
      vertx.deployVerticle(new CounterServer(new ServerOptions("counter").setPersistence(Persistence.writeThrough()), stash, probe)
          .withCodec(StateCodec.longs().withVersion(2, (from, value) -> ((Number) value).longValue() * 10))).await();
      assertThat(call("get")).isEqualTo(50L);
      call("next");
      assertThat(stash.get("counter").await().orElseThrow().schemaVersion()).isEqualTo(2);
    }

    @Test
    void anEntryThatFailsToMigrateIsQuarantinedAndTheInitialStateUsed() {
      stash.put("counter", "5", 1, 0).await();
      vertx.deployVerticle(server(new ServerOptions(), stash).withCodec(StateCodec.longs().withVersion(2, (from, value) -> {
        throw new IllegalStateException("no way from " + from);
      }))).await();
      assertThat(call("get")).isEqualTo(42L);
      assertQuarantined("migration from schema version 1 to 2 failed");
    }

    @Test
    void aCorruptEntryIsQuarantined() {
      stash.put("counter", "{oops", 1, 0).await();
      vertx.deployVerticle(server(new ServerOptions(), stash)).await();
      assertThat(call("get")).isEqualTo(42L);
      assertQuarantined("corrupt");
    }

    @Test
    void anEntryFromANewerSchemaIsQuarantined() {
      stash.put("counter", "5", 3, 0).await();
      vertx.deployVerticle(server(new ServerOptions(), stash)).await();
      assertThat(call("get")).isEqualTo(42L);
      assertQuarantined("newer than this server's 1");
    }

    @Test
    void anEntryThatCannotBeDecodedIsQuarantined() {
      stash.put("counter", "\"not a number\"", 1, 0).await();
      vertx.deployVerticle(server(new ServerOptions(), stash)).await();
      assertThat(call("get")).isEqualTo(42L);
      assertQuarantined("cannot decode");
    }

    @Test
    void anInvalidStateIsQuarantined() {
      stash.put("counter", "-1", 1, 0).await();
      vertx.deployVerticle(new CounterServer(new ServerOptions("counter").setPersistence(Persistence.writeThrough()), stash, probe, null, 42)
          .withCodec(StateCodec.longs().withValidator(n -> {
            if (n < 0) {
              throw new IllegalArgumentException("a counter is never negative");
            }
          }))).await();
      assertThat(call("get")).isEqualTo(42L);
      assertQuarantined("invalid: a counter is never negative");
    }

    @Test
    void aStaleEntryIsQuarantined() {
      LocalStash old = new LocalStash(java.time.Clock.fixed(java.time.Instant.now().minusSeconds(3600), java.time.ZoneOffset.UTC));
      old.put("counter", "5", 1, 0).await();
      vertx.deployVerticle(server(new ServerOptions().setMaxStateAge(Duration.ofMinutes(5)), old)).await();
      assertThat(call("get")).isEqualTo(42L);
      assertThat(old.quarantined().await()).singleElement().satisfies(q -> assertThat(q.reason()).startsWith("stale"));
    }

    @Test
    void aFailingReadIsRetriedWithBackoff() {
      FlakyStash flaky = new FlakyStash();
      flaky.put("counter", "5", 1, 0).await();
      flaky.failReads.set(2);
      vertx.deployVerticle(server(new ServerOptions().setLoadAttempts(3), flaky)).await();
      assertThat(call("get")).isEqualTo(5L);
      assertThat(flaky.reads.get()).isEqualTo(3);
    }

    @Test
    void aReadThatKeepsFailingFallsBackToTheInitialState() {
      FlakyStash flaky = new FlakyStash();
      flaky.put("counter", "5", 1, 0).await();
      flaky.failReads.set(100);
      vertx.deployVerticle(server(new ServerOptions().setLoadAttempts(3), flaky)).await();
      assertThat(call("get")).isEqualTo(42L);
      assertThat(flaky.reads.get()).isEqualTo(3);
      assertThat(ref.status().await().getJsonObject("stash").getJsonObject("load").getString("outcome")).isEqualTo("FALLBACK");
    }

    @Test
    void aReadThatKeepsFailingWithFallbackFailFailsTheStart() {
      FlakyStash flaky = new FlakyStash();
      flaky.failReads.set(1000);
      Supervisor sup = new Supervisor(new SupervisorOptions(), List.of(ChildSpec.worker("counter",
          () -> server(new ServerOptions().setLoadAttempts(2).setLoadFallback(ServerOptions.LoadFallback.FAIL), flaky))));
      assertThatThrownBy(() -> vertx.deployVerticle(sup).await()).hasMessageContaining("reading 'counter' failed 2 times");
      assertThat(flaky.reads.get()).isEqualTo(2);
    }

    @Test
    void aReadThatKeepsFailingWithFallbackFailOnRestartEndsInEscalationNotALoop() {
      FlakyStash flaky = new FlakyStash();
      Supervisor sup = supervise(() -> server(new ServerOptions().setLoadAttempts(2).setLoadFallback(ServerOptions.LoadFallback.FAIL), flaky),
          RestartType.PERMANENT, Shutdown.timeout(Duration.ofSeconds(1)), 2);
      assertThat(call("get")).isEqualTo(42L);
      flaky.failReads.set(1000);
      ref.cast("crash");
      assertThatThrownBy(() -> sup.terminationFuture().await())
          .isInstanceOfSatisfying(SupervisorException.class, e -> assertThat(e.error()).isEqualTo(SupervisorError.MAX_INTENSITY));
      assertThat(flaky.reads.get()).isBetween(1 + 2, 1 + 2 * 3);
    }

    private void assertQuarantined(String reason) {
      assertThat(stash.quarantined().await()).singleElement().satisfies(q -> assertThat(q.reason()).contains(reason));
      assertThat(stash.get("counter").await()).isEmpty();
      assertThat(ref.status().await().getJsonObject("stash").getJsonObject("load").getString("outcome")).isEqualTo("QUARANTINED");
    }
  }
}
