package dev.overseer.samples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo as a person runs it: a separate JVM, its arguments, its output, and Ctrl-C (SIGTERM). */
class DemoProcessTest {

  static final String TOKEN = "demo-test-token-0123456789";

  /** Starts {@code Main} with {@code args} in a new JVM on this test's class path; output goes to {@code log}. */
  static Process start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "dev.overseer.samples.Main"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static String waitFor(Path log, Pattern pattern, Duration wait, Process process) throws Exception {
    Instant deadline = Instant.now().plus(wait);
    while (Instant.now().isBefore(deadline)) {
      String out = Files.readString(log);
      if (pattern.matcher(out).find()) {
        return out;
      }
      assertThat(process.isAlive()).as("the demo is still running; output so far:\n" + out).isTrue();
      // poll the output file with a deadline: the process gives no other signal
      process.waitFor(100, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("no " + pattern + " within " + wait + "; output:\n" + Files.readString(log));
  }

  @Test
  void exitsInOrderWithinSecondsOnSigterm() throws Exception {
    Path log = Files.createTempFile("demo", ".log");
    Process demo = start(log, "--port", "0", "--token", TOKEN);
    try {
      waitFor(log, Pattern.compile("Ctrl-C to stop"), Duration.ofSeconds(60), demo);
      demo.destroy(); // SIGTERM
      boolean exited = demo.waitFor(Demo.SHUTDOWN_LIMIT.toSeconds() + 10, TimeUnit.SECONDS);
      String out = Files.readString(log);
      assertThat(exited).as("exited after SIGTERM; output:\n" + out).isTrue();
      // an ordered shutdown that finished, not the hook giving up on it
      assertThat(out).contains("stopping: the tree in order", "SUPERVISOR_STOPPED    app", "\nstopped\n")
          .doesNotContain("exiting anyway");
      // the children of app stop in reverse start order: sessions, then workers, then sequence
      Matcher order = Pattern.compile("CHILD_TERMINATED\\s+app / (\\S+)").matcher(out);
      List<String> stoppedChildren = new ArrayList<>();
      while (order.find()) {
        stoppedChildren.add(order.group(1));
      }
      assertThat(stoppedChildren).containsExactly("sessions", "workers", "sequence");
    } finally {
      demo.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  @Test
  void logsTheConsoleUrlOnceAndNeverAConfiguredToken() throws Exception {
    Path log = Files.createTempFile("demo", ".log");
    Process demo = start(log, "--port", "0");
    Process configured = null;
    Path log2 = Files.createTempFile("demo", ".log");
    try {
      String out = waitFor(log, Pattern.compile("Ctrl-C to stop"), Duration.ofSeconds(60), demo);
      Matcher url = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/#token=[A-Za-z0-9_-]{43}").matcher(out);
      assertThat(url.find()).as(out).isTrue();
      assertThat(url.find()).as("the URL with the token appears once:\n" + out).isFalse();
      assertThat(out).contains("ConsoleOptions.setToken");

      configured = start(log2, "--port", "0", "--token", TOKEN);
      String out2 = waitFor(log2, Pattern.compile("Ctrl-C to stop"), Duration.ofSeconds(60), configured);
      assertThat(out2).contains("token as configured").doesNotContain(TOKEN);
    } finally {
      demo.destroyForcibly();
      if (configured != null) {
        configured.destroyForcibly();
      }
      Files.deleteIfExists(log);
      Files.deleteIfExists(log2);
    }
  }

  @Test
  void printsUsageForHelpAndStartsNothing() throws Exception {
    Path log = Files.createTempFile("demo", ".log");
    Process help = start(log, "--help");
    try {
      assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(help.exitValue()).isZero();
      assertThat(Files.readString(log)).startsWith("usage:").doesNotContain("Overseer console");
    } finally {
      help.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  @Test
  void refusesAnUnknownArgumentWithUsageAndStatus2() throws Exception {
    Path log = Files.createTempFile("demo", ".log");
    Process bad = start(log, "--prot", "8088");
    try {
      assertThat(bad.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(bad.exitValue()).isEqualTo(2);
      assertThat(Files.readString(log)).contains("unknown argument '--prot'", "usage:").doesNotContain("Overseer console");
    } finally {
      bad.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  @Test
  void parsesArgumentsAndNamesTheBadOne() throws Exception {
    assertThat(Demo.parse(new String[] {"--port", "0", "--token", TOKEN}).getPort()).isZero();
    assertThat(Demo.parse(new String[] {"--port", "1", "-h"})).isNull();
    assertThatThrownBy(() -> Demo.parse(new String[] {"--port"})).hasMessageContaining("--port needs a value");
    assertThatThrownBy(() -> Demo.parse(new String[] {"--port", "x"})).hasMessageContaining("not a number");
    assertThatThrownBy(() -> Demo.parse(new String[] {"--token", "short"})).hasMessageContaining("token:");
    assertThatThrownBy(() -> Demo.parse(new String[] {"tree"})).hasMessageContaining("unknown argument 'tree'");
  }
}
