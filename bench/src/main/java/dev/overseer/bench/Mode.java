package dev.overseer.bench;

import io.vertx.core.json.JsonObject;

/**
 * How long and how large one repetition of a run is. {@code quick} is {@code full} scaled down:
 * the same phases in the same order, fewer iterations. {@code bench/run} starts {@link #reps()}
 * fresh JVMs per system, interleaved across systems, and the report keeps the median and the
 * spread of each figure over them.
 *
 * @param name quick or full
 * @param coldCrashes restarts timed first in a fresh JVM (the cold figure)
 * @param warmupCrashes unpaced restarts after the cold ones, before the warm figure: they let the
 *     JIT settle, and their second half gives the restarts per second one supervisor sustains
 * @param crashes paced restarts timed for the warm figure
 * @param paceMillis least time between two paced crashes, so that a supervisor's restart history
 *     (OTP walks it on every restart) stays short
 * @param warmupMillis load before a throughput measurement starts counting
 * @param measureMillis how long a throughput measurement counts
 * @param window calls in flight during a throughput measurement
 * @param latencyCalls sequential calls timed for the call latency
 * @param children children started under one dynamic supervisor
 * @param oneForAllChildren children restarted together by a one-for-all supervisor
 * @param oneForAllRounds one-for-all restarts measured
 * @param rounds throughput measurements per variant in one JVM, interleaved; the median is kept
 * @param reps fresh JVMs per system, interleaved across systems by {@code bench/run}
 * @param clusterOps operations per side of the cluster write-through figure
 */
public record Mode(String name, int coldCrashes, int warmupCrashes, int crashes, int paceMillis,
                   int warmupMillis, int measureMillis, int window, int latencyCalls, int children,
                   int oneForAllChildren, int oneForAllRounds, int rounds, int reps, int clusterOps) {

  /** Restart intensity of the paced supervisors: never reached at one crash per {@code paceMillis}. */
  public static final int PACED_INTENSITY = 1_000;

  /** Restart intensity of the unpaced (warm-up, sustained rate, crash storm) supervisors. */
  public static final int UNPACED_INTENSITY = 1_000_000;

  /** @return the mode named {@code quick} or {@code full} */
  public static Mode of(String name) {
    switch (name) {
      case "quick":
        return new Mode("quick", 20, 2_000, 200, 10, 1_000, 1_000, 32, 5_000, 10_000, 1_000, 3, 1, 5, 1_000);
      case "full":
        return new Mode("full", 20, 12_000, 1_000, 10, 3_000, 3_000, 32, 30_000, 100_000, 1_000, 10, 2, 5, 5_000);
      default:
        throw new IllegalArgumentException("mode must be quick or full, got '" + name + "'");
    }
  }

  /** @return the parameters as JSON, for the report */
  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("coldCrashes", coldCrashes).put("warmupCrashes", warmupCrashes)
        .put("crashes", crashes).put("paceMillis", paceMillis).put("pacedIntensity", PACED_INTENSITY)
        .put("unpacedIntensity", UNPACED_INTENSITY).put("warmupMillis", warmupMillis)
        .put("measureMillis", measureMillis).put("window", window).put("latencyCalls", latencyCalls)
        .put("children", children).put("oneForAllChildren", oneForAllChildren)
        .put("oneForAllRounds", oneForAllRounds).put("rounds", rounds).put("reps", reps).put("clusterOps", clusterOps);
  }
}
