package dev.overseer.server;

/** What loading a {@link Server}'s state from its stash found; shown in its status. */
public enum LoadOutcome {
  /** The stashed state was loaded. */
  LOADED,
  /** No entry: the server starts from its initial state. */
  NONE,
  /**
   * The entry was refused (stale, corrupt, JSON {@code null}, a newer schema, failing to migrate,
   * decode or validate): it was moved to the stash's quarantine and the server starts from its
   * initial state.
   */
  QUARANTINED,
  /** Reading kept failing (or timing out): the server starts from its initial state, per {@link ServerOptions.LoadFallback#INITIAL_STATE}. */
  FALLBACK,
  /** Persistence is {@code NONE}: the stash is not read. */
  NOT_KEPT
}
