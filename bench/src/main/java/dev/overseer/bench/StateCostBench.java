package dev.overseer.bench;

import dev.overseer.stash.LocalStash;
import dev.overseer.stash.StashEntry;
import io.vertx.core.json.Json;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * JMH: what one state save costs. {@code rawMapPut} is the plain map write the peers do;
 * {@code localStashPut} is what a WRITE_THROUGH server does per changed state (JSON-encode the
 * state, then an epoch-checked {@link LocalStash#put}); {@code localStashPutEncoded} leaves the
 * encoding out, to show which part costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StateCostBench {

  private ConcurrentHashMap<String, Long> map;
  private LocalStash stash;
  private long epoch;
  private long n;

  /** Fresh map and stash, with the key claimed as a server does at start. */
  @Setup
  public void setUp() {
    map = new ConcurrentHashMap<>();
    stash = new LocalStash();
    epoch = stash.claim("counter").result();
  }

  /** The raw in-memory map operation. */
  @Benchmark
  public Long rawMapPut() {
    return map.put("counter", ++n);
  }

  /** A WRITE_THROUGH save: encode the state as JSON, then put it in the LocalStash. */
  @Benchmark
  public StashEntry localStashPut() {
    return stash.put("counter", Json.encode(++n), 1, epoch).result();
  }

  /** The LocalStash put alone, the JSON already made. */
  @Benchmark
  public StashEntry localStashPutEncoded() {
    return stash.put("counter", Long.toString(++n), 1, epoch).result();
  }
}
