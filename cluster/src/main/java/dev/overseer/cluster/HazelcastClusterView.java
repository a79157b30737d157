package dev.overseer.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.overseer.ClusterView;
import dev.overseer.Overseer;
import dev.overseer.SupervisorEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link ClusterView} of one member: its Hazelcast members (by Vert.x node id, never by the
 * Hazelcast UUID, which a merge changes), the members that left lately, and the distributed
 * supervisors deployed in this Vert.x, which register themselves when they start. One per Vert.x
 * instance ({@link #install}); what the web console reads.
 */
final class HazelcastClusterView implements ClusterView {

  /** Members that left, remembered so that the console can show them as gone for a while. */
  static final int DEPARTED_KEPT = 16;

  private final HazelcastInstance hazelcast;
  private final List<DistributedSupervisor> supervisors = new CopyOnWriteArrayList<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Long> joinedAt = new ConcurrentHashMap<>();
  /** node id → {id, address, status: left, since}; insertion order, oldest dropped first. */
  private final Map<String, JsonObject> departed = new LinkedHashMap<>();

  private HazelcastClusterView(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  /**
   * @return the view registered for {@code vertx}, registering a new one on {@code hazelcast}
   *     when there is none (a view of another kind is left in place, and a fresh unregistered one
   *     returned)
   */
  static HazelcastClusterView install(Vertx vertx, HazelcastInstance hazelcast) {
    ClusterView existing = Overseer.clusterView(vertx);
    if (existing instanceof HazelcastClusterView) {
      return (HazelcastClusterView) existing;
    }
    HazelcastClusterView fresh = new HazelcastClusterView(hazelcast);
    ClusterView registered = Overseer.setClusterViewIfAbsent(vertx, fresh);
    if (registered == fresh) {
      fresh.listen();
    }
    return registered instanceof HazelcastClusterView ? (HazelcastClusterView) registered : fresh;
  }

  private void listen() {
    // Lives as long as the Hazelcast instance: one listener per member, never removed.
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        String id = nodeId(event.getMember());
        if (id != null) {
          joinedAt.put(id, System.currentTimeMillis());
          synchronized (departed) {
            departed.remove(id);
          }
        }
        changed();
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String id = nodeId(event.getMember());
        if (id != null) {
          joinedAt.remove(id);
          JsonObject gone = new JsonObject().put("id", id).put("self", false).put("status", "left")
              .put("since", System.currentTimeMillis());
          String address = address(event.getMember());
          if (address != null) {
            gone.put("address", address);
          }
          synchronized (departed) {
            departed.remove(id);
            departed.put(id, gone);
            while (departed.size() > DEPARTED_KEPT) {
              departed.remove(departed.keySet().iterator().next());
            }
          }
        }
        changed();
      }
    });
  }

  void register(DistributedSupervisor supervisor) {
    supervisors.add(supervisor);
    changed();
  }

  /** @return the distributed supervisors deployed in this Vert.x now */
  List<DistributedSupervisor> supervisors() {
    return List.copyOf(supervisors);
  }

  void unregister(DistributedSupervisor supervisor) {
    supervisors.remove(supervisor);
    changed();
  }

  /** Something shown changed: tell the listeners (they only mark themselves dirty). */
  void changed() {
    for (Listener l : listeners) {
      try {
        l.changed();
      } catch (RuntimeException e) {
        // a listener's failure must not stop the supervisor that called
      }
    }
  }

  void event(SupervisorEvent event) {
    for (Listener l : listeners) {
      try {
        l.event(event);
      } catch (RuntimeException e) {
        // as above
      }
    }
  }

  @Override
  public Future<JsonObject> describe(int maxChildren) {
    if (maxChildren < 1) {
      return Future.failedFuture(new IllegalArgumentException("maxChildren: at least 1, got " + maxChildren));
    }
    Member local;
    Set<Member> live;
    try {
      local = hazelcast.getCluster().getLocalMember();
      live = hazelcast.getCluster().getMembers();
    } catch (RuntimeException e) {
      // the member is shutting down
      return Future.failedFuture(e);
    }
    String self = nodeId(local);
    List<JsonObject> members = new ArrayList<>();
    for (Member m : live) {
      String id = nodeId(m);
      if (id == null) {
        continue;
      }
      JsonObject json = new JsonObject().put("id", id).put("self", m.localMember()).put("status", "up");
      String address = address(m);
      if (address != null) {
        json.put("address", address);
      }
      Long since = joinedAt.get(id);
      if (since != null) {
        json.put("since", since);
      }
      members.add(json);
    }
    // this member first, then by id: a stable order for the page
    members.sort(Comparator.comparing((JsonObject j) -> !j.getBoolean("self")).thenComparing(j -> j.getString("id")));
    synchronized (departed) {
      List<JsonObject> gone = new ArrayList<>(departed.values());
      java.util.Collections.reverse(gone);
      for (JsonObject j : gone) {
        if (members.stream().noneMatch(m -> m.getString("id").equals(j.getString("id")))) {
          members.add(j.copy());
        }
      }
    }
    List<Future<JsonObject>> reads = new ArrayList<>();
    for (DistributedSupervisor s : supervisors) {
      reads.add(s.viewOf(maxChildren).otherwise(err -> new JsonObject().put("name", s.name())
          .put("error", String.valueOf(err.getMessage())).put("members", new JsonArray()).put("total", 0)
          .put("truncated", false).put("children", new JsonArray())));
    }
    return Future.join(reads).transform(ignored -> {
      List<JsonObject> sups = new ArrayList<>();
      for (Future<JsonObject> f : reads) {
        if (f.succeeded()) {
          sups.add(f.result());
        }
      }
      sups.sort(Comparator.comparing(j -> j.getString("name")));
      return Future.succeededFuture(new JsonObject().put("self", self)
          .put("members", new JsonArray(new ArrayList<>(members)))
          .put("supervisors", new JsonArray(new ArrayList<>(sups))));
    });
  }

  @Override
  public void addListener(Listener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  private static String nodeId(Member m) {
    Object id = m.getAttribute(DistributedSupervisor.NODE_ID_ATTRIBUTE);
    return id == null ? null : id.toString();
  }

  private static String address(Member m) {
    Address a = m.getAddress();
    return a == null ? null : a.getHost() + ":" + a.getPort();
  }
}
