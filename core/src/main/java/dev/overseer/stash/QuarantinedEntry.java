package dev.overseer.stash;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A stash entry a server refused to load, kept for inspection instead of being lost or loaded.
 *
 * @param entry the entry as it was
 * @param reason why it was refused (corrupt, failed to migrate, invalid, stale…)
 * @param quarantinedAt when
 */
public record QuarantinedEntry(StashEntry entry, String reason, Instant quarantinedAt) {

  /** @return the entry's metadata and JSON text, the reason and the time */
  public JsonObject toJson() {
    return entry.metadata().put("json", entry.json()).put("reason", reason).put("quarantinedAt", quarantinedAt.toString());
  }
}
