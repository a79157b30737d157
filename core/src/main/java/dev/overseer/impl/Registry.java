package dev.overseer.impl;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Unique names in one Vert.x instance (supervisors, servers), kept in a local map that Vert.x
 * clears on close. A name held by an owner whose deployment is gone is free again: an owner that
 * was killed (brutal kill, expired shutdown) never got to unregister, and its restart must be
 * able to take the name back.
 *
 * @param <T> the owners' type
 */
public final class Registry<T> {

  private static final class Entry implements Shareable {
    final Object owner;

    Entry(Object owner) {
      this.owner = owner;
    }
  }

  private final String mapName;
  private final Function<T, String> deploymentIdOf;

  /**
   * @param mapName the local map holding the names
   * @param deploymentIdOf an owner's deployment id, {@code null} while it has none
   */
  public Registry(String mapName, Function<T, String> deploymentIdOf) {
    this.mapName = mapName;
    this.deploymentIdOf = deploymentIdOf;
  }

  private LocalMap<String, Entry> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(mapName);
  }

  /** @return {@code true} if the name was free (or held by a dead owner) and is now {@code owner}'s */
  public boolean register(Vertx vertx, String name, T owner) {
    LocalMap<String, Entry> map = map(vertx);
    Entry mine = new Entry(owner);
    Entry held = map.putIfAbsent(name, mine);
    if (held == null) {
      return true;
    }
    @SuppressWarnings("unchecked")
    String id = deploymentIdOf.apply((T) held.owner);
    boolean gone = id == null || !vertx.deploymentIDs().contains(id);
    return gone && map.replace(name, held, mine);
  }

  /** Frees the name if {@code owner} holds it. */
  public void unregister(Vertx vertx, String name, T owner) {
    LocalMap<String, Entry> map = map(vertx);
    Entry entry = map.get(name);
    if (entry != null && entry.owner == owner) {
      map.remove(name, entry);
    }
  }

  /** @return the owner of {@code name} */
  @SuppressWarnings("unchecked")
  public Optional<T> lookup(Vertx vertx, String name) {
    Entry entry = map(vertx).get(name);
    return entry == null ? Optional.empty() : Optional.of((T) entry.owner);
  }

  /** @return every registered owner */
  @SuppressWarnings("unchecked")
  public List<T> all(Vertx vertx) {
    List<T> all = new ArrayList<>();
    for (Entry e : map(vertx).values()) {
      all.add((T) e.owner);
    }
    return all;
  }
}
