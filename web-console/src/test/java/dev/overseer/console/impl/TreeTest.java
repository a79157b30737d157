package dev.overseer.console.impl;

import dev.overseer.ChildInfo;
import dev.overseer.ChildStatus;
import dev.overseer.ChildType;
import dev.overseer.ExitReason;
import dev.overseer.RestartType;
import dev.overseer.SupervisorOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TreeTest {

  static ChildInfo worker(String id, ChildStatus status, ExitReason last) {
    return new ChildInfo(id, status, ChildType.WORKER, RestartType.PERMANENT, "deployment-" + id, 0, last, null);
  }

  static ChildInfo sup(String id, String name) {
    return new ChildInfo(id, ChildStatus.RUNNING, ChildType.SUPERVISOR, RestartType.PERMANENT, "d", 0, null, name);
  }

  static SupervisorView view(String name, ChildInfo... children) {
    return new SupervisorView(name, false, new SupervisorOptions().setName(name).setIntensity(3).toJson(), 1, List.of(children));
  }

  final Startables startables = new Startables();
  final EventLog events = new EventLog(5);
  final Tree tree = new Tree(startables, events);

  @Test
  void nestsSupervisorsUnderTheChildThatRunsThem() {
    JsonArray roots = tree.assemble(List.of(
        view("leaf", worker("w", ChildStatus.RUNNING, null)),
        view("top", sup("mid-child", "mid")),
        view("mid", sup("leaf-child", "leaf"))), Map.of());
    assertThat(roots).hasSize(1);
    JsonObject top = roots.getJsonObject(0);
    assertThat(top.getString("name")).isEqualTo("top");
    JsonObject mid = top.getJsonArray("children").getJsonObject(0).getJsonObject("supervisor");
    assertThat(mid.getString("name")).isEqualTo("mid");
    JsonObject leaf = mid.getJsonArray("children").getJsonObject(0).getJsonObject("supervisor");
    assertThat(leaf.getJsonArray("children").getJsonObject(0).getString("id")).isEqualTo("w");
    assertThat(top.getInteger("intensity")).isEqualTo(3);
    assertThat(top.getInteger("intensityUsed")).isEqualTo(1);
  }

  @Test
  void sortsRootsAndListsTheirTemplatesAndServers() {
    startables.register("b", "t2", () -> null);
    startables.register("b", "t1", () -> null);
    JsonArray roots = tree.assemble(List.of(view("b", worker("w", ChildStatus.RUNNING, null)), view("a")),
        Map.of("deployment-w", "counter"));
    assertThat(roots.stream().map(r -> ((JsonObject) r).getString("name"))).containsExactly("a", "b");
    assertThat(roots.getJsonObject(1).getJsonArray("startables")).containsExactly("t1", "t2");
    assertThat(roots.getJsonObject(1).getJsonArray("children").getJsonObject(0).getString("server")).isEqualTo("counter");
  }

  @ParameterizedTest
  @CsvSource({"RUNNING, , running", "STARTING, , starting", "RESTARTING, , restarting", "TERMINATING, , stopping",
      "STOPPED, , stopped", "STOPPED, normal, stopped", "STOPPED, failure, failed"})
  void derivesThePagesState(ChildStatus status, String last, String expected) {
    ExitReason reason = last == null ? null
        : last.equals("normal") ? ExitReason.normal() : ExitReason.failure(new RuntimeException("x"));
    assertThat(Tree.state(worker("w", status, reason))).isEqualTo(expected);
  }

  @Test
  void keepsARootThatFailedUntilItRunsAgain() {
    tree.assemble(List.of(view("root", worker("w", ChildStatus.RUNNING, null))), Map.of());
    JsonObject stopped = new JsonObject().put("type", "SUPERVISOR_STOPPED").put("supervisor", "root")
        .put("timestamp", "2026-01-01T00:00:00Z").put("reason", new JsonObject().put("kind", "FAILURE").put("message", "max"));
    tree.supervisorStopped(stopped);
    JsonArray roots = tree.assemble(List.of(), Map.of());
    assertThat(roots).hasSize(1);
    assertThat(roots.getJsonObject(0).getString("status")).isEqualTo("failed");
    assertThat(roots.getJsonObject(0).getInteger("intensityUsed")).isEqualTo(4);
    assertThat(roots.getJsonObject(0).getJsonArray("children").getJsonObject(0).getString("state")).isEqualTo("stopped");

    JsonArray back = tree.assemble(List.of(view("root")), Map.of());
    assertThat(back).hasSize(1);
    assertThat(back.getJsonObject(0).getString("status")).isEqualTo("running");
  }

  @Test
  void aReadThatBeganBeforeARootFailedDoesNotBringItBackAsRunning() {
    tree.assemble(List.of(view("root", worker("w", ChildStatus.RUNNING, null))), Map.of());
    long readBegan = tree.readBegins();
    // the root answers the read, then fails; its stop event arrives before the read is assembled
    tree.supervisorStopped(new JsonObject().put("type", "SUPERVISOR_STOPPED").put("supervisor", "root")
        .put("timestamp", "t").put("reason", new JsonObject().put("kind", "FAILURE").put("message", "max")));
    JsonArray during = tree.assemble(List.of(view("root", worker("w", ChildStatus.RUNNING, null))), Map.of(), readBegan);
    assertThat(during).hasSize(1);
    assertThat(during.getJsonObject(0).getString("status")).isEqualTo("failed");
    // later reads no longer list it: it stays failed, not forgotten
    JsonArray after = tree.assemble(List.of(), Map.of());
    assertThat(after).hasSize(1);
    assertThat(after.getJsonObject(0).getString("status")).isEqualTo("failed");
    // started again, and read after its failure: running
    assertThat(tree.assemble(List.of(view("root")), Map.of()).getJsonObject(0).getString("status")).isEqualTo("running");
  }

  @Test
  void forgetsARootThatStoppedNormally() {
    tree.assemble(List.of(view("root")), Map.of());
    tree.supervisorStopped(new JsonObject().put("type", "SUPERVISOR_STOPPED").put("supervisor", "root")
        .put("timestamp", "t").put("reason", new JsonObject().put("kind", "SHUTDOWN")));
    assertThat(tree.assemble(List.of(), Map.of())).isEmpty();
  }
}
