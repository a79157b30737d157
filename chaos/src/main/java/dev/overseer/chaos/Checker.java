package dev.overseer.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges a {@link History}: pure logic, no clock, no Vert.x. It trusts nothing the system says
 * about itself beyond what each reply carried (value, member, epoch).
 *
 * <p>The model of a child is a number. A sequence's {@code next} returns the number and moves it
 * on by one; a counter's {@code incr} moves it on by one and returns the new number; {@code read}
 * returns it. Each acknowledged operation therefore gives a lower bound for the number afterwards
 * (a sequence's {@code next} of v: v + 1; anything else: its value). Real time orders two
 * operations only when one completed before the other was invoked; then the later one must see at
 * least the earlier one's bound (a counter's {@code incr}: strictly more). One sweep per child in
 * invocation order, over the acknowledged operations sorted by completion, checks it in
 * O(n log n). Unknown operations may or may not have happened: they widen what the end state may
 * be, never narrow it.
 *
 * <p>Two live instances: every acknowledged reply names its incarnation (member, epoch). An epoch
 * is handed out once, so one epoch on two members is two owners; and an operation answered by an
 * older epoch after an operation answered by a newer one had completed means the old incarnation
 * was still answering while the new one was live.
 */
public final class Checker {

  private Checker() {
  }

  /**
   * Checks a history.
   *
   * @param history the recorded history
   * @return the verdict
   */
  public static Verdict check(History history) {
    List<Op> ops = history.ops();
    List<Anomaly> anomalies = new ArrayList<>();
    Map<String, List<Op>> byChild = new LinkedHashMap<>();
    history.children().keySet().forEach(c -> byChild.put(c, new ArrayList<>()));
    for (Op op : ops) {
      byChild.computeIfAbsent(op.child(), c -> new ArrayList<>()).add(op);
    }
    Map<String, Long> unavailable = new LinkedHashMap<>();
    for (Map.Entry<String, List<Op>> e : byChild.entrySet()) {
      String child = e.getKey();
      History.ChildKind kind = history.children().get(child);
      List<Op> mine = e.getValue();
      if (kind == null) {
        anomalies.add(new Anomaly(Anomaly.Kind.CHILD_LOST, child, "operations on a child the run never started"));
        continue;
      }
      List<Op> ok = mine.stream().filter(o -> o.type() == Op.Type.OK).toList();
      if (kind == History.ChildKind.SEQUENCE) {
        duplicates(child, ok, anomalies);
      }
      monotonic(child, kind, ok, anomalies);
      instances(child, ok, anomalies);
      end(child, kind, mine, anomalies);
      unavailable.put(child, longestGapMillis(ok, history.workloadStart(), history.workloadEnd()));
    }
    Map<Op.Type, Long> counts = new EnumMap<>(Op.Type.class);
    for (Op op : ops) {
      counts.merge(op.type(), 1L, Long::sum);
    }
    Map<Fault.Kind, Long> faults = new EnumMap<>(Fault.Kind.class);
    history.faults().forEach(f -> faults.merge(f.kind(), 1L, Long::sum));
    long workload = ops.stream().filter(o -> !o.fin()).count();
    long workloadOk = ops.stream().filter(o -> !o.fin() && o.type() == Op.Type.OK).count();
    double availability = workload == 0 ? 0 : 100.0 * workloadOk / workload;
    return new Verdict(history.seed(), counts, faults, anomalies, availability, unavailable);
  }

  private static void duplicates(String child, List<Op> ok, List<Anomaly> anomalies) {
    Map<Long, Op> seen = new HashMap<>();
    for (Op op : ok) {
      if (!Op.NEXT.equals(op.f())) {
        continue;
      }
      Op earlier = seen.putIfAbsent(op.value(), op);
      if (earlier != null) {
        anomalies.add(new Anomaly(Anomaly.Kind.DUPLICATE_SEQUENCE, child,
            "number " + op.value() + " handed out twice: " + describe(earlier) + " and " + describe(op)));
      }
    }
  }

  /** The number a child holds at least, once {@code op} has been acknowledged. */
  private static long after(History.ChildKind kind, Op op) {
    return kind == History.ChildKind.SEQUENCE && Op.NEXT.equals(op.f()) ? op.value() + 1 : op.value();
  }

  /** The least value {@code op} may return when the child holds at least {@code bound} before it. */
  private static long least(History.ChildKind kind, Op op, long bound) {
    return kind == History.ChildKind.COUNTER && Op.INCR.equals(op.f()) ? bound + 1 : bound;
  }

