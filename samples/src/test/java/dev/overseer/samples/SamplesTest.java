package dev.overseer.samples;

import dev.overseer.ChildInfo;
import dev.overseer.ChildStatus;
import dev.overseer.server.ServerRef;
import dev.overseer.Supervisor;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class SamplesTest {

  @ParameterizedTest
  @ValueSource(strings = {"ReadmeExample.java", "SequenceServer.java"})
  void theReadmeShowsTheExampleAsItIsInTheSource(String file) throws Exception {
    List<String> lines = Files.readAllLines(Path.of("src/main/java/dev/overseer/samples", file));
    int begin = indexOfMarker(lines, "// README:begin");
    int end = indexOfMarker(lines, "// README:end");
    String indent = lines.get(begin).substring(0, lines.get(begin).indexOf("//"));
    String snippet = lines.subList(begin + 1, end).stream()
        .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(readme).as("README shows " + file + " between its README markers").contains(snippet);
  }

  private static int indexOfMarker(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("no " + marker);
  }

  /** The example crashes its worker once on start (REST_FOR_ONE restarts the sequence too): wait for that. */
  private static void awaitRestarts(Vertx vertx, Supervisor app, int restarts) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!app.whichChildren().await().stream()
        .allMatch(c -> c.restartCount() >= restarts && c.status() == ChildStatus.RUNNING)) {
      assertThat(System.nanoTime()).as("children restarted in time").isLessThan(deadline);
      vertx.timer(10).await();
    }
  }

  @Test
  void theEmbeddingExampleRestartsTheCrashedWorker(Vertx vertx) {
    Supervisor app = ReadmeExample.start(vertx).await();
    awaitRestarts(vertx, app, 1);
    assertThat(vertx.eventBus().request("worker", "21").await().body()).isEqualTo(42);
    assertThatThrownBy(() -> vertx.eventBus().request("worker", "x", new DeliveryOptions().setSendTimeout(200)).await())
        .isInstanceOf(ReplyException.class);
    awaitRestarts(vertx, app, 2);
    List<ChildInfo> children = app.whichChildren().await();
    assertThat(children).extracting(ChildInfo::id).containsExactly("worker", "sequence");
    assertThat(children.get(0).status()).isEqualTo(ChildStatus.RUNNING);
    assertThat(vertx.eventBus().request("worker", "4").await().body()).isEqualTo(8);
  }

  @Test
  void theSequenceServerAnswersPlainEventBusMessages(Vertx vertx) {
    awaitRestarts(vertx, ReadmeExample.start(vertx).await(), 1);
    assertThat(vertx.eventBus().request("sequence", "next_number").await().body()).isEqualTo(0L);
    vertx.eventBus().send("sequence", new JsonObject().put("increment_number", 10));
    assertThat(ServerRef.of(vertx, "sequence").call("next_number").await()).isEqualTo(11L);
  }

  @Test
  void theTreeSampleShowsRestartsAndAnEscalation() throws Exception {
    assertThat(TreeSample.run()).isZero();
  }

  @Test
  void theSequenceSampleContinuesFromTheStashedNumber() {
    assertThat(SequenceSample.run()).isZero();
  }
}
