package dev.overseer.bench;

/** The call throughput and latency figures, taken the same way for every Vert.x-based variant. */
final class CallFigures {

  private CallFigures() {
  }

  /** Records {@code <prefix>.throughput} and {@code <prefix>.latency.*}. */
  static void measure(EventBusLoad load, String address, Mode mode, Figures figures, String prefix) {
    double perSecond = load.throughput(address, mode.window(), mode.warmupMillis(), mode.measureMillis()).await();
    figures.higher(prefix + ".throughput", perSecond, "calls/s");
    load.latencies(address, mode.latencyCalls() / 5).await();
    figures.latencies(prefix + ".latency", load.latencies(address, mode.latencyCalls()).await());
  }
}
