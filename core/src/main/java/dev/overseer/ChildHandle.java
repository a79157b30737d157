package dev.overseer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.Optional;

/**
 * A supervised child's view of its supervision: who it is and how to exit. Obtained from the
 * child's own context, e.g. in {@code start()} or a handler:
 *
 * <pre>{@code
 * ChildHandle.current().exit(ExitReason.normal());   // done: a TRANSIENT child is not restarted
 * ChildHandle.current().exit(ExitReason.failure(e)); // crash: restarted per the spec
 * }</pre>
 *
 * <p>A throwable that escapes any handler on the child's context is a crash too, without calling
 * anything; undeploying itself is a normal exit.
 */
public interface ChildHandle {

  /** The key under which a supervised child's context holds its handle. */
  String CONTEXT_KEY = "dev.overseer.ChildHandle";

  /**
   * @return the handle of the child whose context is the current one
   * @throws IllegalStateException when not called on a supervised child's context
   */
  static ChildHandle current() {
    Context context = Vertx.currentContext();
    return of(context).orElseThrow(() -> new IllegalStateException("not on the context of a supervised child"));
  }

  /**
   * @param context a Vert.x context, may be {@code null}
   * @return the handle of the supervised child that owns {@code context}, if any
   */
  static Optional<ChildHandle> of(Context context) {
    if (context == null) {
      return Optional.empty();
    }
    Object handle = context.get(CONTEXT_KEY);
    return handle instanceof ChildHandle ? Optional.of((ChildHandle) handle) : Optional.empty();
  }

  /** @return the child's id in its supervisor */
  String id();

  /** @return the name of the supervisor that owns the child */
  String supervisorName();

  /**
   * Ends this incarnation of the child with {@code reason}. Its supervisor stops it (running its
   * {@code stop} with the spec's shutdown) and restarts it or not as the restart type says.
   * Only the first exit of an incarnation counts.
   *
   * @param reason why the child exits
   */
  void exit(ExitReason reason);
}
