package dev.overseer.bench;

import io.vertx.core.json.JsonObject;

/**
 * How long and how large a run is. {@code quick} fits all peers in under ten minutes on two
 * cores; {@code full} uses enough samples for stable tails and goes to 100,000 children.
 *
 * @param name quick or full
 * @param crashes crashes measured for the restart latency
 * @param warmupMillis load before a throughput measurement starts counting
 * @param measureMillis how long a throughput measurement counts
 * @param window calls in flight during a throughput measurement
 * @param latencyCalls sequential calls timed for the call latency
 * @param children children started under one dynamic supervisor
 * @param oneForAllChildren children restarted together by a one-for-all supervisor
 * @param oneForAllRounds one-for-all restarts measured
 * @param rounds throughput measurements per variant, interleaved; the median is reported
 */
public record Mode(String name, int crashes, int warmupMillis, int measureMillis, int window,
                   int latencyCalls, int children, int oneForAllChildren, int oneForAllRounds, int rounds) {

  /** @return the mode named {@code quick} or {@code full} */
  public static Mode of(String name) {
    switch (name) {
      case "quick":
        return new Mode("quick", 300, 2_000, 3_000, 32, 20_000, 10_000, 1_000, 5, 3);
      case "full":
        return new Mode("full", 2_000, 5_000, 6_000, 32, 100_000, 100_000, 1_000, 20, 5);
      default:
        throw new IllegalArgumentException("mode must be quick or full, got '" + name + "'");
    }
  }

  /** @return the parameters as JSON, for the report */
  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("crashes", crashes).put("warmupMillis", warmupMillis)
        .put("measureMillis", measureMillis).put("window", window).put("latencyCalls", latencyCalls)
        .put("children", children).put("oneForAllChildren", oneForAllChildren)
        .put("oneForAllRounds", oneForAllRounds).put("rounds", rounds);
  }
}
