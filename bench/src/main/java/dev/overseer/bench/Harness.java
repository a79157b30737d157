package dev.overseer.bench;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Runs one system's benchmarks in this JVM and writes its figures as JSON:
 * {@code Harness <overseer|vertx|pekko|micro> <quick|full> <out.json> [main|scale]}. {@code bench/run} starts
 * one JVM per system so that heap figures and JIT state do not leak between them, then merges the
 * files with {@link Report}.
 */
public final class Harness {

  private Harness() {
  }

  /** Entry point; see the class comment. */
  public static void main(String[] args) throws Exception {
    if (args.length < 3 || args.length > 4 || (args.length == 4 && !List.of("main", "scale").contains(args[3]))) {
      System.err.println("usage: Harness <overseer|vertx|pekko|micro> <quick|full> <out.json> [main|scale]");
      System.exit(2);
    }
    String part = args.length == 4 ? args[3] : "main";
    Side side = switch (args[0]) {
      case "overseer" -> new OverseerSide();
      case "pekko" -> new PekkoSide();
      case "micro" -> new MicroSide();
      case "vertx" -> new VertxFloor();
      default -> {
        System.err.println("unknown system '" + args[0] + "': expected overseer, pekko or micro");
        System.exit(2);
        yield null;
      }
    };
    Mode mode;
    try {
      mode = Mode.of(args[1]);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    silenceLogging();
    long t0 = System.nanoTime();
    // The plain-Vert.x floor is reported with the Overseer JVM's plain-Vert.x figures (vertx.*).
    boolean floor = args[0].equals("vertx");
    JsonObject out = new JsonObject().put("system", floor ? "overseer" : args[0]).put("part", floor ? "vertx-scale" : part)
        .put("version", side.version());
    try {
      out.mergeIn(side.run(mode, part).toJson());
      out.put("status", "ok");
    } catch (Throwable t) {
      out.put("status", "failed").put("reason", t.toString());
      t.printStackTrace();
    }
    out.put("wallSeconds", Math.round((System.nanoTime() - t0) / 1e7) / 100.0);
    Files.writeString(Path.of(args[2]), out.encodePrettily());
    // Children and actor systems are left running: tearing down 100,000 of them is not measured.
    System.exit(out.getString("status").equals("ok") ? 0 : 1);
  }

  /**
   * Every system is run with its crash logging off: a stack trace per crash would measure the
   * console, not the restart. (Pekko's own log level is set in its config.)
   */
  private static void silenceLogging() {
    LogManager.getLogManager().reset();
    Logger.getLogger("").setLevel(Level.OFF);
  }
}
