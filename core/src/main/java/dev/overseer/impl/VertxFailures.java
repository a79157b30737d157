package dev.overseer.impl;

/**
 * The one place that recognises Vert.x failures by their text, because Vert.x 5 signals them
 * with plain exceptions and no code. {@code VertxFailuresTest} provokes each one on the Vert.x in
 * use, so an upgrade that changes a text fails that test instead of silently changing behaviour.
 */
public final class VertxFailures {

  /** Vert.x's message when an undeploy names a deployment it does not know (already gone). */
  static final String UNKNOWN_DEPLOYMENT = "Unknown deployment";
  /** Vert.x's message when an undeploy targets a deployment already undeployed or being undeployed. */
  static final String ALREADY_UNDEPLOYED = "Already undeployed";
  /** Vert.x's message when a deployment is attempted on a closed (or closing) instance. */
  static final String VERTX_CLOSED = "Vert.x closed";
  /** Vert.x's prefix when a consumer that was unregistered drops a request it had queued. */
  static final String DISCARDED_REQUEST = "Discarded the request";

  private VertxFailures() {
  }

  /** @return whether an undeploy failed because the deployment is gone or already going */
  public static boolean isGone(Throwable t) {
    return t instanceof IllegalStateException
        && (UNKNOWN_DEPLOYMENT.equals(t.getMessage()) || ALREADY_UNDEPLOYED.equals(t.getMessage()));
  }

  /** @return whether a deploy failed because Vert.x is closing */
  public static boolean isVertxClosed(Throwable t) {
    return t != null && VERTX_CLOSED.equals(t.getMessage());
  }

  /** @return whether a request failed because its consumer was unregistered before handling it */
  public static boolean isDiscardedRequest(Throwable t) {
    return t != null && t.getMessage() != null && t.getMessage().startsWith(DISCARDED_REQUEST);
  }
}
