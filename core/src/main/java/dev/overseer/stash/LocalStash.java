package dev.overseer.stash;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The embedded {@link Stash}: entries in this JVM's memory. State kept here survives any number
 * of server crashes and restarts, not the JVM. Thread-safe; every operation completes at once.
 *
 * <p>Use {@link #shared(Vertx)} for the one instance that servers of a Vert.x instance share by
 * default.
 */
public final class LocalStash implements Stash {

  private static final String SHARED = "dev.overseer.stash.LocalStash";

  private static final class Slot {
    final StashEntry entry;
    final long epoch;

    Slot(StashEntry entry, long epoch) {
      this.entry = entry;
      this.epoch = epoch;
    }
  }

  private static final class Holder implements Shareable {
    final LocalStash stash = new LocalStash();
  }

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<QuarantinedEntry> quarantine = new ConcurrentLinkedQueue<>();
  private final Clock clock;

  /** A new, empty stash on the system clock. */
  public LocalStash() {
    this(Clock.systemUTC());
  }

  /** @param clock what stamps {@link StashEntry#updatedAt()} */
  public LocalStash(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param vertx the Vert.x instance
   * @return the stash shared by everything in {@code vertx}; it lives as long as {@code vertx}
   */
  public static LocalStash shared(Vertx vertx) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(SHARED);
    Holder holder = map.get(SHARED);
    if (holder == null) {
      Holder fresh = new Holder();
      holder = map.putIfAbsent(SHARED, fresh);
      if (holder == null) {
        holder = fresh;
      }
    }
    return holder.stash;
  }

  @Override
  public Future<Optional<StashEntry>> get(String key) {
    if (key == null) {
      return invalid("key must not be null");
    }
    Slot slot = slots.get(key);
    return Future.succeededFuture(slot == null ? Optional.empty() : Optional.ofNullable(slot.entry));
  }

  @Override
  public Future<StashEntry> put(String key, String json, int schemaVersion, long epoch) {
    if (key == null || json == null) {
      return invalid("key and json must not be null");
    }
    if (schemaVersion < 1) {
      return invalid("schemaVersion must be 1 or more, got " + schemaVersion);
    }
    StashEntry[] written = new StashEntry[1];
    long[] current = {0};
    slots.compute(key, (k, slot) -> {
      long held = slot == null ? 0 : slot.epoch;
      if (epoch < held) {
        current[0] = held;
        return slot;
      }
      long revision = slot == null || slot.entry == null ? 1 : slot.entry.revision() + 1;
      written[0] = new StashEntry(key, json, schemaVersion, epoch, Instant.now(clock), revision);
      return new Slot(written[0], Math.max(held, epoch));
    });
    if (written[0] == null) {
      return Future.failedFuture(new StashException(StashException.Reason.STALE_EPOCH,
          "write to '" + key + "' with epoch " + epoch + " rejected: the key is owned by epoch " + current[0]));
    }
    return Future.succeededFuture(written[0]);
  }

  @Override
  public Future<Long> claim(String key) {
    return claimAndGet(key).map(StashClaim::epoch);
  }

  @Override
  public Future<StashClaim> claimAndGet(String key) {
    if (key == null) {
      return invalid("key must not be null");
    }
    boolean[] exhausted = {false};
    Slot slot = slots.compute(key, (k, old) -> {
      long held = old == null ? 0 : old.epoch;
      if (held == Long.MAX_VALUE) {
        exhausted[0] = true;
        return old;
      }
      return new Slot(old == null ? null : old.entry, held + 1);
    });
    if (exhausted[0]) {
      return Future.failedFuture(new StashException(StashException.Reason.EPOCH_EXHAUSTED,
          "claim of '" + key + "' refused: its epoch is already " + Long.MAX_VALUE + " and epochs never wrap"));
    }
    return Future.succeededFuture(StashClaim.withEntry(slot.epoch, Optional.ofNullable(slot.entry)));
  }

  @Override
  public Future<Void> remove(String key) {
    if (key == null) {
      return invalid("key must not be null");
    }
    slots.computeIfPresent(key, (k, slot) -> new Slot(null, slot.epoch));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> quarantine(String key, String reason) {
    if (key == null) {
      return invalid("key must not be null");
    }
    slots.computeIfPresent(key, (k, slot) -> {
      if (slot.entry != null) {
        quarantine.add(new QuarantinedEntry(slot.entry, reason, Instant.now(clock)));
      }
      return new Slot(null, slot.epoch);
    });
    return Future.succeededFuture();
  }

  @Override
  public Future<List<QuarantinedEntry>> quarantined() {
    return Future.succeededFuture(new ArrayList<>(quarantine));
  }

  @Override
  public Future<List<StashEntry>> entries() {
    List<StashEntry> all = new ArrayList<>();
    for (Slot slot : slots.values()) {
      if (slot.entry != null) {
        all.add(slot.entry);
      }
    }
    all.sort(java.util.Comparator.comparing(StashEntry::key));
    return Future.succeededFuture(all);
  }

  private static <T> Future<T> invalid(String message) {
    return Future.failedFuture(new StashException(StashException.Reason.INVALID_ARGUMENT, message));
  }
}
