package dev.overseer.chaos;

import io.vertx.core.json.JsonObject;

/**
 * Something the history shows that must never happen.
 *
 * @param kind which guarantee was broken
 * @param child the child it happened to
 * @param detail the operations involved, for a human
 */
public record Anomaly(Kind kind, String child, String detail) {

  /** The guarantees the checker judges. */
  public enum Kind {
    /** A sequence server handed out one number twice. */
    DUPLICATE_SEQUENCE,
    /** A value went backwards: an operation saw less than one that completed before it began. */
    NONMONOTONIC,
    /** At the end, a counter holds less than its acknowledged increments, or a sequence is behind a number it handed out. */
    LOST_UPDATE,
    /** At the end, a counter holds more than every increment that may have happened. */
    PHANTOM_UPDATE,
    /** Two incarnations of one child answered at once (an older epoch after a newer one, or one epoch on two members). */
    TWO_LIVE_INSTANCES,
    /** A child did not answer in the final phase: it was silently lost. */
    CHILD_LOST
  }

  /** @return the anomaly as JSON */
  public JsonObject toJson() {
    return new JsonObject().put("kind", kind.name().toLowerCase()).put("child", child).put("detail", detail);
  }
}
