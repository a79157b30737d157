package dev.overseer.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

/** The JMH micro figures (see {@link StateCostBench}), in a forked JVM as JMH does by default. */
final class MicroSide implements Side {

  @Override
  public String version() {
    return "jmh " + Versions.of("org.openjdk.jmh.runner.Runner");
  }

  @Override
  public Figures run(Mode mode, String part) throws Exception {
    boolean quick = mode.name().equals("quick");
    Options options = new OptionsBuilder()
        .include(StateCostBench.class.getName())
        .forks(1)
        .warmupIterations(quick ? 3 : 5)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(quick ? 5 : 10)
        .measurementTime(TimeValue.seconds(1))
        // The fork's own heap, not the 8 GiB the scale figures need.
        .jvmArgs("-Xms1g", "-Xmx1g", "-XX:+UseG1GC")
        .build();
    Collection<RunResult> results = new Runner(options).run();
    Figures figures = new Figures();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      String method = name.substring(name.lastIndexOf('.') + 1);
      // The median iteration: on a shared machine one disturbed second can move the mean by 5x.
      figures.lower("state.micro." + method, r.getPrimaryResult().getStatistics().getPercentile(50), "ns/op");
      figures.info("state.micro." + method + ".mean", r.getPrimaryResult().getScore(), "ns/op");
      figures.info("state.micro." + method + ".error", r.getPrimaryResult().getScoreError(), "ns/op (99.9% CI half-width of the mean)");
      figures.info("state.micro." + method + ".min", r.getPrimaryResult().getStatistics().getMin(), "ns/op");
    }
    figures.note("state.micro", "JMH AverageTime, 1 fork (-Xmx1g), single thread; the figure is the median iteration "
        + "(mean, error and min beside it); see StateCostBench");
    return figures;
  }
}
