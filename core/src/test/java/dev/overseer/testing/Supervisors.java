package dev.overseer.testing;

import dev.overseer.ChildInfo;
import dev.overseer.ChildSpec;
import dev.overseer.ChildStatus;
import dev.overseer.SupervisorBase;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Small helpers shared by the supervisor tests. */
public final class Supervisors {

  private Supervisors() {
  }

  /** @return a probe worker spec named {@code id} reporting to {@code probe} */
  public static ChildSpec probe(String id, Probe probe) {
    return ChildSpec.worker(id, () -> new ProbeChild(id, probe));
  }

  /** @return a probe worker spec named {@code id} whose starts and stops follow {@code behaviour} */
  public static ChildSpec probe(String id, Probe probe, ProbeChild.Behaviour behaviour) {
    return ChildSpec.worker(id, () -> new ProbeChild(id, probe, behaviour));
  }

  /**
   * Waits until every exit report and operation already queued in the supervisor's mailbox has
   * been handled. Operations run one at a time in arrival order, so a no-op operation queued now
   * (terminating a child that does not exist) completes after them.
   */
  public static void settle(SupervisorBase supervisor) {
    Await.failure(supervisor.terminateChild("settle: no such child"));
  }

  /** @return the children's statuses by id, in start order, once the mailbox has settled */
  public static Map<String, ChildStatus> statuses(SupervisorBase supervisor) {
    settle(supervisor);
    return Await.result(supervisor.whichChildren()).stream()
        .collect(Collectors.toMap(ChildInfo::id, ChildInfo::status, (a, b) -> a, java.util.LinkedHashMap::new));
  }

  /** @return the children's rows by id, once the mailbox has settled */
  public static Map<String, ChildInfo> children(SupervisorBase supervisor) {
    settle(supervisor);
    List<ChildInfo> rows = Await.result(supervisor.whichChildren());
    return rows.stream().collect(Collectors.toMap(ChildInfo::id, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
  }
}