  private static void monotonic(String child, History.ChildKind kind, List<Op> ok, List<Anomaly> anomalies) {
    List<Op> byInvoke = new ArrayList<>(ok);
    byInvoke.sort(Comparator.comparingLong(Op::invokeNanos));
    List<Op> byComplete = new ArrayList<>(ok);
    byComplete.sort(Comparator.comparingLong(Op::completeNanos));
    int next = 0;
    long bound = Long.MIN_VALUE;
    Op witness = null;
    for (Op op : byInvoke) {
      while (next < byComplete.size() && byComplete.get(next).completeNanos() < op.invokeNanos()) {
        Op done = byComplete.get(next++);
        if (after(kind, done) > bound) {
          bound = after(kind, done);
          witness = done;
        }
      }
      if (witness != null && op.value() < least(kind, op, bound)) {
        anomalies.add(new Anomaly(Anomaly.Kind.NONMONOTONIC, child,
            describe(op) + " returned less than " + least(kind, op, bound) + ", after " + describe(witness) + " had completed"));
      }
    }
  }

  private static void instances(String child, List<Op> ok, List<Anomaly> anomalies) {
    Map<Long, Set<String>> membersByEpoch = new HashMap<>();
    for (Op op : ok) {
      if (op.epoch() != null && op.member() != null) {
        membersByEpoch.computeIfAbsent(op.epoch(), k -> new TreeSet<>()).add(op.member());
      }
    }
    membersByEpoch.forEach((epoch, members) -> {
      if (members.size() > 1) {
        anomalies.add(new Anomaly(Anomaly.Kind.TWO_LIVE_INSTANCES, child, "epoch " + epoch + " answered from members " + members));
      }
    });
    List<Op> attributed = ok.stream().filter(o -> o.epoch() != null).toList();
    List<Op> byInvoke = new ArrayList<>(attributed);
    byInvoke.sort(Comparator.comparingLong(Op::invokeNanos));
    List<Op> byComplete = new ArrayList<>(attributed);
    byComplete.sort(Comparator.comparingLong(Op::completeNanos));
    int next = 0;
    Op newest = null;
    for (Op op : byInvoke) {
      while (next < byComplete.size() && byComplete.get(next).completeNanos() < op.invokeNanos()) {
        Op done = byComplete.get(next++);
        if (newest == null || done.epoch() > newest.epoch()) {
          newest = done;
        }
      }
      if (newest != null && op.epoch() < newest.epoch()) {
        anomalies.add(new Anomaly(Anomaly.Kind.TWO_LIVE_INSTANCES, child,
            describe(op) + " was answered by epoch " + op.epoch() + " after " + describe(newest) + " had been answered by epoch " + newest.epoch()));
      }
    }
  }

  private static void end(String child, History.ChildKind kind, List<Op> mine, List<Anomaly> anomalies) {
    Op last = null;
    for (Op op : mine) {
      if (op.fin() && op.type() == Op.Type.OK && Op.READ.equals(op.f()) && (last == null || op.completeNanos() > last.completeNanos())) {
        last = op;
      }
    }
    if (last == null) {
      anomalies.add(new Anomaly(Anomaly.Kind.CHILD_LOST, child, "no acknowledged read in the final phase: the child is not running"));
      return;
    }
    long held = last.value();
    if (kind == History.ChildKind.COUNTER) {
      long acked = mine.stream().filter(o -> o.type() == Op.Type.OK && Op.INCR.equals(o.f())).count();
      long maybe = mine.stream().filter(o -> o.type() == Op.Type.INFO && Op.INCR.equals(o.f())).count();
      long highest = mine.stream().filter(o -> o.type() == Op.Type.OK && Op.INCR.equals(o.f())).mapToLong(Op::value).max().orElse(0);
      if (held < acked || held < highest) {
        anomalies.add(new Anomaly(Anomaly.Kind.LOST_UPDATE, child, "final count " + held + " but " + acked
            + " increments were acknowledged (the highest returned " + highest + ")"));
      }
      if (held > acked + maybe) {
        anomalies.add(new Anomaly(Anomaly.Kind.PHANTOM_UPDATE, child, "final count " + held + " but at most " + (acked + maybe)
            + " increments may have happened (" + acked + " acknowledged, " + maybe + " unknown)"));
      }
    } else {
      long highest = mine.stream().filter(o -> o.type() == Op.Type.OK && Op.NEXT.equals(o.f())).mapToLong(Op::value).max().orElse(-1);
      if (held <= highest) {
        anomalies.add(new Anomaly(Anomaly.Kind.LOST_UPDATE, child, "final next number " + held + " but " + highest
            + " was already handed out: it would be handed out again"));
      }
    }
  }

  private static long longestGapMillis(List<Op> ok, long start, long end) {
    List<Long> times = new ArrayList<>();
    for (Op op : ok) {
      if (!op.fin() && op.completeNanos() >= start && op.completeNanos() <= end) {
        times.add(op.completeNanos());
      }
    }
    times.sort(null);
    long previous = start;
    long longest = 0;
    for (long t : times) {
      longest = Math.max(longest, t - previous);
      previous = t;
    }
    longest = Math.max(longest, end - previous);
    return longest / 1_000_000;
  }

  private static String describe(Op op) {
    return op.process() + " " + op.f() + "=" + op.value() + " [" + op.invokeNanos() / 1_000_000 + "ms.."
        + op.completeNanos() / 1_000_000 + "ms] by " + op.member() + "/" + op.epoch();
  }
}
