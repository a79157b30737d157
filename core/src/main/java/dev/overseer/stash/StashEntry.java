package dev.overseer.stash;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;

/**
 * One versioned entry of a {@link Stash}: the value as JSON text and what the guards need to
 * decide whether to trust it. Immutable.
 *
 * @param key the entry's key
 * @param json the value as JSON text, exactly as written (a stash never interprets it)
 * @param schemaVersion the schema version of the server that wrote it
 * @param epoch the ownership epoch of the writer (see {@link Stash#claim})
 * @param updatedAt when it was written
 * @param revision how many times the key was written; starts at 1
 */
public record StashEntry(String key, String json, int schemaVersion, long epoch, Instant updatedAt, long revision) {

  /**
   * @return the value decoded from JSON
   * @throws io.vertx.core.json.DecodeException when the text is not JSON (a corrupt entry)
   */
  public Object value() {
    return Json.decodeValue(json);
  }

  /**
   * @param now the time now
   * @return how old the entry is at {@code now}
   */
  public Duration age(Instant now) {
    return Duration.between(updatedAt, now);
  }

  /** @return the metadata as JSON (the value is left out) */
  public JsonObject metadata() {
    return new JsonObject()
        .put("key", key)
        .put("schemaVersion", schemaVersion)
        .put("epoch", epoch)
        .put("updatedAt", updatedAt.toString())
        .put("revision", revision)
        .put("ageMillis", Math.max(0, age(Instant.now()).toMillis()));
  }
}
