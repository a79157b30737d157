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

  /** @return {@code true} if the name was free and is now taken by {@code supervisor} */
  public static boolean register(Vertx vertx, String name, SupervisorBase supervisor) {
    return map(vertx).putIfAbsent(name, new Entry(supervisor)) == null;
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
