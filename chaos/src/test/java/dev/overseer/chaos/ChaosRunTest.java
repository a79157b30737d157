package dev.overseer.chaos;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short chaos run of CI ({@code chaos/run --seconds 60}): three member JVMs, clients, the
 * nemesis, and a verdict that must be clean. Length from {@code -Dchaos.seconds} (pom: 60).
 */
class ChaosRunTest {

  @Test
  void shortChaosRunEndsWithACleanVerdictAndNoProcessLeft() throws Exception {
    int seconds = Integer.parseInt(System.getProperty("chaos.seconds", "60"));
    ChaosOptions options = new ChaosOptions()
        .setSeconds(seconds)
        .setSeed(Long.getLong("chaos.seed", System.nanoTime()))
        .setOut(Path.of(System.getProperty("chaos.out", "target/chaos")));
    Verdict verdict;
    try {
      verdict = ChaosRun.run(options, line -> System.out.println("[chaos] " + line));
    } finally {
      // Whatever happened, no member JVM outlives the run.
      List<ProcessHandle> left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
      left.forEach(ProcessHandle::destroyForcibly);
      assertThat(left).as("member processes still alive after the run").isEmpty();
    }
    System.out.println("[chaos] verdict " + verdict.toJson().encodePrettily());
    assertThat(verdict.operations().getOrDefault(Op.Type.OK, 0L)).as("acknowledged operations").isGreaterThan(100);
    assertThat(verdict.faults().values().stream().mapToLong(Long::longValue).sum()).as("faults injected").isGreaterThanOrEqualTo(2);
    assertThat(verdict.anomalies()).as("anomalies (seed %d; history in %s)", options.getSeed(), options.getOut()).isEmpty();
  }
}
