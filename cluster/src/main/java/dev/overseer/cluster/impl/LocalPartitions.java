package dev.overseer.cluster.impl;

import dev.overseer.ChildInfo;
import dev.overseer.DynamicSupervisor;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.SupervisorEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * The local part of a distributed supervisor on one member: the children it owns here, spread
 * over a few core {@link DynamicSupervisor}s by child id, as Elixir's {@code PartitionSupervisor}
 * spreads children over {@code DynamicSupervisor}s. A dynamic supervisor's {@code terminateChild}
 * holds it for the child's whole shutdown (as OTP's does); children of different partitions stop
 * concurrently.
 */
public final class LocalPartitions {

  private final List<DynamicSupervisor> parts = new ArrayList<>();

  /**
   * @param template the options of every partition; each gets the template's name and control
   *     address with its index appended (none with a single partition)
   * @param count how many, at least 1
   */
  public LocalPartitions(DynamicSupervisorOptions template, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one partition, got " + count);
    }
    for (int k = 0; k < count; k++) {
      DynamicSupervisorOptions options = new DynamicSupervisorOptions(template);
      if (count > 1) {
        options.setName(template.getName() + "/" + k);
        if (template.getControlAddress() != null) {
          options.setControlAddress(template.getControlAddress() + "." + k);
        }
      }
      parts.add(new DynamicSupervisor(options));
    }
  }

  /**
   * @param id a child id
   * @return the partition that runs it
   */
  public DynamicSupervisor of(String id) {
    return parts.get(Math.floorMod(id.hashCode(), parts.size()));
  }

  /**
   * @param id a child id
   * @return the name of the supervisor that runs it
   */
  public String supervisorNameOf(String id) {
    return of(id).name();
  }

  /** @param listener told every partition's events, on the partition's context */
  public void addListener(Handler<SupervisorEvent> listener) {
    parts.forEach(p -> p.addListener(listener));
  }

  /**
   * Deploys every partition from the calling context.
   *
   * @param vertx the member's Vert.x
   * @return completes when all are deployed; fails (undeploying those that were) if one fails
   */
  public Future<Void> deploy(Vertx vertx) {
    List<Future<String>> deployed = new ArrayList<>();
    parts.forEach(p -> deployed.add(vertx.deployVerticle(p)));
    // join, not all: on a failure, undeploy only once every other deployment has settled
    return Future.join(deployed).<Void>mapEmpty().recover(err -> undeploy(vertx).transform(x -> Future.failedFuture(err)));
  }

  /**
   * Undeploys every deployed partition (each stops its children with their shutdowns, in parallel).
   *
   * @param vertx the member's Vert.x
   * @return completes when all are undeployed; never fails
   */
  public Future<Void> undeploy(Vertx vertx) {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (DynamicSupervisor p : parts) {
      if (p.deploymentId() != null) {
        undeployed.add(vertx.undeploy(p.deploymentId()).recover(err -> Future.succeededFuture()));
      }
    }
    return Future.join(undeployed).<Void>mapEmpty().otherwiseEmpty();
  }

  /** @return every partition's children */
  public Future<List<ChildInfo>> whichChildren() {
    List<Future<List<ChildInfo>>> lists = new ArrayList<>();
    parts.forEach(p -> lists.add(p.whichChildren()));
    return Future.all(lists).map(all -> {
      List<ChildInfo> out = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        out.addAll(all.<List<ChildInfo>>resultAt(i));
      }
      return out;
    });
  }

  /** @return how many partitions */
  public int size() {
    return parts.size();
  }
}
