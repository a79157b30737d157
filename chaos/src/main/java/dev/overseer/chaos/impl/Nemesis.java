package dev.overseer.chaos.impl;

import dev.overseer.chaos.Fault;
import dev.overseer.chaos.History;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Injects faults one at a time, at seeded random, until a deadline: first every allowed kind once
 * (in the order of {@link Fault.Kind}, shortest first), then kinds drawn by weight; targets, pauses
 * between faults and children to poison are drawn from the seed. A fault is over when the cluster has healed
 * (every member back, partitions safe), so at most one member is ever missing: the guarantee under
 * test is "survives the loss of any one member", with backup count 1.
 */
public final class Nemesis {

  private static final Duration HEAL = Duration.ofSeconds(90);
  private static final Duration START = Duration.ofSeconds(120);

  private final History history;
  private final Members members;
  private final Gateway gateway = new Gateway();
  private final Random random;
  private final List<Fault.Kind> kinds;
  private final long t0;
  private final Consumer<String> log;

  /**
   * @param history where faults are recorded
   * @param members the member processes
   * @param seed the seed of its choices
   * @param kinds the kinds allowed
   * @param t0 the run's time origin
   * @param log where progress lines go
   */
  public Nemesis(History history, Members members, long seed, Set<Fault.Kind> kinds, long t0, Consumer<String> log) {
    this.history = history;
    this.members = members;
    this.random = new Random(seed);
    this.kinds = new ArrayList<>(kinds);
    this.t0 = t0;
    this.log = log;
  }

  /**
   * Runs until the deadline passes (the fault under way is finished and healed first).
   *
   * @param deadlineNanos {@link System#nanoTime()} at which no new fault starts
   */
  public void run(long deadlineNanos) {
    if (kinds.isEmpty()) {
      return;
    }
    // First round: every allowed kind once, shortest first, so a short run covers as many as fit.
    List<Fault.Kind> plan = new ArrayList<>(kinds);
    plan.sort(null);
    int n = 0;
    while (true) {
      // Pacing between faults: the workload runs undisturbed for 1-3 s.
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1000 + random.nextInt(2000)));
      if (System.nanoTime() >= deadlineNanos) {
        return;
      }
      Fault.Kind kind = n < plan.size() ? plan.get(n) : draw();
      n++;
      long start = System.nanoTime() - t0;
      String[] target = new String[1];
      String detail;
      try {
        detail = inject(kind, target);
      } catch (Exception e) {
        detail = "failed: " + e;
      }
      Fault fault = new Fault(kind, target[0], start, System.nanoTime() - t0, detail);
      history.add(fault);
      log.accept("fault " + fault.toJson().encode());
    }
  }

  private Fault.Kind draw() {
    // Poison is cheap and frequent in real systems; a rolling restart is long and rare.
    int total = 0;
    int[] weights = new int[kinds.size()];
    for (int i = 0; i < kinds.size(); i++) {
      weights[i] = switch (kinds.get(i)) {
        case POISON -> 4;
        case KILL, PAUSE -> 3;
        case STOP -> 2;
        case ROLLING_RESTART -> 1;
      };
      total += weights[i];
    }
    int r = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return kinds.get(i);
      }
    }
    return kinds.get(0);
  }

  private String inject(Fault.Kind kind, String[] target) throws Exception {
    int slot = random.nextInt(members.size());
    switch (kind) {
      case POISON: {
        List<String> children = new ArrayList<>(history.children().keySet());
        String child = children.get(random.nextInt(children.size()));
        target[0] = child;
        List<Members.Proc> now = members.current();
        Members.Proc via = now.get(random.nextInt(now.size()));
        JsonObject r = gateway.op(via.http(), child, "poison");
        return "via " + via.name() + ": " + r.getString("type") + " " + r.getString("error", "");
      }
      case KILL:
        target[0] = "slot " + slot;
        return replace(slot, false);
      case STOP:
        target[0] = "slot " + slot;
        return replace(slot, true);
      case PAUSE: {
        Members.Proc p = members.in(slot);
        target[0] = p.name();
        List<Members.Proc> others = new ArrayList<>(members.current());
        others.remove(p);
        long t = System.nanoTime();
        members.signal(p, "STOP");
        boolean removed = members.await(others, members.size() - 1, false, Duration.ofSeconds(30));
        long pausedFor = (System.nanoTime() - t) / 1_000_000;
        members.signal(p, "CONT");
        boolean healed = members.await(members.current(), members.size(), true, HEAL);
        return "paused " + p.name() + " for " + pausedFor + " ms (" + (removed ? "removed by the others" : "NOT removed in 30 s")
            + "); " + (healed ? "merged back" : "did not heal in " + HEAL.toSeconds() + " s");
      }
      case ROLLING_RESTART: {
        target[0] = "all";
        StringBuilder notes = new StringBuilder();
        for (int s = 0; s < members.size(); s++) {
          notes.append(s == 0 ? "" : "; ").append(replace(s, true));
        }
        return notes.toString();
      }
      default:
        throw new IllegalArgumentException(String.valueOf(kind));
    }
  }

  private String replace(int slot, boolean graceful) throws Exception {
    String gone = members.remove(slot, graceful);
    Members.Proc fresh = members.start(slot, START);
    boolean healed = members.await(members.current(), members.size(), true, HEAL);
    return gone + "; " + fresh.name() + " joined" + (healed ? "" : "; did not heal in " + HEAL.toSeconds() + " s");
  }
}
