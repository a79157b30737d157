package dev.overseer.bench;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/**
 * The figures one system produced in a run, keyed by metric ({@code restart.p50},
 * {@code call.throughput}…), each with its unit and which direction is better; metrics that
 * could not be measured are kept with the reason, never dropped.
 */
public final class Figures {

  private final JsonObject figures = new JsonObject();
  private final JsonObject skipped = new JsonObject();
  private final JsonObject notes = new JsonObject();

  /** Records a figure where a lower value is better (latency, time, memory). */
  public Figures lower(String metric, double value, String unit) {
    figures.put(metric, new JsonObject().put("value", round(value)).put("unit", unit).put("better", "lower"));
    return this;
  }

  /** Records a figure where a higher value is better (throughput). */
  public Figures higher(String metric, double value, String unit) {
    figures.put(metric, new JsonObject().put("value", round(value)).put("unit", unit).put("better", "higher"));
    return this;
  }

  /** Records a count that is information, not a score (errors, where a run stopped). */
  public Figures info(String metric, double value, String unit) {
    figures.put(metric, new JsonObject().put("value", round(value)).put("unit", unit).put("better", "none"));
    return this;
  }

  /** Records that a metric could not be measured, and why. */
  public Figures skip(String metric, String reason) {
    skipped.put(metric, reason);
    return this;
  }

  /** Adds a free-text note about how a figure was taken. */
  public Figures note(String key, String text) {
    notes.put(key, text);
    return this;
  }

  /** Records p50, p99 and mean of latencies given in nanoseconds, in microseconds. */
  public Figures latencies(String prefix, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    lower(prefix + ".p50", percentile(sorted, 50) / 1_000.0, "us");
    lower(prefix + ".p99", percentile(sorted, 99) / 1_000.0, "us");
    lower(prefix + ".mean", Arrays.stream(sorted).average().orElse(0) / 1_000.0, "us");
    info(prefix + ".samples", sorted.length, "count");
    return this;
  }

  /**
   * Records the scale figures the same way for every system: children started, time to start
   * them all, start rate, and heap per child from used heap after GC before and after.
   */
  public Figures scale(int started, double seconds, long heapBefore, long heapAfter) {
    info("scale.children", started, "count");
    lower("scale.startAll", seconds * 1000, "ms");
    higher("scale.startRate", started / seconds, "children/s");
    return lower("scale.heapPerChild", (heapAfter - heapBefore) / (double) started, "bytes");
  }

  /**
   * Records the growth of the process's resident memory per child, beside the live heap: what
   * the operating system sees (heap pages touched, metaspace, thread stacks), not only live objects.
   */
  public Figures rss(int started, long rssBefore, long rssAfter) {
    if (rssBefore < 0 || rssAfter < 0) {
      return skip("scale.rssPerChild", "no /proc/self/status on this system");
    }
    return lower("scale.rssPerChild", (rssAfter - rssBefore) / (double) started, "bytes");
  }

  /** Nearest-rank percentile of sorted values. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double round(double v) {
    return Math.round(v * 1_000.0) / 1_000.0;
  }

  /** @return {@code {figures, skipped, notes}} */
  public JsonObject toJson() {
    return new JsonObject().put("figures", figures).put("skipped", skipped).put("notes", notes);
  }
}
