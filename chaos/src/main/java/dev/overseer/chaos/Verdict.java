package dev.overseer.chaos;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the {@link Checker} concluded from a {@link History}: valid only if no anomaly of any
 * kind was found.
 *
 * @param seed the seed of the run
 * @param operations operations by outcome (ok, fail, info), workload and final phase together
 * @param faults faults injected, by kind
 * @param anomalies every anomaly found
 * @param availabilityPercent acknowledged operations among all operations of the workload phase
 * @param longestUnavailabilityMillis per child, the longest time without an acknowledged operation during the workload
 */
public record Verdict(long seed, Map<Op.Type, Long> operations, Map<Fault.Kind, Long> faults, List<Anomaly> anomalies,
                      double availabilityPercent, Map<String, Long> longestUnavailabilityMillis) {

  /** How many anomalies of one kind the JSON verdict lists in full. */
  public static final int EXAMPLES_PER_KIND = 10;

  /** @return whether the history shows no anomaly */
  public boolean valid() {
    return anomalies.isEmpty();
  }

  /** @return the anomalies counted by kind (every kind present, zero when none) */
  public Map<Anomaly.Kind, Long> anomaliesByKind() {
    Map<Anomaly.Kind, Long> counts = new EnumMap<>(Anomaly.Kind.class);
    for (Anomaly.Kind k : Anomaly.Kind.values()) {
      counts.put(k, 0L);
    }
    anomalies.forEach(a -> counts.merge(a.kind(), 1L, Long::sum));
    return counts;
  }

  /** @return the verdict as the JSON the chaos run prints */
  public JsonObject toJson() {
    JsonObject ops = new JsonObject();
    long total = 0;
    for (Op.Type t : Op.Type.values()) {
      long n = operations.getOrDefault(t, 0L);
      ops.put(t.name().toLowerCase(), n);
      total += n;
    }
    ops.put("total", total);
    JsonObject faultJson = new JsonObject();
    long faultTotal = 0;
    for (Fault.Kind k : Fault.Kind.values()) {
      long n = faults.getOrDefault(k, 0L);
      faultJson.put(k.name().toLowerCase(), n);
      faultTotal += n;
    }
    faultJson.put("total", faultTotal);
    JsonObject byKind = new JsonObject();
    anomaliesByKind().forEach((k, n) -> byKind.put(k.name().toLowerCase(), n));
    JsonArray examples = new JsonArray();
    Map<Anomaly.Kind, Long> shown = new EnumMap<>(Anomaly.Kind.class);
    for (Anomaly a : anomalies) {
      if (shown.merge(a.kind(), 1L, Long::sum) <= EXAMPLES_PER_KIND) {
        examples.add(a.toJson());
      }
    }
    JsonObject unavailable = new JsonObject();
    longestUnavailabilityMillis.forEach(unavailable::put);
    return new JsonObject()
        .put("valid", valid())
        .put("seed", seed)
        .put("operations", ops)
        .put("faults", faultJson)
        .put("anomalies", byKind)
        .put("anomalyExamples", examples)
        .put("availabilityPercent", Math.round(availabilityPercent * 100) / 100.0)
        .put("longestUnavailabilityMillis", unavailable);
  }
}
