package dev.overseer.chaos.member;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import dev.overseer.ChildSpec;
import dev.overseer.Overseer;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import dev.overseer.server.Server;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the distributed supervisor while the harness is developed: the oldest member of a
 * majority runs every child under a local supervisor and every other member runs none. It has no fencing of
 * its own beyond the stash's epochs, so the checker is expected to find anomalies with it after a
 * pause (the paused member believes it is alone, hence the oldest): that is the point of having a
 * checker, and why the chaos run's verdict only counts with the distributed supervisor.
 */
final class InterimSut implements Member.Sut {

  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final String member;
  private final Map<String, ChaosServer.Kind> children;
  private final Context context;
  private final int quorum;
  private Supervisor supervisor;
  private boolean busy;

  InterimSut(Vertx vertx, HazelcastInstance hz, String member, Map<String, ChaosServer.Kind> children, int quorum) {
    this.quorum = quorum;
    this.vertx = vertx;
    this.hz = hz;
    this.member = member;
    this.children = children;
    this.context = vertx.getOrCreateContext();
  }

  @Override
  public Future<Void> start() {
    hz.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        context.runOnContext(v -> reconcile());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        context.runOnContext(v -> reconcile());
      }
    });
    hz.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        context.runOnContext(v -> reconcile());
      }
    });
    context.runOnContext(v -> reconcile());
    return Future.succeededFuture();
  }

  private void reconcile() {
    if (busy) {
      return;
    }
    boolean oldest;
    try {
      // Only the oldest member of a majority runs children: a paused member that wakes alone does not.
      oldest = hz.getCluster().getMembers().size() >= quorum && hz.getCluster().getMembers().iterator().next().localMember();
    } catch (RuntimeException e) {
      return;   // the instance is shutting down
    }
    if (oldest && supervisor == null) {
      List<ChildSpec> specs = new ArrayList<>();
      children.forEach((id, kind) -> specs.add(ChildSpec.worker(id, () -> new ChaosServer(id, kind, member, Overseer.defaultStash(vertx)))));
      busy = true;
      Supervisor.start(vertx, new SupervisorOptions().setName("chaos").setIntensity(1000).setPeriod(Duration.ofSeconds(10)), specs)
          .onComplete(ar -> {
            busy = false;
            if (ar.succeeded()) {
              supervisor = ar.result();
            }
            reconcile();
          });
    } else if (!oldest && supervisor != null) {
      busy = true;
      vertx.undeploy(supervisor.deploymentId()).onComplete(ar -> {
        busy = false;
        supervisor = null;
        reconcile();
      });
    }
  }

  @Override
  public JsonArray running() {
    JsonArray names = new JsonArray();
    Server.all(vertx).forEach(s -> names.add(s.name()));
    return names;
  }
}
