package dev.overseer.samples;

import dev.overseer.ChildSpec;
import dev.overseer.server.ServerRef;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorEvent;
import dev.overseer.SupervisorOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code sequence}: replays the seed article's iex session on Overseer, non-interactively.
 * {@code next_number} three times (0, 1, 2), {@code increment_number("cat")} (the server
 * crashes; the crash report shows the reason, the last message and state 3), then
 * {@code next_number} three times: 3, 4, 5, because the state was kept in the stash. Exits 0
 * only if the numbers after the crash continue from the saved state.
 */
public final class SequenceSample {

  private SequenceSample() {
  }

  public static int run() {
    Vertx vertx = Vertx.vertx();
    Promise<JsonObject> crash = Promise.promise();
    Supervisor supervisor = new Supervisor(new SupervisorOptions().setName("sequence-sup"),
        List.of(ChildSpec.worker("sequence", SequenceServer::new)));
    supervisor.addListener(e -> {
      if (e.type() == SupervisorEvent.Type.CHILD_EXITED && e.reason().isAbnormal()) {
        crash.tryComplete(e.reason().toJson().getJsonObject("crashReport"));
      }
    });
    vertx.deployVerticle(supervisor).await();
    ServerRef sequence = ServerRef.of(vertx, SequenceServer.NAME);

    List<Long> before = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      before.add(next(sequence));
    }
    System.out.println("iex> Sequence.Server.increment_number(\"cat\")");
    sequence.cast(new JsonObject().put("increment_number", "cat"));
    System.out.println(":ok");
    JsonObject report = crash.future().await();
    System.out.println();
    System.out.println("[error] GenServer " + report.getString("name") + " terminating");
    JsonObject reason = report.getJsonObject("reason");
    System.out.println("** (" + reason.getString("error") + ") " + reason.getString("message"));
    for (int i = 0; i < Math.min(3, reason.getJsonArray("stack").size()); i++) {
      System.out.println("    " + reason.getJsonArray("stack").getString(i));
    }
    System.out.println("Last message: " + report.getValue("lastMessage"));
    System.out.println("State: " + report.getValue("state"));
    System.out.println();
    List<Long> after = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      after.add(next(sequence));
    }
    supervisor.shutdown().await();
    vertx.close().await();
    boolean ok = before.equals(List.of(0L, 1L, 2L)) && after.equals(List.of(3L, 4L, 5L))
        && "Current state: '3'".equals(report.getValue("state"));
    System.out.println(ok
        ? "OK: the sequence continued from the stashed state after the crash (" + before + " then " + after + ")"
        : "FAILED: expected [0, 1, 2] then [3, 4, 5], got " + before + " then " + after);
    return ok ? 0 : 1;
  }

  private static long next(ServerRef sequence) {
    System.out.println("iex> Sequence.Server.next_number");
    long n = ((Number) sequence.call("next_number").await()).longValue();
    System.out.println(n);
    return n;
  }
}
