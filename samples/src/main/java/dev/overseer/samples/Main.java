package dev.overseer.samples;

import java.util.Arrays;

/**
 * Entry point of {@code overseer-samples.jar}: {@code java -jar overseer-samples.jar [sample]}.
 * Without an argument (or with only the demo's {@code --port}/{@code --token} options) it runs the demo.
 */
public final class Main {

  /** Samples print lifecycle events themselves; the library's own crash log would say it twice. */
  private static final java.util.logging.Logger OVERSEER_LOG = java.util.logging.Logger.getLogger("dev.overseer");

  private Main() {
  }

  /** The console's own messages (its URL) stay on. */
  private static final java.util.logging.Logger CONSOLE_LOG = java.util.logging.Logger.getLogger("dev.overseer.console");

  public static void main(String[] args) throws Exception {
    OVERSEER_LOG.setLevel(java.util.logging.Level.OFF);
    CONSOLE_LOG.setLevel(java.util.logging.Level.INFO);
    boolean demoOptions = args.length == 0 || args[0].startsWith("-");
    String sample = demoOptions ? "demo" : args[0];
    String[] rest = demoOptions ? args : Arrays.copyOfRange(args, 1, args.length);
    int status;
    switch (sample) {
      case "demo":
        status = Demo.run(rest);
        break;
      case "tree":
        status = TreeSample.run();
        break;
      case "sequence":
        status = SequenceSample.run();
        break;
      case "handoff":
        status = dev.overseer.samples.handoff.HandoffSample.run(rest);
        break;
      default:
        System.err.println("error: unknown sample '" + sample + "'");
        System.err.println(Demo.USAGE);
        status = 2;
    }
    if (sample.equals("demo") && status == 0) {
      // the demo returns once its shutdown hook ran: the JVM is exiting already
      return;
    }
    System.exit(status);
  }
}
