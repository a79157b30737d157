package dev.overseer.chaos.member;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.overseer.stash.QuarantinedEntry;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashEntry;
import dev.overseer.stash.StashException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A stash on a Hazelcast {@code IMap} of JSON strings, fenced by epoch under the map's per-key
 * lock. It stands in for the cluster module's stash while the chaos harness is developed; the
 * chaos run uses the cluster module's own stash once it exists (see {@link Member}).
 */
public final class ImapStash implements Stash {

  private final Vertx vertx;
  private final IMap<String, String> map;
  private final IMap<String, String> quarantine;

  /**
   * @param vertx the clustered Vert.x (its worker pool runs the blocking map calls)
   * @param hazelcast the member's Hazelcast instance
   */
  public ImapStash(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.map = hazelcast.getMap("chaos.stash");
    this.quarantine = hazelcast.getMap("chaos.stash.quarantine");
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return vertx.executeBlocking(call, false);
  }

  private static StashEntry entry(String key, JsonObject slot) {
    if (slot == null || !slot.containsKey("json")) {
      return null;
    }
    return new StashEntry(key, slot.getString("json"), slot.getInteger("schemaVersion"), slot.getLong("epoch"),
        Instant.parse(slot.getString("updatedAt")), slot.getLong("revision"));
  }

  @Override
  public Future<Optional<StashEntry>> get(String key) {
    return blocking(() -> {
      String raw = map.get(key);
      return Optional.ofNullable(raw == null ? null : entry(key, new JsonObject(raw)));
    });
  }

  @Override
  public Future<StashEntry> put(String key, String json, int schemaVersion, long epoch) {
    return blocking(() -> {
      map.lock(key);
      try {
        String raw = map.get(key);
        JsonObject slot = raw == null ? new JsonObject().put("claimed", 0L) : new JsonObject(raw);
        long held = slot.getLong("claimed", 0L);
        if (epoch < held) {
          throw new StashException(StashException.Reason.STALE_EPOCH,
              "write to '" + key + "' with epoch " + epoch + " rejected: the key is owned by epoch " + held);
        }
        long revision = slot.getLong("revision", 0L) + 1;
        slot.put("json", json).put("schemaVersion", schemaVersion).put("epoch", epoch)
            .put("updatedAt", Instant.now().toString()).put("revision", revision).put("claimed", Math.max(held, epoch));
        map.set(key, slot.encode());
        return entry(key, slot);
      } finally {
        map.unlock(key);
      }
    });
  }

  @Override
  public Future<Long> claim(String key) {
    return blocking(() -> {
      map.lock(key);
      try {
        String raw = map.get(key);
        JsonObject slot = raw == null ? new JsonObject() : new JsonObject(raw);
        long next = slot.getLong("claimed", 0L) + 1;
        map.set(key, slot.put("claimed", next).encode());
        return next;
      } finally {
        map.unlock(key);
      }
    });
  }

  @Override
  public Future<Void> remove(String key) {
    return blocking(() -> {
      map.lock(key);
      try {
        String raw = map.get(key);
        if (raw != null) {
          JsonObject slot = new JsonObject(raw);
          map.set(key, new JsonObject().put("claimed", slot.getLong("claimed", 0L)).encode());
        }
        return null;
      } finally {
        map.unlock(key);
      }
    });
  }

  @Override
  public Future<Void> quarantine(String key, String reason) {
    return blocking(() -> {
      String raw = map.get(key);
      if (raw != null) {
        quarantine.set(key, new JsonObject(raw).put("reason", reason).encode());
      }
      return null;
    }).compose(v -> remove(key));
  }

  @Override
  public Future<List<QuarantinedEntry>> quarantined() {
    return blocking(() -> {
      List<QuarantinedEntry> list = new ArrayList<>();
      quarantine.forEach((k, v) -> {
        JsonObject slot = new JsonObject(v);
        StashEntry e = entry(k, slot);
        if (e != null) {
          list.add(new QuarantinedEntry(e, slot.getString("reason"), e.updatedAt()));
        }
      });
      return list;
    });
  }

  @Override
  public Future<List<StashEntry>> entries() {
    return blocking(() -> {
      List<StashEntry> list = new ArrayList<>();
      map.forEach((k, v) -> {
        StashEntry e = entry(k, new JsonObject(v));
        if (e != null) {
          list.add(e);
        }
      });
      return list;
    });
  }
}
