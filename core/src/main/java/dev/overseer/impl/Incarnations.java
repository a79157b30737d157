package dev.overseer.impl;

import dev.overseer.Shutdown;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The lifecycle of one child incarnation as Vert.x sees it: deploy its {@link ChildHost}, stop
 * it within its {@link Shutdown} (one bounded-stop rule, {@link #armKill}, shared with the host's
 * own handling of undeploys nobody in Overseer asked for), kill it, and wait until Vert.x has
 * dropped its deployment. It keeps no child state: the engine records what these futures say.
 * Every future here completes on the supervisor's context.
 */
final class Incarnations {

  /** How long a restart waits for Vert.x to drop a self-undeployed child's deployment. */
  static final long GONE_WAIT_MILLIS = 5_000;

  /**
   * How a bounded stop ended. It never fails: a stop that failed or had to be killed is told here.
   *
   * @param timedOut the stop outlasted its shutdown timeout and the child was killed
   * @param failure the child's stop failed (not counting a deployment already gone), else {@code null}
   */
  record Stop(boolean timedOut, Throwable failure) {
  }

  private final Vertx vertx;
  private final Context supervisor;
  private final Context launcher;
  private final LongSupplier clock;

  /**
   * @param supervisor the supervisor's context: results complete there, and it owns the timers
   * @param launcher the detached context children are deployed from (see {@link Contexts#detached})
   * @param clock monotonic milliseconds
   */
  Incarnations(Context supervisor, Context launcher, LongSupplier clock) {
    this.vertx = supervisor.owner();
    this.supervisor = supervisor;
    this.launcher = launcher;
    this.clock = clock;
  }

  /**
   * Arms a shutdown: a brutal kill runs {@code killNow} at once; a timeout runs {@code onTimeout}
   * when it expires; {@code infinity} and a zero timeout (applied by the host once the child's
   * stop has begun: a timer could fire before stop is even called) arm nothing.
   *
   * @return the timer to cancel once the stop is over, or {@code -1}
   */
  static long armKill(Vertx vertx, Shutdown shutdown, Runnable killNow, Runnable onTimeout) {
    if (shutdown.kind() == Shutdown.Kind.BRUTAL_KILL) {
      killNow.run();
    } else if (shutdown.kind() == Shutdown.Kind.TIMEOUT && !shutdown.timeout().isZero()) {
      return vertx.setTimer(shutdown.timeout().toMillis(), t -> onTimeout.run());
    }
    return -1;
  }

  /**
   * Deploys {@code host} from the launcher context, so Vert.x sees a top-level deployment.
   *
   * @return the deployment id, or the failure of the child's start
   */
  Future<String> deploy(ChildHost host, DeploymentOptions options) {
    Promise<String> deployed = Promise.promise();
    launcher.runOnContext(v -> vertx.deployVerticle(host, options).onComplete(deployed));
    // The child may be undeployed before Vert.x hands us its deployment id: it undeployed itself
    // at once, or vertx.close() took it from Vert.x's "deploying" set. In the latter case Vert.x
    // may never complete the deploy (an assert in its deployment manager fails inside a callback
    // when assertions are on), and a supervisor waiting for it would never stop, nor would the
    // close. Its start did succeed: the host knows its id, and the exit it reported comes next.
    host.stopped().onComplete(ar -> deployed.tryComplete(host.deploymentId()));
    return Contexts.on(supervisor, deployed.future());
  }

  /** Stops the incarnation the supervisor asked to stop: its undeploy, bounded by {@code shutdown}. */
  Future<Stop> undeploy(ChildHost host, String deploymentId, Shutdown shutdown) {
    host.requestStop();
    return stop(host, shutdown, () -> vertx.undeploy(deploymentId));
  }

  /**
   * Applies {@code shutdown} to a stop of {@code host} under way through {@code stopping}. The
   * kill is armed before {@code stopping} starts, so a brutal kill never runs the child's
   * {@code stop}. If Vert.x is already undeploying the child (vertx.close() got there first), the
   * undeploy fails as "gone" at once: this then waits for that undeploy, still bounded.
   */
  Future<Stop> stop(ChildHost host, Shutdown shutdown, Supplier<Future<?>> stopping) {
    boolean[] timedOut = {false};
    long timer = armKill(vertx, shutdown, host::kill, () -> {
      timedOut[0] = true;
      host.kill();
    });
    Future<Void> stopped = stopping.get().<Void>mapEmpty()
        .recover(err -> VertxFailures.isGone(err) ? host.stopped() : Future.failedFuture(err));
    return Contexts.on(supervisor, stopped).transform(ar -> {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      boolean killed = timedOut[0] || host.timedOut();
      Throwable failure = ar.failed() && !VertxFailures.isGone(ar.cause()) ? ar.cause() : null;
      return Future.succeededFuture(new Stop(killed, killed ? null : failure));
    });
  }

  /** Kills {@code host} without its {@code stop}; completes when its deployment is gone (never fails). */
  Future<Void> kill(ChildHost host, String deploymentId) {
    host.kill();
    return deploymentId == null ? Future.succeededFuture()
        : vertx.undeploy(deploymentId).<Void>mapEmpty().recover(err -> Future.succeededFuture());
  }

  /**
   * Completes once Vert.x no longer lists {@code deploymentId}. The child's stop finishing is not
   * enough: Vert.x closes its context (unregistering its consumers) and drops the deployment
   * only afterwards, and a restart before that would share the address with the old consumer.
   * Vert.x offers no event for it, so this checks each millisecond, bounded by
   * {@link #GONE_WAIT_MILLIS}. Call on the supervisor's context, which owns the timer.
   */
  Future<Void> gone(String deploymentId) {
    if (deploymentId == null || !vertx.deploymentIDs().contains(deploymentId)) {
      return Future.succeededFuture();
    }
    Promise<Void> gone = Promise.promise();
    long deadline = clock.getAsLong() + GONE_WAIT_MILLIS;
    vertx.setPeriodic(1, id -> {
      if (!vertx.deploymentIDs().contains(deploymentId) || clock.getAsLong() >= deadline) {
        vertx.cancelTimer(id);
        gone.tryComplete();
      }
    });
    return gone.future();
  }
}
