package dev.overseer.console.impl;

import dev.overseer.ChildInfo;
import dev.overseer.DynamicSupervisor;
import dev.overseer.NameRecord;
import dev.overseer.Overseer;
import dev.overseer.SupervisorBase;
import dev.overseer.SupervisorDescription;
import dev.overseer.SupervisorRef;
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

  /** Reads one supervisor, local or remote, through its {@link SupervisorRef}; fails if it stopped meanwhile. */
  public static Future<SupervisorView> read(SupervisorRef supervisor) {
    return supervisor.describe().compose(d -> supervisor.whichChildren().map(children -> new SupervisorView(d.name(),
        d.kind() == SupervisorDescription.Kind.DYNAMIC, d.options().toJson(false), d.intensityUsed(), List.copyOf(children))));
  }

  /**
   * Reads every supervisor the name registry knows ({@link Overseer#nameRegistry}: this Vert.x
   * instance's, or the cluster's once the cluster module set its registry); those that stop
   * while being read are left out rather than failing the whole read.
   */
  public static Future<List<SupervisorView>> readAll(Vertx vertx) {
    return Overseer.nameRegistry(vertx).registered().compose(records -> {
      List<Future<SupervisorView>> reads = new ArrayList<>();
      for (NameRecord record : records) {
        if (SupervisorBase.KIND.equals(record.kind())) {
          reads.add(SupervisorRef.lookup(vertx, record.name()).compose(SupervisorView::read).otherwise((SupervisorView) null));
        }
      }
      return collect(reads);
    });
  }

  private static Future<List<SupervisorView>> collect(List<Future<SupervisorView>> reads) {
    return Future.join(reads).transform(ar -> {
      List<SupervisorView> views = new ArrayList<>();
      for (int i = 0; i < reads.size(); i++) {
        Future<SupervisorView> read = reads.get(i);
        if (read.result() != null) {  // a stopped supervisor's reads fail: left out
          views.add(read.result());
        }
      }
      return Future.succeededFuture(views);
    });
  }
}
