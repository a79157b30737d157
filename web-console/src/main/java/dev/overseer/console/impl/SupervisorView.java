package dev.overseer.console.impl;

import dev.overseer.ChildInfo;
import dev.overseer.DynamicSupervisor;
import dev.overseer.SupervisorBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What the console reads of one running supervisor at one moment: its name, kind, flags, restart
 * intensity used and children. Immutable.
 *
 * @param name the supervisor's name
 * @param dynamic whether it is a {@link DynamicSupervisor}
 * @param options its options as JSON
 * @param intensityUsed restarts that count against its intensity now
 * @param children its children in start order
 */
public record SupervisorView(String name, boolean dynamic, JsonObject options, int intensityUsed, List<ChildInfo> children) {

  /** Reads one supervisor; fails if it stopped meanwhile. */
  public static Future<SupervisorView> read(SupervisorBase supervisor) {
    return supervisor.whichChildren().map(children -> new SupervisorView(supervisor.name(),
        supervisor instanceof DynamicSupervisor, supervisor.options().toJson(), supervisor.intensityUsed(),
        List.copyOf(children)));
  }

  /**
   * Reads every supervisor running in {@code vertx}; those that stop while being read are left
   * out rather than failing the whole read, and so are those that already terminated but are
   * still undeploying (the console may have recorded their SUPERVISOR_STOPPED already).
   */
  public static Future<List<SupervisorView>> readAll(Vertx vertx) {
    List<SupervisorBase> supervisors = SupervisorBase.all(vertx);
    List<Future<SupervisorView>> reads = new ArrayList<>();
    for (SupervisorBase supervisor : supervisors) {
      reads.add(read(supervisor).otherwise((SupervisorView) null));
    }
    return Future.join(reads).transform(ar -> {
      List<SupervisorView> views = new ArrayList<>();
      for (int i = 0; i < reads.size(); i++) {
        Future<SupervisorView> read = reads.get(i);
        if (read.result() != null && !supervisors.get(i).terminationFuture().isComplete()) {
          views.add(read.result());
        }
      }
      return Future.succeededFuture(views);
    });
  }
}
