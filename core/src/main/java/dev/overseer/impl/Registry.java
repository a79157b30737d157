package dev.overseer.impl;

import dev.overseer.SupervisorBase;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The supervisors running in one Vert.x instance, by name; Vert.x clears it on close. */
public final class Registry {

  private static final String MAP = "dev.overseer.supervisors";

  private Registry() {
  }

  private static final class Entry implements Shareable {
    final SupervisorBase supervisor;

    Entry(SupervisorBase supervisor) {
      this.supervisor = supervisor;
    }
  }

  private static LocalMap<String, Entry> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  /**
   * @return {@code true} if the name was free and is now taken by {@code supervisor}. A name held
   *     by a supervisor whose deployment is gone (it was killed, so it could not unregister) is free.
   */
  public static boolean register(Vertx vertx, String name, SupervisorBase supervisor) {
    LocalMap<String, Entry> map = map(vertx);
    Entry mine = new Entry(supervisor);
    Entry held = map.putIfAbsent(name, mine);
    if (held == null) {
      return true;
    }
    String id = held.supervisor.deploymentId();
    boolean gone = id == null || !vertx.deploymentIDs().contains(id);
    return gone && map.replace(name, held, mine);
  }

  /** Frees the name if {@code supervisor} holds it. */
  public static void unregister(Vertx vertx, String name, SupervisorBase supervisor) {
    LocalMap<String, Entry> map = map(vertx);
    Entry entry = map.get(name);
    if (entry != null && entry.supervisor == supervisor) {
      map.remove(name, entry);
    }
  }

  /** @return the supervisor registered under {@code name} */
  public static Optional<SupervisorBase> lookup(Vertx vertx, String name) {
    Entry entry = map(vertx).get(name);
    return entry == null ? Optional.empty() : Optional.of(entry.supervisor);
  }

  /** @return every registered supervisor */
  public static List<SupervisorBase> all(Vertx vertx) {
    List<SupervisorBase> all = new ArrayList<>();
    for (Entry e : map(vertx).values()) {
      all.add(e.supervisor);
    }
    return all;
  }
}
