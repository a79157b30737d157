package dev.overseer.samples;

import dev.overseer.samples.handoff.HandoffSample;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs the handoff sample end to end: three member JVMs, a graceful leave, a replacement, a SIGKILL. */
class HandoffSampleTest {

  @Test
  void everyAcknowledgedIncrementSurvivesAGracefulLeaveAndAKill() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int status;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      status = HandoffSample.run(new String[0]);
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    original.println(output);
    assertThat(output).contains("B left gracefully: all").contains("C was killed: all")
        .contains("PASS: every acknowledged increment is present");
    assertThat(output).doesNotContain("TWO AT ONCE").doesNotContain("LOST UPDATES");
    assertThat(status).isZero();
  }
}
