package dev.overseer.chaos;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a chaos run does: how long the nemesis runs, its seed, how many clients and children, and
 * where the history, verdict and member logs go.
 */
public class ChaosOptions {

  /** Default length of the workload with the nemesis: the CI run. */
  public static final int DEFAULT_SECONDS = 60;
  /** Default number of concurrent clients. */
  public static final int DEFAULT_CLIENTS = 4;
  /** Default number of sequence servers. */
  public static final int DEFAULT_SEQUENCES = 2;
  /** Default number of counters. */
  public static final int DEFAULT_COUNTERS = 2;
  /** Default number of members (the cluster keeps this many; faults take one away at a time). */
  public static final int DEFAULT_MEMBERS = 3;

  private int seconds = DEFAULT_SECONDS;
  private long seed = System.nanoTime();
  private int clients = DEFAULT_CLIENTS;
  private int sequences = DEFAULT_SEQUENCES;
  private int counters = DEFAULT_COUNTERS;
  private int members = DEFAULT_MEMBERS;
  private Set<Fault.Kind> faults = EnumSet.allOf(Fault.Kind.class);
  private Path out = Path.of("chaos", "target", "chaos");
  private String classpath;

  /** Defaults: 60 s, a seed from the clock, 4 clients, 2 sequences, 2 counters, 3 members, every fault. */
  public ChaosOptions() {
  }

  /**
   * Copy constructor.
   *
   * @param other the options to copy
   */
  public ChaosOptions(ChaosOptions other) {
    seconds = other.seconds;
    seed = other.seed;
    clients = other.clients;
    sequences = other.sequences;
    counters = other.counters;
    members = other.members;
    faults = EnumSet.copyOf(other.faults);
    out = other.out;
    classpath = other.classpath;
  }

  /** @return the options as JSON (printed at the start of a run) */
  public JsonObject toJson() {
    return new JsonObject().put("seconds", seconds).put("seed", seed).put("clients", clients)
        .put("sequences", sequences).put("counters", counters).put("members", members)
        .put("faults", faults.stream().map(k -> k.name().toLowerCase()).toList()).put("out", out.toString());
  }

  /** @return seconds of workload under the nemesis */
  public int getSeconds() {
    return seconds;
  }

  /**
   * @param seconds seconds of workload under the nemesis, at least 1
   * @return this
   */
  public ChaosOptions setSeconds(int seconds) {
    if (seconds < 1) {
      throw new IllegalArgumentException("seconds must be 1 or more, got " + seconds);
    }
    this.seconds = seconds;
    return this;
  }

  /** @return the seed of the nemesis's and the clients' choices */
  public long getSeed() {
    return seed;
  }

  /**
   * @param seed the seed of the nemesis's and the clients' choices
   * @return this
   */
  public ChaosOptions setSeed(long seed) {
    this.seed = seed;
    return this;
  }

  /** @return the number of concurrent clients */
  public int getClients() {
    return clients;
  }

  /**
   * @param clients the number of concurrent clients, at least 1
   * @return this
   */
  public ChaosOptions setClients(int clients) {
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be 1 or more, got " + clients);
    }
    this.clients = clients;
    return this;
  }

  /** @return the number of sequence servers */
  public int getSequences() {
    return sequences;
  }

  /**
   * @param sequences the number of sequence servers
   * @return this
   */
  public ChaosOptions setSequences(int sequences) {
    this.sequences = Math.max(0, sequences);
    return this;
  }

  /** @return the number of counters */
  public int getCounters() {
    return counters;
  }

  /**
   * @param counters the number of counters
   * @return this
   */
  public ChaosOptions setCounters(int counters) {
    this.counters = Math.max(0, counters);
    return this;
  }

  /** @return the number of members */
  public int getMembers() {
    return members;
  }

  /**
   * @param members the number of members, at least 3 (one fault at a time leaves a majority)
   * @return this
   */
  public ChaosOptions setMembers(int members) {
    if (members < 3) {
      throw new IllegalArgumentException("members must be 3 or more, got " + members);
    }
    this.members = members;
    return this;
  }

  /** @return the kinds of fault the nemesis may inject */
  public Set<Fault.Kind> getFaults() {
    return EnumSet.copyOf(faults);
  }

  /**
   * @param faults the kinds of fault the nemesis may inject (empty: no nemesis)
   * @return this
   */
  public ChaosOptions setFaults(Set<Fault.Kind> faults) {
    this.faults = faults.isEmpty() ? EnumSet.noneOf(Fault.Kind.class) : EnumSet.copyOf(faults);
    return this;
  }

  /** @return the directory for the history, the verdict and the member logs */
  public Path getOut() {
    return out;
  }

  /**
   * @param out the directory for the history, the verdict and the member logs
   * @return this
   */
  public ChaosOptions setOut(Path out) {
    this.out = Objects.requireNonNull(out, "out");
    return this;
  }

  /** @return the class path of the member JVMs, or {@code null} for {@code chaos/target}'s */
  public String getClasspath() {
    return classpath;
  }

  /**
   * @param classpath the class path of the member JVMs
   * @return this
   */
  public ChaosOptions setClasspath(String classpath) {
    this.classpath = classpath;
    return this;
  }
}
