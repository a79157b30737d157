package dev.overseer.fuzz;

import dev.overseer.ChildInfo;
import dev.overseer.ChildSpec;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import dev.overseer.server.From;
import dev.overseer.server.Persistence;
import dev.overseer.server.Result;
import dev.overseer.server.Server;
import dev.overseer.server.ServerOptions;
import dev.overseer.server.ServerRef;
import dev.overseer.server.StateCodec;
import dev.overseer.stash.LocalStash;
import dev.overseer.stash.Stash;
import dev.overseer.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server's address, fed generated hostile messages as calls and casts, with and without the
 * system header (status requests) and with header values that mean nothing. The server under test
 * refuses anything but {@code {"add": n}} without a crash, so whatever the framework does with an
 * input shows: no crash (the supervisor's restart count stays 0), no change of state (the stashed
 * value is read before and after), a reply or a failure to every call, and the server still
 * answering.
 */
class ServerFuzzTest {

  private static final int INPUTS = 12_000;

  /** Holds a number; only {@code {"add": n}} with an integer n changes it (not used by the fuzzer). */
  static final class Strict extends Server<Long> {
    Strict(Stash stash) {
      super(new ServerOptions("fuzz.server").setPersistence(Persistence.writeThrough()), stash);
    }

    @Override
    protected Future<Long> init(JsonObject config, Optional<Long> stashed) {
      return Future.succeededFuture(stashed.orElse(42L));
    }

    @Override
    protected Result<Long> handleCall(Object request, From from, Long n) {
      return Result.reply(new JsonObject().put("error", "unknown request").put("state", n), n);
    }

    @Override
    protected Result<Long> handleCast(Object request, Long n) {
      return Result.noReply(n);
    }

    @Override
    protected Result<Long> handleInfo(Object message, Long n) {
      return Result.noReply(n);
    }

    @Override
    protected StateCodec<Long> stateCodec() {
      return StateCodec.longs();
    }
  }

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void everyMessageIsAnsweredAndChangesNothing() {
    LocalStash stash = new LocalStash();
    Supervisor sup = Await.result(Supervisor.start(vertx, new SupervisorOptions().setName("fuzz-servers"),
        List.of(ChildSpec.worker("server", () -> new Strict(stash)))));
    ServerRef ref = ServerRef.of(vertx, "fuzz.server");
    Await.result(ref.call("warm up"));
    String stored = Await.result(stash.get("fuzz.server")).map(e -> e.json()).orElse(null);
    Fuzz fuzz = new Fuzz(Fuzz.seed("server"));
    Tally tally = new Tally("server", fuzz.seed());
    for (int i = 0; i < INPUTS; i++) {
      Object body = fuzz.body();
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(5000);
      int headers = fuzz.nextInt(4);
      for (int h = 0; h < headers; h++) {
        options.addHeader(fuzz.random().nextBoolean() ? Server.SYSTEM_HEADER : fuzz.string(),
            fuzz.random().nextBoolean() ? Server.STATUS : fuzz.string());
      }
      tally.tried++;
      if (fuzz.nextInt(4) == 0) {
        vertx.eventBus().send("fuzz.server", body, options);
        tally.accepted++;
      } else {
        try {
          vertx.eventBus().request("fuzz.server", body, options).await(10, TimeUnit.SECONDS);
          tally.accepted++;
        } catch (ReplyException e) {
          tally.rejected++;
          if (e.failureCode() == Server.CODE_CRASHED) {
            tally.deaths++;
            tally.problem("the server crashed: " + e.getMessage(), body);
          }
        } catch (Exception e) {
          tally.unclear++;
          tally.problem("no reply: " + e, body);
        }
      }
    }
    // A call after every cast: the mailbox is in order, so the casts have all been handled.
    JsonObject last = (JsonObject) Await.result(ref.call("last"));
    List<ChildInfo> rows = Await.result(sup.whichChildren());
    if (rows.get(0).restartCount() > 0) {
      tally.deaths += rows.get(0).restartCount();
      tally.problem("restarted " + rows.get(0).restartCount() + " times", "(casts)");
    }
    String after = Await.result(stash.get("fuzz.server")).map(e -> e.json()).orElse(null);
    if (last.getLong("state") != 42L || !java.util.Objects.equals(stored, after)) {
      tally.stateChanges++;
      tally.problem("state went from " + stored + " to " + after + " (live " + last.getLong("state") + ")", "(all)");
    }
    tally.print();
    assertThat(tally.tried).isEqualTo(INPUTS);
    assertThat(tally.clean()).as(tally.summary()).isTrue();
  }
}
