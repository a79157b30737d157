package dev.overseer.cluster;

import dev.overseer.cluster.testing.DsMemberMain;
import dev.overseer.cluster.testing.MemberProcess;
import dev.overseer.cluster.testing.Poll;
import dev.overseer.cluster.testing.TestClusters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static dev.overseer.cluster.testing.Poll.until;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distributed supervisor across three member JVMs that die for real: SIGKILL, SIGTERM-like
 * graceful exit, SIGSTOP/SIGCONT. Each test forms its own cluster (expected size 3, quorum 2,
 * merge delays 5 s) and kills its processes by PID at the end.
 */
class DistributedSupervisorProcessTest {

  private static final Duration CALL = Duration.ofSeconds(10);
  private static final int CHILDREN = 12;

  private final List<MemberProcess> procs = new ArrayList<>();
  private List<Integer> ports;

  @AfterEach
  void killAll() {
    procs.forEach(MemberProcess::close);
  }

  private void startCluster() throws Exception {
    String name = TestClusters.randomName();
    ports = TestClusters.freePorts(3);
    // Concurrently: with quorum 2 a lone first member cannot read the table, so none is ready alone.
    List<CompletableFuture<MemberProcess>> starting = new ArrayList<>();
    for (int p : ports) {
      starting.add(CompletableFuture.supplyAsync(() -> {
        try {
          return MemberProcess.start(DsMemberMain.class, name, p, ports, true);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<MemberProcess> f : starting) {
      try {
        procs.add(f.join());
      } catch (RuntimeException e) {
        starting.forEach(g -> g.thenAccept(MemberProcess::close));
        throw e;
      }
    }
    until(Duration.ofSeconds(30), () -> procs.stream().allMatch(p -> "3".equals(quietly(p, "members"))));
  }

  private static String quietly(MemberProcess p, String verb, String... args) {
    try {
      return p.call(CALL, verb, args);
    } catch (Exception e) {
      return null;
    }
  }


  /**
   * Waits until counter {@code id} answers a request {@code from} makes after a merge (its event bus
   * may take about a second to learn the others' subscriptions again: CLUSTER-FACTS). If it does not
   * within 30 s, fails with what tells the causes apart: the last error {@code from} got, and for
   * each member how many members it sees, where the counter runs, the subscriptions to its address
   * as that member reads them and whether that member reaches it; whether the asking member's
   * worker pool is free and whether it reaches the others' control addresses. The members' thread
   * dumps go to target/member-logs/*.out.
   */
  private void answersAfterTheMerge(MemberProcess from, String id) {
    String[] lastError = {"none"};
    boolean answered = Poll.holdsWithin(Duration.ofSeconds(30), () -> {
      try {
        from.call(CALL, "get", id);
        return true;
      } catch (Exception e) {
        lastError[0] = String.valueOf(e.getMessage());
        return false;
      }
    });
    if (!answered) {
      StringBuilder seen = new StringBuilder();
      for (MemberProcess p : procs) {
        seen.append(p == from ? "[asking] " : "").append(p.nodeId()).append(": sees ").append(quietly(p, "hzsize"))
            .append(" members, runs [").append(quietly(p, "local"))
            .append("], reads subscriptions [").append(quietly(p, "subs", "counter." + id)).append("], get ")
            .append(quietly(p, "get", id)).append("; ");
      }
      seen.append("the asking member's worker pool: ").append(quietly(from, "worker"));
      for (MemberProcess p : procs) {
        if (p != from) {
          seen.append(", it reaches ").append(p.nodeId()).append("'s control address: ").append(quietly(from, "reach", p.nodeId()));
        }
      }
      seen.append("; ");
      procs.forEach(MemberProcess::dumpThreads);
      throw new AssertionError("counter " + id + " does not answer " + from.nodeId() + " within 30 s after the merge"
          + " (last error: " + lastError[0] + "); " + seen + "thread dumps in target/member-logs/*.out");
    }
  }

  /** Starts the counters and increments each a few times; @return the acknowledged value of each. */
  private Map<String, Long> startCounters() throws Exception {
    Map<String, Long> acked = new HashMap<>();
    MemberProcess a = procs.get(0);
    List<String> ids = DistributedSupervisorTest.spreadIds("c", CHILDREN, procs.stream().map(MemberProcess::nodeId).toList());
    for (String id : ids) {
      assertThat(a.call(CALL, "start", id)).isEqualTo(id);
    }
    for (int i = 0; i < CHILDREN; i++) {
      for (int k = 0; k <= i % 3; k++) {
        acked.put(ids.get(i), Long.parseLong(a.call(CALL, "inc", ids.get(i)).split(" ")[0]));
      }
    }
    return acked;
  }

  private Map<String, String> owners() throws Exception {
    Map<String, String> owners = new HashMap<>();
    for (Object o : new JsonArray(procs.get(0).call(CALL, "placements"))) {
      JsonObject c = (JsonObject) o;
      owners.put(c.getString("id"), c.getString("owner"));
    }
    return owners;
  }

  private static List<String> childrenOf(Map<String, String> owners, String node) {
    return owners.entrySet().stream().filter(e -> e.getValue().equals(node)).map(Map.Entry::getKey).sorted().toList();
  }

  /** @return the children each process runs, checking that none runs on two */
  private Map<String, String> runningOnce(List<MemberProcess> alive) throws Exception {
    Map<String, String> where = new HashMap<>();
    for (MemberProcess p : alive) {
      String local = p.call(CALL, "local");
      for (String id : local.isEmpty() ? new String[0] : local.split(",")) {
        String before = where.put(id, p.nodeId());
        assertThat(before).as("child %s runs on two members", id).isNull();
      }
    }
    return where;
  }

  private static long starts(MemberProcess p, String id, int from) {
    List<String> ev = p.events();
    return ev.subList(Math.min(from, ev.size()), ev.size()).stream().filter(l -> l.startsWith("started " + id + " ")).count();
  }

  @Test
  void aKilledMembersChildrenRunAgainExactlyOnceOnSurvivorsWithEveryAcknowledgedUpdate() throws Exception {
    startCluster();
    Map<String, Long> acked = startCounters();
    MemberProcess victim = procs.get(2);
    List<String> theirs = childrenOf(owners(), victim.nodeId());
    assertThat(theirs).as("the victim runs some children").isNotEmpty();
    List<MemberProcess> survivors = procs.subList(0, 2);
    int[] mark = survivors.stream().mapToInt(p -> p.events().size()).toArray();

    victim.kill();

    for (String id : theirs) {
      until(Duration.ofSeconds(30), () -> {
        String reply = quietly(survivors.get(0), "get", id);
        return reply != null && !reply.split(" ")[1].equals(victim.nodeId());
      });
      String[] reply = survivors.get(0).call(CALL, "get", id).split(" ");
      assertThat(Long.parseLong(reply[0])).as("acknowledged state of %s", id).isEqualTo(acked.get(id));
    }
    for (String id : theirs) {
      long total = starts(survivors.get(0), id, mark[0]) + starts(survivors.get(1), id, mark[1]);
      assertThat(total).as("%s started again exactly once", id).isEqualTo(1);
    }
    Map<String, String> where = runningOnce(survivors);
    assertThat(where.keySet()).hasSize(CHILDREN);
    long failovers = survivors.stream().flatMap(p -> p.events().stream()).filter(l -> l.startsWith("CHILD_FAILED_OVER ")).count();
    assertThat(failovers).isEqualTo(theirs.size());
  }

  @Test
  void aGracefulLeaveHandsItsChildrenOverWithoutFailureDetection() throws Exception {
    startCluster();
    Map<String, Long> acked = startCounters();
    MemberProcess leaving = procs.get(1);
    List<String> theirs = childrenOf(owners(), leaving.nodeId());
    assertThat(theirs).isNotEmpty();
    List<MemberProcess> staying = List.of(procs.get(0), procs.get(2));

    // SIGTERM: the cluster's shutdown hook closes the member
    leaving.terminate(Duration.ofSeconds(60));

    until(Duration.ofSeconds(30), () -> staying.stream().flatMap(p -> p.events().stream())
        .filter(l -> l.startsWith("CHILD_HANDED_OFF ")).count() == theirs.size());
    // Every move was made by the leaving member itself (cause HANDOFF), none by a survivor's failure detection.
    assertThat(staying.stream().flatMap(p -> p.events().stream()).filter(l -> l.startsWith("CHILD_FAILED_OVER "))).isEmpty();
    for (String id : acked.keySet()) {
      String[] reply = staying.get(0).call(CALL, "get", id).split(" ");
      assertThat(Long.parseLong(reply[0])).as("state of %s", id).isEqualTo(acked.get(id));
    }
    assertThat(runningOnce(staying)).hasSize(CHILDREN);
  }

  @Test
  void aPausedMinorityStopsItsChildrenAndAfterHealingNoChildRunsTwiceAndNoStaleWriteLands() throws Exception {
    startCluster();
    Map<String, Long> acked = startCounters();
    MemberProcess paused = procs.get(2);
    List<String> theirs = childrenOf(owners(), paused.nodeId());
    assertThat(theirs).isNotEmpty();
    List<MemberProcess> majority = procs.subList(0, 2);
    int pausedMark = paused.events().size();

    paused.pause();
    // A write sent to the hung owner: it waits in its socket, to be handled (if ever) by a stale incarnation.
    assertThat(quietly(majority.get(0), "inc", theirs.get(0))).isNull();

    failOverTogether(majority, theirs);
    // Until Vert.x drops the hung member's subscriptions, a request may still be routed to its
    // stale consumer and wait its whole timeout (CLUSTER-FACTS): call once they are gone.
    until(Duration.ofSeconds(20), () -> "no".equals(quietly(majority.get(1), "routes", paused.nodeId())));
    for (String id : theirs) {
      acked.put(id, incAcknowledged(majority.get(1), id));
    }

    paused.resume();
    // The minority stops every child it ran, on losing quorum or on merging.
    until(Duration.ofSeconds(40), () -> {
      List<String> ev = paused.events();
      return theirs.stream().allMatch(id -> ev.subList(pausedMark, ev.size()).stream().anyMatch(l -> l.startsWith("stopped " + id + " ")));
    });
    // Healed: the returning member sees the supervisor again.
    until(Duration.ofSeconds(60), () -> "3".equals(quietly(paused, "members")) && quietly(paused, "placements") != null);

    Map<String, String> where = runningOnce(procs);
    assertThat(where).hasSize(CHILDREN);
    for (String id : acked.keySet()) {
      answersAfterTheMerge(paused, id);
      String[] reply = paused.call(CALL, "get", id).split(" ");
      assertThat(Long.parseLong(reply[0])).as("state of %s: no stale write landed, none was lost", id).isEqualTo(acked.get(id));
      assertThat(reply[1]).isEqualTo(where.get(id));
    }
  }

  /**
   * The double fault (issue #10): after one member's pause and failover, a second member is paused
   * too, so the last one is alone and without quorum; the first wakes alone, then the second: three
   * single members that merge back, one of them holding the oldest copy of everything. Whoever
   * merges into whom, afterwards every child runs exactly once with every acknowledged increment.
   */
  @Test
  void afterADoubleFaultSplitsTheClusterIntoSingleMembersTheMergeKeepsEveryAcknowledgedUpdateAndNoChildRunsTwice()
      throws Exception {
    startCluster();
    Map<String, Long> acked = startCounters();
    // Of single members, Hazelcast merges the one with the higher address into the lower: the
    // first paused member gets the lowest port, so the others merge into its stale copy (the worst case).
    List<MemberProcess> byPort = new ArrayList<>(procs);
    byPort.sort(java.util.Comparator.comparing(p -> ports.get(procs.indexOf(p))));
    MemberProcess first = byPort.get(0);
    MemberProcess second = byPort.get(1);
    MemberProcess last = byPort.get(2);
    List<String> firstOnes = childrenOf(owners(), first.nodeId());
    assertThat(firstOnes).isNotEmpty();

    first.pause();
    // Until the second pause, the other two must stay together. If Hazelcast drops one of them
    // (a fault this test does not make), the run becomes a triple fault: it skips to the healing,
    // and every check after the merge still applies (see whileTogether).
    List<MemberProcess> healthy = List.of(second, last);
    boolean together = whileTogether(healthy, Duration.ofSeconds(60), "the paused member's children failed over",
        () -> firstOnes.stream().allMatch(id -> healthy.stream()
            .flatMap(p -> p.events().stream()).anyMatch(l -> l.startsWith("CHILD_FAILED_OVER " + id + " "))))
        && whileTogether(healthy, Duration.ofSeconds(20), "the paused member's routes are gone",
            () -> "no".equals(quietly(last, "routes", first.nodeId())));
    // Every counter, wherever it runs now, gets one more acknowledged increment.
    for (String id : new ArrayList<>(acked.keySet())) {
      String[] reply = new String[1];
      together = together && whileTogether(healthy, Duration.ofSeconds(30), "an acknowledged increment of " + id,
          () -> (reply[0] = quietly(last, "inc", id)) != null);
      if (together) {
        acked.put(id, Long.parseLong(reply[0].split(" ")[0]));
      }
    }

    if (together) {
      second.pause();
      // Alone, the last member has no quorum: it stops every child it ran.
      until(Duration.ofSeconds(40), () -> "1".equals(quietly(last, "hzsize")) && "".equals(quietly(last, "local")));
      first.resume();
      // The first wakes into a cluster that removed it: it ends up alone or merged with the last.
      until(Duration.ofSeconds(60), () -> {
        String size = quietly(first, "hzsize");
        return size != null && !size.equals("3");
      });
      second.resume();
    } else {
      first.resume();
    }
    // 180 s: the single members Hazelcast's own drop leaves were seen not to merge for over 90 s
    // while a member was paused.
    until(Duration.ofSeconds(180), () -> procs.stream().allMatch(p -> "3".equals(quietly(p, "members"))
        && quietly(p, "placements") != null));
    if (!together) {
      // An increment given up on when the pair split may have been applied: one more acknowledged
      // increment of each counter makes its acknowledged value the truth again (increments apply in order).
      for (String id : new ArrayList<>(acked.keySet())) {
        acked.put(id, incAcknowledged(last, id));
      }
    }

    for (String id : acked.keySet()) {
      answersAfterTheMerge(last, id);
    }
    Map<String, String> where = runningOnce(procs);
    assertThat(where).hasSize(CHILDREN);
    for (String id : acked.keySet()) {
      String[] reply = last.call(CALL, "get", id).split(" ");
      assertThat(Long.parseLong(reply[0])).as("state of %s after the double fault", id).isEqualTo(acked.get(id));
      assertThat(reply[1]).isEqualTo(where.get(id));
    }
  }

  /**
   * Waits up to 40 s until every one of {@code theirs} failed over to one of the {@code majority},
   * failing with what happened if Hazelcast dropped one of them meanwhile: with Overseer's
   * networking it must not (docs/cluster.md, "A healthy member dropped after a peer's pause").
   */
  private static void failOverTogether(List<MemberProcess> majority, List<String> theirs) {
    Set<String> moved = new HashSet<>();
    boolean together = whileTogether(majority, Duration.ofSeconds(40), "the paused member's children " + theirs + " failed over",
        () -> {
          majority.forEach(p -> p.events().stream().filter(l -> l.startsWith("CHILD_FAILED_OVER "))
              .forEach(l -> moved.add(l.split(" ")[1])));
          return moved.containsAll(theirs);
        });
    assertThat(together).as("the two members not paused stayed together (failed over: %s of %s)", moved, theirs).isTrue();
  }

  /**
   * Waits for a step after a pause, as {@link Poll#until}, while watching that the
   * {@code healthy} members stay together.
   *
   * @return {@code true} once the step is done; {@code false} if it timed out after Hazelcast
   *     dropped one of them (a fault the tests do not make, seen with Hazelcast's default
   *     networking: docs/cluster.md, "A healthy member dropped after a peer's pause"; its merge
   *     back can take minutes while a member is paused), so the caller heals the cluster and
   *     checks the merge of this triple fault instead, or fails
   * @throws AssertionError if it timed out while they stayed together
   */
  private static boolean whileTogether(List<MemberProcess> healthy, Duration deadline, String what, BooleanSupplier step) {
    boolean[] dropped = {false};
    boolean done = Poll.holdsWithin(deadline, () -> {
      if (healthy.stream().anyMatch(p -> "1".equals(quietly(p, "hzsize")))) {
        dropped[0] = true;
      }
      return step.getAsBoolean();
    });
    if (!done && !dropped[0]) {
      throw new AssertionError(what + ": not met within " + deadline);
    }
    return done;
  }

  /**
   * An acknowledged increment through {@code p}. Right after a failover a counter's write-through
   * save can wait on Hazelcast's partition promotion longer than the call's timeout; such an
   * increment's outcome is unknown, so it is sent again until one is acknowledged. A counter takes
   * its increments one at a time, in order, so the acknowledged value includes every earlier one
   * that was applied: it is the state every later read must see.
   */
  private static long incAcknowledged(MemberProcess p, String id) {
    String[] reply = new String[1];
    until("an acknowledged increment of " + id, Duration.ofSeconds(30), () -> (reply[0] = quietly(p, "inc", id)) != null);
    return Long.parseLong(reply[0].split(" ")[0]);
  }

  /**
   * The chaos run's bug: a member woken from a pause longer than failure detection kept
   * acknowledging increments of its old incarnations for a fraction of a second (its stale
   * partition copy accepted the writes), and the merge then dropped them: the same value was
   * acknowledged twice. With the member lease the woken member acknowledges nothing until a
   * quorum confirms it again, so every acknowledged value is distinct.
   */
  @Test
  void aMemberWokenFromAPauseAcknowledgesNothingForChildrenThatMovedOn() throws Exception {
    startCluster();
    startCounters();
    MemberProcess paused = procs.get(2);
    // The window needs a child of the paused member whose stash entry's partition the paused member
    // owns too: its stale copy is what acknowledged the lost writes. Start children until one is.
    String id = null;
    for (int extra = 0; id == null && extra < 40; extra++) {
      for (String c : childrenOf(owners(), paused.nodeId())) {
        if (paused.nodeId().equals(paused.call(CALL, "keyowner", "counter." + c))) {
          id = c;
          break;
        }
      }
      if (id == null) {
        assertThat(procs.get(0).call(CALL, "start", "x" + extra)).isEqualTo("x" + extra);
      }
    }
    assertThat(id).as("a child of the paused member with its stash entry there").isNotNull();
    final String child = id;
    List<String> theirs = childrenOf(owners(), paused.nodeId());
    List<MemberProcess> majority = procs.subList(0, 2);
    List<Long> acked = new ArrayList<>();
    assertThat(paused.call(CALL, "hammer", child)).isEqualTo("hammering");
    until(Duration.ofSeconds(10), () -> paused.events().stream().anyMatch(l -> l.startsWith("acked " + child + " ")));

    paused.pause();
    failOverTogether(majority, theirs);
    assertThat(majority.stream().flatMap(p -> p.events().stream()).filter(l -> l.startsWith("CHILD_FAILED_OVER ")))
        .as("one failover each").hasSize(theirs.size());
    // Right after the failover a request may still be routed to the paused member's subscription: retried.
    until(Duration.ofSeconds(30), () -> {
      String r = quietly(majority.get(0), "inc", child);
      if (r != null) {
        acked.add(Long.parseLong(r.split(" ")[0]));
      }
      return acked.size() >= 5;
    });
    int wokeAt = paused.events().size();
    paused.resume();
    // Keep the new incarnation busy through the wake window, as the chaos run's clients did.
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < end) {
      String r = quietly(majority.get(1), "inc", child);
      if (r != null) {
        acked.add(Long.parseLong(r.split(" ")[0]));
      }
    }
    until(Duration.ofSeconds(60), () -> "3".equals(quietly(paused, "members")) && quietly(paused, "placements") != null);
    // The woken member's hammer ran after the wake (acknowledged or refused).
    until(Duration.ofSeconds(30), () -> {
      List<String> ev = paused.events();
      return ev.subList(wokeAt, ev.size()).stream().filter(l -> l.startsWith("acked " + child + " ") || l.startsWith("refused " + child + " "))
          .count() >= 3;
    });

    List<String> events = new ArrayList<>(paused.events());
    for (String l : events) {
      if (l.startsWith("acked " + child + " ")) {
        acked.add(Long.parseLong(l.split(" ")[2]));
      }
    }
    System.out.println("woken member's hammer after the wake: " + events.subList(wokeAt, events.size()).stream()
        .filter(l -> l.startsWith("acked " + child + " ") || l.startsWith("refused " + child + " ")).limit(40).toList());
    assertThat(acked).as("every acknowledged increment of %s got its own value", child).doesNotHaveDuplicates();
    long last = Long.parseLong(majority.get(0).call(CALL, "get", child).split(" ")[0]);
    assertThat(last).as("no acknowledged increment lost").isGreaterThanOrEqualTo(acked.stream().mapToLong(Long::longValue).max().orElse(0));
  }
}
