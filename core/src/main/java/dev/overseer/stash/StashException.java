package dev.overseer.stash;

import io.vertx.core.VertxException;

/** The failure of a {@link Stash} operation, with a closed set of causes. */
public class StashException extends VertxException {

  /** Why a stash operation failed. */
  public enum Reason {
    /** A write carried an ownership epoch older than the entry's: it comes from a superseded incarnation. */
    STALE_EPOCH,
    /** The arguments were invalid (a null key, a negative schema version…). */
    INVALID_ARGUMENT,
    /** The store could not be reached or did not answer. */
    UNAVAILABLE,
    /**
     * A claim found the key at the largest epoch ({@link Long#MAX_VALUE}): raising it would wrap
     * to a negative epoch and let stale writers in again, so the claim is refused (epochs never wrap).
     */
    EPOCH_EXHAUSTED
  }

  /** Why the stash refused. */
  private final Reason reason;

  /**
   * @param reason the cause
   * @param message what went wrong
   */
  public StashException(Reason reason, String message) {
    super(reason.name().toLowerCase() + ": " + message);
    this.reason = reason;
  }

  /** @return the cause */
  public Reason reason() {
    return reason;
  }
}
