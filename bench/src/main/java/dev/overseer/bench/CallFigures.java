package dev.overseer.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The call throughput and latency figures, taken the same way for every Vert.x-based variant. */
final class CallFigures {

  private CallFigures() {
  }

  /**
   * For each address → metric prefix: a warm-up, then {@code rounds} throughput measurements
   * interleaved across the variants (the median is kept as {@code <prefix>.throughput}), then
   * the latency of sequential calls ({@code <prefix>.latency.*}).
   */
  static void measureAll(EventBusLoad load, Map<String, String> variants, Mode mode, Figures figures) {
    for (String address : variants.keySet()) {
      load.throughput(address, mode.window(), 1, mode.warmupMillis()).await();
    }
    Map<String, List<Double>> rates = new HashMap<>();
    for (int round = 0; round < mode.rounds(); round++) {
      for (String address : variants.keySet()) {
        double perSecond = load.throughput(address, mode.window(), 500, mode.measureMillis()).await();
        rates.computeIfAbsent(address, k -> new ArrayList<>()).add(perSecond);
      }
    }
    variants.forEach((address, prefix) -> {
      figures.higher(prefix + ".throughput", median(rates.get(address)), "calls/s");
      figures.info(prefix + ".throughput.rounds", rates.get(address).size(), "count");
      figures.info(prefix + ".throughput.min", rates.get(address).stream().mapToDouble(d -> d).min().orElse(0), "calls/s");
      figures.info(prefix + ".throughput.max", rates.get(address).stream().mapToDouble(d -> d).max().orElse(0), "calls/s");
    });
    variants.forEach((address, prefix) -> {
      load.latencies(address, mode.latencyCalls() / 5).await();
      figures.latencies(prefix + ".latency", load.latencies(address, mode.latencyCalls()).await());
    });
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
