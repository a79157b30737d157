package dev.overseer.chaos;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the chaos run recorded: the children, the operations, the faults and the window in
 * which the workload ran. The {@link Checker} judges it; it can be written as JSON lines and
 * read back, so a history is checked again without running anything.
 *
 * <p>Thread-safe for recording: clients and the nemesis append from their own threads.
 */
public final class History {

  /** The kind of a child: which functions it has and what its values must satisfy. */
  public enum ChildKind {
    /** Hands out numbers with {@code next}: unique, increasing. */
    SEQUENCE,
    /** Counts with {@code incr}: no acknowledged increment lost. */
    COUNTER
  }

  private final long seed;
  private final Map<String, ChildKind> children;
  private final List<Op> ops = new ArrayList<>();
  private final List<Fault> faults = new ArrayList<>();
  private long workloadStart;
  private long workloadEnd;

  /**
   * @param seed the seed of the run (printed, so a run can be repeated)
   * @param children the children under test and their kinds, in a stable order
   */
  public History(long seed, Map<String, ChildKind> children) {
    this.seed = seed;
    this.children = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(children, "children")));
  }

  /** @return the seed of the run */
  public long seed() {
    return seed;
  }

  /** @return the children under test and their kinds */
  public Map<String, ChildKind> children() {
    return children;
  }

  /**
   * Records an operation.
   *
   * @param op the operation, completed
   */
  public synchronized void add(Op op) {
    ops.add(Objects.requireNonNull(op, "op"));
  }

  /**
   * Records a fault.
   *
   * @param fault the fault, over
   */
  public synchronized void add(Fault fault) {
    faults.add(Objects.requireNonNull(fault, "fault"));
  }

  /** @return a copy of the operations, in the order they were recorded */
  public synchronized List<Op> ops() {
    return new ArrayList<>(ops);
  }

  /** @return a copy of the faults, in the order they were recorded */
  public synchronized List<Fault> faults() {
    return new ArrayList<>(faults);
  }

  /**
   * Sets the window of the workload phase (availability is measured over it).
   *
   * @param startNanos when the clients started
   * @param endNanos when the clients stopped
   * @return this
   */
  public synchronized History window(long startNanos, long endNanos) {
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("the workload ends after it starts");
    }
    workloadStart = startNanos;
    workloadEnd = endNanos;
    return this;
  }

  /** @return when the clients started, nanoseconds since the start of the run */
  public synchronized long workloadStart() {
    return workloadStart;
  }

  /** @return when the clients stopped, nanoseconds since the start of the run */
  public synchronized long workloadEnd() {
    return workloadEnd;
  }

  /** @return the history as JSON lines: a header, then faults and operations */
  public synchronized List<String> toJsonLines() {
    List<String> lines = new ArrayList<>();
    JsonObject kinds = new JsonObject();
    children.forEach((name, kind) -> kinds.put(name, kind.name().toLowerCase()));
    lines.add(new JsonObject().put("seed", seed).put("children", kinds)
        .put("workloadStart", workloadStart).put("workloadEnd", workloadEnd).encode());
    faults.forEach(f -> lines.add(f.toJson().encode()));
    ops.forEach(o -> lines.add(o.toJson().encode()));
    return lines;
  }

  /**
   * Reads a history written by {@link #toJsonLines()}.
   *
   * @param lines the lines
   * @return the history
   */
  public static History fromJsonLines(List<String> lines) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a history starts with its header line");
    }
    JsonObject header = new JsonObject(lines.get(0));
    Map<String, ChildKind> kinds = new LinkedHashMap<>();
    header.getJsonObject("children").forEach(e -> kinds.put(e.getKey(), ChildKind.valueOf(((String) e.getValue()).toUpperCase())));
    History history = new History(header.getLong("seed"), kinds).window(header.getLong("workloadStart"), header.getLong("workloadEnd"));
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      JsonObject json = new JsonObject(line);
      if (json.containsKey("fault")) {
        history.add(Fault.fromJson(json));
      } else {
        history.add(Op.fromJson(json));
      }
    }
    return history;
  }
}
