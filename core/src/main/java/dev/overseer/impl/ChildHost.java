package dev.overseer.impl;

import dev.overseer.ChildHandle;
import dev.overseer.ExitReason;
import dev.overseer.Shutdown;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The decorator a supervisor deploys in place of each child incarnation: it runs the child on
 * the child's own context and turns what Vert.x lacks, process death, into exit reports.
 *
 * <ul>
 *   <li>Crash: a failed start, a throwable that reaches the context's exception handler (any
 *       handler, timer or callback of the child), or {@link #exit} with a failure.</li>
 *   <li>Normal exit: {@link #exit} with {@code normal}, or the child undeploying itself (an
 *       undeploy its supervisor did not ask for).</li>
 *   <li>Kill: {@link #kill()} completes the undeploy without waiting for the child's
 *       {@code stop}, so Vert.x closes the context at once and releases the child's consumers
 *       and timers (brutal kill, or a shutdown timeout that expired).</li>
 * </ul>
 * Only the first exit of an incarnation is reported.
 *
 * <p>Restart in place. A child that can be restarted without a redeploy (a
 * {@code dev.overseer.server.Server}) offers an {@link InPlace} hook. Its supervisor may then
 * {@link #retire} the crashed incarnation (its {@code terminate} runs and its state is saved,
 * but the deployment, its context, event-bus consumer and name stay: the host is then
 * {@link #vacant()}) and later {@link #reincarnate} a fresh instance on the same context. A host
 * thus serves one incarnation at a time, and several over its life; a vacant host reports no exit.
 *
 * <p>On the supervisor's loop ({@code ChildLoop.SUPERVISOR}). Vert.x calls {@link #deploy} and
 * {@link #undeploy} on the context it made for the deployment, on a loop of its choice. A host
 * given its supervisor's context builds a second context of the same deployment on the
 * supervisor's loop ({@link LoopContexts#placedOn}) and runs the child there: its start (one hop,
 * at deploy only), its stop, a retire and a reincarnation, and so every handler and timer the
 * child registers. Both contexts carry the host's key and exception handler.
 */
public final class ChildHost implements Deployable, ChildHandle {

  /** Receives the one exit report of an incarnation, on any thread. */
  public interface ExitListener {
    /**
     * @param host the incarnation that exited
     * @param reason why
     * @param undeploying {@code true} when the child undeployed itself: its undeploy is already
     *     under way and {@link ChildHost#stopped()} tells when it is over
     */
    void onExit(ChildHost host, ExitReason reason, boolean undeploying);
  }

  /** What a child that can be restarted in place offers its host (see the class comment). */
  public interface InPlace {
    /**
     * Ends the current incarnation without leaving the deployment: runs its {@code terminate}
     * with {@code reason}, saves its state as its persistence says, and holds messages that
     * arrive from now on for the next incarnation. Called on the child's context.
     *
     * @param reason why the incarnation ended
     * @return completes when the incarnation is over; a failure makes its supervisor stop the
     *     deployment instead
     */
    Future<Void> retire(ExitReason reason);
  }

  private volatile Deployable delegate;
  private final String id;
  private final String supervisorName;
  private volatile long incarnation;
  private final ExitListener listener;
  private final Shutdown shutdown;
  private final AtomicBoolean exited = new AtomicBoolean();
  private final Promise<Void> killed = Promise.promise();
  private final Promise<Void> stopped = Promise.promise();
  private volatile boolean stopRequested;
  private volatile boolean killRequested;
  private volatile boolean timedOut;
  private volatile Supplier<Future<?>> onKill;
  private volatile String deploymentId;
  private volatile Context context;
  private volatile InPlace inPlace;
  private volatile boolean vacant;
  /** The supervisor's context when the child runs on its loop, else {@code null}. */
  private final Context near;

  /**
   * @param delegate the child instance
   * @param id the child's id
   * @param supervisorName its supervisor's name
   * @param incarnation which start of the child this is
   * @param shutdown bounds the child's {@code stop} when Vert.x undeploys it without its
   *     supervisor asking (it undeployed itself, or {@code vertx.close()}), so a stop that never
   *     completes cannot hang Vert.x
   * @param listener where the exit goes
   */
  public ChildHost(Deployable delegate, String id, String supervisorName, long incarnation, Shutdown shutdown,
                   ExitListener listener) {
    this(delegate, id, supervisorName, incarnation, shutdown, listener, null);
  }

  /**
   * @param delegate the child instance
   * @param id the child's id
   * @param supervisorName its supervisor's name
   * @param incarnation which start of the child this is
   * @param shutdown as in the other constructor
   * @param listener where the exit goes
   * @param near the supervisor's context, to run the child on its event loop; {@code null} runs
   *     it on the context Vert.x gives the deployment
   */
  public ChildHost(Deployable delegate, String id, String supervisorName, long incarnation, Shutdown shutdown,
                   ExitListener listener, Context near) {
    this.near = near;
    this.shutdown = shutdown;
    this.delegate = delegate;
    this.id = id;
    this.supervisorName = supervisorName;
    this.incarnation = incarnation;
    this.listener = listener;
  }

  @Override
  public Future<?> deploy(Context deployed) {
    deploymentId = deployed.deploymentID();
    Context placed = near == null ? null : LoopContexts.placedOn(deployed, near);
    Context run = placed != null ? placed : deployed;
    this.context = run;
    adopt(deployed);
    if (run == deployed) {
      return start(run);
    }
    adopt(run);
    Promise<Object> started = Promise.promise();
    run.runOnContext(v -> start(run).onComplete(started));
    return started.future();
  }

  private void adopt(Context context) {
    context.put(CONTEXT_KEY, this);
    context.exceptionHandler(t -> report(ExitReason.failure(t), false));
  }

  @SuppressWarnings("unchecked")
  private Future<Object> start(Context run) {
    Future<?> started;
    try {
      started = delegate.deploy(run);
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
    // Vert.x would wait forever on a null start future, and the supervisor with it.
    return started != null ? (Future<Object>) started : Future.failedFuture(new IllegalStateException(
        "child '" + id + "' returned null from deploy/start instead of a Future"));
  }

  @Override
  public Future<?> undeploy(Context deployed) {
    if (!stopRequested) {
      report(ExitReason.normal(), true);
      // Nobody in Overseer asked for this undeploy (the child undeployed itself, or
      // vertx.close()): the spec's shutdown still bounds it, so a stop that never completes
      // cannot hang Vert.x. The supervisor bounds the undeploys it starts itself.
      Incarnations.armKill(deployed.owner(), shutdown, this::kill, () -> {
        if (!stopped.future().isComplete()) {
          timedOut = true;
          kill();
        }
      });
    }
    if (killRequested) {
      // Killed before its undeploy began: stop() is not run; the undeploy ends once the kill is done.
      return killed.future().onComplete(v -> stopped.tryComplete());
    }
    Context run = context != null ? context : deployed;
    Future<?> stop;
    if (run == deployed) {
      stop = stop(run);
    } else {
      // The child runs on its supervisor's loop: its stop runs there too. A kill that arrives
      // during the hop (a shutdown timeout, on that loop) ends the undeploy and closes the
      // context first: the stop has not begun, so it is not run, as when killed before the
      // undeploy began.
      Promise<Object> stopping = Promise.promise();
      run.runOnContext(v -> {
        if (killRequested) {
          stopping.tryComplete();
        } else {
          stop(run).onComplete(stopping);
        }
      });
      stop = stopping.future();
    }
    Promise<Void> done = Promise.promise();
    stop.onComplete(ar -> {
      if (ar.succeeded()) {
        done.tryComplete();
      } else {
        done.tryFail(ar.cause());
      }
    });
    killed.future().onComplete(v -> done.tryComplete());
    done.future().onComplete(ar -> {
      if (ar.succeeded()) {
        stopped.tryComplete();
      } else {
        stopped.tryFail(ar.cause());
      }
    });
    return done.future();
  }

  @SuppressWarnings("unchecked")
  private Future<Object> stop(Context run) {
    Future<Object> stop;
    try {
      stop = (Future<Object>) delegate.undeploy(run);
      if (stop == null) {
        stop = Future.failedFuture(new IllegalStateException("child '" + id + "' returned null from undeploy/stop instead of a Future"));
      }
    } catch (Throwable t) {
      stop = Future.failedFuture(t);
    }
    if (shutdown.kind() == Shutdown.Kind.TIMEOUT && shutdown.timeout().isZero() && !stop.isComplete()) {
      // OTP's shutdown 0: the stop was asked for and has begun; what is not done by now is killed
      timedOut = true;
      kill();
    }
    return stop;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String supervisorName() {
    return supervisorName;
  }

  @Override
  public void exit(ExitReason reason) {
    report(reason, false);
  }

  /** @return which start of the child this host serves */
  public long incarnation() {
    return incarnation;
  }

  /** @return the deployment id Vert.x gave this incarnation, once its deploy has begun */
  public String deploymentId() {
    return deploymentId;
  }

  /** @return the child instance */
  public Deployable delegate() {
    return delegate;
  }

  /**
   * Offers to restart {@code owner} in place; ignored unless {@code owner} is this host's current
   * child instance.
   *
   * @param owner the child instance making the offer
   * @param hook how to retire it
   */
  public void offerInPlace(Deployable owner, InPlace hook) {
    if (owner == delegate && !vacant) {
      inPlace = hook;
    }
  }

  /**
   * @return whether the current incarnation can be retired and replaced in place: it offered it,
   *     nobody asked to stop it, and its shutdown is not a brutal kill (which runs no
   *     {@code terminate}: that keeps the redeploy, so no code of the old instance runs)
   */
  public boolean canRestartInPlace() {
    return inPlace != null && !vacant && !stopRequested && context != null && shutdown.kind() != Shutdown.Kind.BRUTAL_KILL;
  }

  /** @return whether the deployment is kept between two incarnations: no child instance runs in it */
  public boolean vacant() {
    return vacant;
  }

  /**
   * Retires the current incarnation through its {@link InPlace} hook, on the child's context;
   * the host is then {@link #vacant()}. Call only when {@link #canRestartInPlace()}.
   *
   * @param reason why the incarnation ended
   * @return completes when it is retired
   */
  public Future<Void> retire(ExitReason reason) {
    InPlace hook = inPlace;
    inPlace = null;
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      Future<Void> retired;
      try {
        retired = hook.retire(reason);
      } catch (Throwable t) {
        retired = Future.failedFuture(t);
      }
      retired.onComplete(ar -> {
        if (ar.succeeded()) {
          vacant = true;
        }
        done.handle(ar);
      });
    });
    return done.future();
  }

  /**
   * Starts {@code fresh} as the next incarnation in this vacant host's deployment, on the same
   * context. If its start fails the host is vacant again (a later attempt may reincarnate it) and
   * reports nothing of the failed incarnation: the failure is the returned future's.
   *
   * @param fresh a new child instance
   * @param incarnation which start of the child it is
   * @return the (unchanged) deployment id once {@code fresh} has started
   */
  public Future<String> reincarnate(Deployable fresh, long incarnation) {
    Promise<String> started = Promise.promise();
    context.runOnContext(v -> {
      this.incarnation = incarnation;
      delegate = fresh;
      inPlace = null;
      vacant = false;
      exited.set(false);
      Future<?> f;
      try {
        f = fresh.deploy(context);
        if (f == null) {
          f = Future.failedFuture(new IllegalStateException("child '" + id + "' returned null from deploy/start instead of a Future"));
        }
      } catch (Throwable t) {
        f = Future.failedFuture(t);
      }
      f.onComplete(ar -> {
        if (ar.succeeded()) {
          started.complete(deploymentId);
        } else {
          exited.set(true);
          inPlace = null;
          vacant = true;
          started.fail(ar.cause());
        }
      });
    });
    return started.future();
  }

  /** Marks the coming undeploy as the supervisor's: it is not an exit of the child's own. */
  public void requestStop() {
    stopRequested = true;
  }

  /**
   * Stops waiting for the child's {@code stop}: the undeploy completes and the context closes.
   * A nested supervisor's kill hook runs first, and the undeploy completes only once it is done,
   * so a killed subtree is gone when its parent's stop of it completes.
   */
  public void kill() {
    stopRequested = true;
    killRequested = true;
    Supplier<Future<?>> hook = onKill;
    Future<?> hookDone;
    try {
      hookDone = hook == null ? Future.succeededFuture() : hook.get();
    } catch (Throwable t) {
      hookDone = Future.failedFuture(t);
    }
    hookDone.onComplete(ar -> killed.tryComplete());
  }

  /**
   * @param hook run when this host is killed (a nested supervisor kills its own children); its
   *     future completes when they are gone
   */
  public void onKill(Supplier<Future<?>> hook) {
    this.onKill = hook;
  }

  /** @return whether this host killed its child itself because an unrequested undeploy outlasted the shutdown timeout */
  public boolean timedOut() {
    return timedOut;
  }

  /** @return completes when the child's stop has finished or it was killed; fails with the failure of its stop */
  public Future<Void> stopped() {
    return stopped.future();
  }

  private void report(ExitReason reason, boolean undeploying) {
    if (exited.compareAndSet(false, true)) {
      listener.onExit(this, reason, undeploying);
    }
  }
}
