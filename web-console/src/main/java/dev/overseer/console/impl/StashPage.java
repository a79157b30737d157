package dev.overseer.console.impl;

import dev.overseer.Overseer;
import dev.overseer.stash.QuarantinedEntry;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The console's stash page: the entries of each stash shown, with their metadata (key, schema
 * version, epoch, revision, write time, age), and the quarantined entries with the reason they
 * were refused, so an operator can see why a server started from its initial state.
 *
 * <p>Values are never shown: an entry's value is application state, and only a server's own
 * {@code formatStatus} may decide what of it is safe to show (the child's details do that).
 * Quarantined entries likewise lose their JSON text here. Lists are capped at {@link #MAX_ROWS}
 * rows per stash, with the total given.
 *
 * <p>The stashes: {@code default}, the one {@link Overseer#defaultStash} returns (read when asked,
 * so a stash set later is seen), and any the application added with a name.
 */
public final class StashPage {

  /** Rows listed at most per stash and list. */
  static final int MAX_ROWS = 1_000;

  private final Map<String, Stash> extra = new LinkedHashMap<>();

  /**
   * Adds a stash to the page; a name added again replaces the stash.
   *
   * @throws IllegalArgumentException when the name is blank or {@code default}
   */
  public synchronized void add(String name, Stash stash) {
    if (name == null || name.isBlank() || name.equals("default")) {
      throw new IllegalArgumentException("name: must be a non-blank name other than 'default', got " + name);
    }
    extra.put(name, Objects.requireNonNull(stash, "stash"));
  }

  /**
   * @param vertx the Vert.x instance whose default stash is shown
   * @return {@code {"stashes": [{"name", "entries": [...], "quarantined": [...], "total", "quarantinedTotal"}]}}
   */
  public Future<JsonObject> read(Vertx vertx) {
    Map<String, Stash> all = new LinkedHashMap<>();
    all.put("default", Overseer.defaultStash(vertx));
    synchronized (this) {
      all.putAll(extra);
    }
    List<Future<JsonObject>> reads = new ArrayList<>();
    all.forEach((name, stash) -> reads.add(read(name, stash)));
    return Future.all(reads).map(done -> {
      JsonArray stashes = new JsonArray();
      reads.forEach(r -> stashes.add(r.result()));
      return new JsonObject().put("stashes", stashes);
    });
  }

  private static Future<JsonObject> read(String name, Stash stash) {
    return stash.entries().compose(entries -> stash.quarantined().map(quarantined -> {
      JsonArray rows = new JsonArray();
      entries.stream().limit(MAX_ROWS).map(StashEntry::metadata).forEach(rows::add);
      JsonArray refused = new JsonArray();
      // newest first: the operator looks for what just happened
      for (int i = quarantined.size() - 1; i >= 0 && refused.size() < MAX_ROWS; i--) {
        refused.add(quarantined(quarantined.get(i)));
      }
      return new JsonObject().put("name", name)
          .put("total", entries.size()).put("entries", rows)
          .put("quarantinedTotal", quarantined.size()).put("quarantined", refused);
    })).recover(err -> Future.succeededFuture(new JsonObject().put("name", name)
        .put("error", String.valueOf(err.getMessage())).put("entries", new JsonArray()).put("quarantined", new JsonArray())));
  }

  /** @return the quarantined entry's metadata, reason and time, without its JSON text */
  static JsonObject quarantined(QuarantinedEntry q) {
    return q.entry().metadata().put("reason", q.reason()).put("quarantinedAt", q.quarantinedAt().toString());
  }
}
