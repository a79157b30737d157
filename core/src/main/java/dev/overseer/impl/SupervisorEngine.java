package dev.overseer.impl;

import dev.overseer.Backoff;
import dev.overseer.ChildCount;
import dev.overseer.ChildInfo;
import dev.overseer.ChildLoop;
import dev.overseer.ChildSpec;
import dev.overseer.ChildStatus;
import dev.overseer.ChildType;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.ExitReason;
import dev.overseer.RestartType;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorEvent;
import dev.overseer.SupervisorException;
import dev.overseer.SupervisorOptions;
import dev.overseer.SupervisorRef;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The supervisor's state machine: OTP's {@code supervisor} gen_server, on a Vert.x context.
 *
 * <p>Algorithm. Children are kept in start order. Every operation and every exit report is a
 * task in a {@link SerialQueue}, so they apply one at a time, as messages to an OTP supervisor.
 * When a child exits, the engine stops what is left of that incarnation, then asks
 * {@link Strategies#shouldRestart} whether it comes back. A restart first records itself in the
 * {@link IntensityWindow}; past the intensity, all children are stopped in reverse order and
 * the supervisor exits with a failure, which its own supervisor sees as a crash (escalation).
 * Otherwise {@link Strategies#affected} names the siblings to restart: they are stopped in
 * reverse order and started in start order. If a start fails, the child is marked restarting
 * and a retry is queued as a new task (OTP's {@code try_again_restart}), counted against the
 * intensity again, so the supervisor keeps answering meanwhile and a child that never starts
 * ends in escalation, not in a loop.
 *
 * <p>Every child is deployed from a detached context on the supervisor's own event loop
 * ({@link LoopContexts}), so Vert.x sees it as a top-level deployment and never stops it behind
 * the supervisor's back; the supervisor's own undeploy stops its children in reverse start order.
 * A dynamic supervisor pipelines {@code startChild}: the mailbox holds it only while the id is
 * reserved, and whatever must not overtake a start in flight (a stop, an exit, a kill) waits for
 * the child's {@code starting} future first. Read-only operations answer at once from the
 * current state instead of waiting their turn; once the supervisor has stopped they fail like
 * the others. Where a dynamic supervisor differs (which children a restart touches, whether a
 * stopped child is forgotten, stop order, capacity, unsupported operations) is asked of its
 * {@link SupervisorKind}.
 */
public final class SupervisorEngine {

  /** One child: its spec and the state of its current incarnation. */
  private static final class Child {
    ChildSpec spec;
    ChildStatus status = ChildStatus.STOPPED;
    ChildHost host;
    String deploymentId;
    /** The deployment of the last incarnation, kept after it stopped so exit events can name it. */
    String lastDeploymentId;
    long incarnation;
    int restartCount;
    int consecutiveRestarts;
    long startedAt;
    long retryTimer = -1;
    ExitReason lastExit;
    /**
     * A pipelined start still deploying (see {@link SupervisorEngine#startChild}), else
     * {@code null}: whatever stops or replaces the child waits for it first. It never fails.
     */
    Future<Void> starting;

    Child(ChildSpec spec) {
      this.spec = spec;
    }

    boolean isLive() {
      return status == ChildStatus.STARTING || status == ChildStatus.RUNNING || status == ChildStatus.TERMINATING;
    }
  }

  private final SupervisorOptions options;
  private final SupervisorKind kind;
  private final List<ChildSpec> initialSpecs;
  private final LongSupplier clock;
  private final Map<String, Child> children = new LinkedHashMap<>();
  private final SupervisorEvents events;
  private final Promise<ExitReason> termination = Promise.promise();

  private Vertx vertx;
  private Context context;
  private Incarnations incarnations;
  private SerialQueue mailbox;
  private IntensityWindow intensity;
  private ChildHost parent;
  private String name;
  private boolean shuttingDown;
  /** Vert.x is closing: nothing restarts any more, every child only stops. */
  private boolean vertxClosing;
  private ExitReason exitReason;
  private Runnable removeCloseHook = () -> { };
  /** A root supervisor that exited by itself (max intensity, auto-shutdown) undeploys itself: this. */
  private Future<Void> selfUndeploy;

  /**
   * @param options the flags (a {@link DynamicSupervisorOptions} for a dynamic supervisor); copied
   * @param initialSpecs children to start with, in order (none for a dynamic supervisor)
   * @param dynamic whether this is a dynamic supervisor
   * @param clock monotonic time in milliseconds
   */
  public SupervisorEngine(SupervisorOptions options, List<ChildSpec> initialSpecs, boolean dynamic, LongSupplier clock) {
    this.options = dynamic ? new DynamicSupervisorOptions((DynamicSupervisorOptions) options) : new SupervisorOptions(options);
    this.initialSpecs = initialSpecs == null ? null : new ArrayList<>(initialSpecs);
    this.kind = SupervisorKind.of(this.options, dynamic);
    this.clock = clock;
    this.name = options.getName();
    this.events = new SupervisorEvents(this.options);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Starts the supervisor on {@code context}: checks everything, then starts children in order. */
  public Future<Void> start(Context context, String generatedName) {
    this.context = context;
    this.vertx = context.owner();
    this.mailbox = new SerialQueue(context);
    if (name == null) {
      name = generatedName;
    }
    events.bind(vertx, name);
    try {
      SpecValidator.validateOptions(options, kind.isDynamic());
      if (initialSpecs != null) {
        SpecValidator.validateAll(initialSpecs, options.getAutoShutdown());
      }
    } catch (SupervisorException e) {
      return Future.failedFuture(e);
    }
    this.intensity = new IntensityWindow(options.getIntensity(), options.getPeriod().toMillis());
    this.parent = ChildHandleLookup.host(context);
    if (parent != null) {
      parent.onKill(this::killAll);
    } else {
      // A root supervisor stops its whole tree, in order, when vertx.close() begins and before
      // Vert.x undeploys anything itself; nested supervisors are stopped by their parents.
      removeCloseHook = VertxCloseHook.register(vertx, this::vertxClosing);
    }
    for (ChildSpec spec : initialSpecs == null ? List.<ChildSpec>of() : initialSpecs) {
      children.put(spec.id(), new Child(spec));
    }
    Context sameLoop = LoopContexts.detachedOn(context);
    return (sameLoop != null ? Future.succeededFuture(sameLoop) : Contexts.detached(vertx, context))
        .compose(launch -> {
          this.incarnations = new Incarnations(context, launch, clock);
          return mailbox.submit(this::startInitialChildren);
        })
        .onSuccess(v -> publish(SupervisorEvent.Type.SUPERVISOR_STARTED, null, null, 0));
  }

  private Future<Void> startInitialChildren() {
    Future<Void> chain = Future.succeededFuture();
    for (Child child : new ArrayList<>(children.values())) {
      chain = chain.compose(v -> startInstance(child)
          .onSuccess(x -> publish(SupervisorEvent.Type.CHILD_STARTED, child, null))
          .recover(err -> {
            publish(SupervisorEvent.Type.START_FAILED, child, ExitReason.failure(err));
            shuttingDown = true;
            return terminateAll().compose(x -> Future.failedFuture(new SupervisorException(SupervisorError.START_FAILED,
                "supervisor '" + name + "': child '" + child.spec.id() + "' failed to start: " + err.getMessage(), err)));
          }));
    }
    return chain;
  }

  /**
   * {@code vertx.close()} has begun: from now on nothing restarts; the children stop in reverse
   * start order as on undeploy. Vert.x undeploys the supervisor itself afterwards, which then
   * finds nothing left to stop.
   */
  private Future<Void> vertxClosing() {
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> {
      vertxClosing = true;
      // A supervisor that exited by itself may still be undeploying itself: the close waits for
      // that too, or Vert.x's own undeploy of it would fail, loudly, as "Already undeployed".
      shutdown().compose(x -> selfUndeploy == null ? Future.<Void>succeededFuture() : selfUndeploy.otherwiseEmpty())
          .onComplete(stopped);
    });
    return stopped.future();
  }

  /** Stops every child in reverse start order; called when the supervisor is undeployed. */
  public Future<Void> shutdown() {
    return mailbox.submit(() -> {
      shuttingDown = true;
      return terminateAll();
    }).onComplete(ar -> {
      ExitReason reason = exitReason != null ? exitReason : ExitReason.shutdown();
      terminated(reason);
    });
  }

  /**
   * Kills every child at once, without their {@code stop} and without waiting for the operation
   * under way: this supervisor was itself killed (brutal kill, or its shutdown timed out).
   * Completes when every child's deployment is gone; then the supervisor counts as terminated
   * (with {@code shutdown}: its parent asked for it), which also frees its name.
   */
  public Future<Void> killAll() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      shuttingDown = true;
      List<Future<?>> kills = new ArrayList<>();
      for (Child child : children.values()) {
        cancelRetry(child);
        ChildHost host = child.host;
        if (host != null && child.starting != null) {
          // Killed before its deploy completed (the kill ends its undeploy at once); undeployed
          // as soon as Vert.x has recorded it.
          host.kill();
          kills.add(child.starting.compose(x -> child.host == host ? incarnations.kill(host, deploymentOf(child))
              : Future.succeededFuture()));
        } else if (host != null) {
          kills.add(incarnations.kill(host, deploymentOf(child)));
        }
      }
      Future.join(kills).onComplete(ar -> {
        terminated(exitReason != null ? exitReason : ExitReason.shutdown());
        done.complete();
      });
    });
    return done.future();
  }

  /**
   * The supervisor's own deployment failed (its name was taken, an option or initial child was
   * invalid, an initial child failed to start): its termination future fails with the cause,
   * without a SUPERVISOR_STOPPED event, since it never started.
   */
  public void deployFailed(Throwable cause) {
    removeCloseHook.run();
    termination.tryFail(cause);
  }

  /**
   * Ends the supervisor once, whichever way it stops (undeploy, or killAll when it was killed):
   * one SUPERVISOR_STOPPED event; the termination future completes with a normal reason or fails
   * with the cause of an abnormal one.
   */
  private void terminated(ExitReason reason) {
    if (termination.future().isComplete()) {
      return;
    }
    if (selfUndeploy == null) {
      removeCloseHook.run();
    } else {
      // kept until the self-undeploy is over: a close meanwhile must wait for it (see vertxClosing)
      selfUndeploy.onComplete(ar -> removeCloseHook.run());
    }
    publish(SupervisorEvent.Type.SUPERVISOR_STOPPED, null, reason, 0);
    if (reason.isAbnormal()) {
      termination.tryFail(reason.cause());
    } else {
      termination.tryComplete(reason);
    }
  }

  // ---------------------------------------------------------------- operations

  /**
   * OTP's {@code start_child/2}. A dynamic supervisor pipelines starts: the mailbox holds the
   * request only while it checks the spec and reserves the id (the child is {@code STARTING}
   * from then on, counts against {@code maxChildren} and answers {@code already_started}), then
   * moves to the next message while the child deploys; the returned future follows the deploy.
   * A static supervisor holds the mailbox until the child has started, as OTP does.
   */
  public Future<String> startChild(ChildSpec spec) {
    return submitHolding(result -> {
      SpecValidator.validate(spec, options.getAutoShutdown());
      if (spec.supplier() == null) {
        SpecValidator.verticleClass(spec); // a class that does not exist is a bad spec, not a failed start
      }
      Child existing = children.get(spec.id());
      if (existing != null) {
        // OTP: already_started only when the child has a live process (or one being started);
        // a stopped child, or one waiting for its restart, is already_present.
        if (existing.status == ChildStatus.STOPPED || existing.status == ChildStatus.RESTARTING) {
          throw error(SupervisorError.ALREADY_PRESENT, "child '" + spec.id() + "' is already present ("
              + existing.status.name().toLowerCase() + ")");
        }
        throw error(SupervisorError.ALREADY_STARTED, "child '" + spec.id() + "' is already started");
      }
      kind.checkRoom(children.size(), name);
      Child child = new Child(spec);
      children.put(spec.id(), child);
      Future<Void> started = startInstance(child).transform(ar -> {
        // Waiters on the start (stops, exits) run after this, once it has recorded the outcome.
        child.starting = null;
        if (ar.failed()) {
          children.remove(spec.id(), child);
          publish(SupervisorEvent.Type.START_FAILED, child, ExitReason.failure(ar.cause()));
          result.fail(startFailed(spec.id(), ar.cause()));
          return Future.succeededFuture();
        }
        publish(SupervisorEvent.Type.CHILD_STARTED, child, null);
        if (shuttingDown && kind.pipelinesStarts()) {
          // The shutdown began while this child deployed: it is stopped with the others (the
          // shutdown waits for its start), and its caller learns that rather than a dead id.
          result.fail(error(SupervisorError.SHUTTING_DOWN, "supervisor '" + name + "' is shutting down"));
        } else {
          result.complete(spec.id());
        }
        return Future.succeededFuture();
      });
      if (!kind.pipelinesStarts()) {
        return started;
      }
      if (!started.isComplete()) {
        child.starting = started;
      }
      return Future.succeededFuture();
    });
  }

  /** OTP's {@code terminate_child/2}. */
  public Future<Void> terminateChild(String id) {
    return submit(() -> terminate(find(id)));
  }

  /** Stops a child for terminateChild(ren), forgetting it when this kind of supervisor forgets stopped children. */
  private Future<Void> terminate(Child child) {
    return stopInstance(child).onComplete(ar -> {
      if (kind.forgets(child.spec)) {
        children.remove(child.spec.id(), child);
      }
    });
  }

  /**
   * Several {@code terminateChild}s as one mailbox message: every id is looked up first (an
   * unknown one fails the call with {@code NOT_FOUND} and stops nothing), then the children stop
   * concurrently, as a dynamic supervisor's shutdown stops them. Completes when all have stopped.
   */
  public Future<Void> terminateChildren(java.util.Collection<String> ids) {
    return submit(() -> {
      List<Child> found = new ArrayList<>();
      for (String id : new java.util.LinkedHashSet<>(ids)) {
        found.add(find(id));
      }
      return Future.join(found.stream().map(this::terminate).toList()).mapEmpty();
    });
  }

  /** OTP's {@code restart_child/2}. */
  public Future<Void> restartChild(String id) {
    return submit(() -> {
      unsupportedIfDynamic("restartChild");
      Child child = find(id);
      checkStopped(child);
      return startInstance(child)
          .onSuccess(v -> publish(SupervisorEvent.Type.CHILD_STARTED, child, null))
          .recover(err -> {
            publish(SupervisorEvent.Type.START_FAILED, child, ExitReason.failure(err));
            return Future.failedFuture(startFailed(id, err));
          });
    });
  }

  /** OTP's {@code delete_child/2}. */
  public Future<Void> deleteChild(String id) {
    return submit(() -> {
      unsupportedIfDynamic("deleteChild");
      Child child = find(id);
      checkStopped(child);
      children.remove(id);
      // A stopped child may still keep its deployment for a restart in place (a sibling retired
      // by a group restart that waits for its backoff): a deleted child keeps nothing.
      return child.host != null && child.host.vacant() ? stopInstance(child, false) : Future.succeededFuture();
    });
  }

  /** OTP's {@code which_children/1}, answered at once. */
  public Future<List<ChildInfo>> whichChildren() {
    return read(() -> {
      List<ChildInfo> infos = new ArrayList<>(children.size());
      for (Child c : children.values()) {
        infos.add(new ChildInfo(c.spec.id(), c.status, c.spec.type(), c.spec.restart(), c.deploymentId,
            c.restartCount, c.lastExit, nestedName(c)));
      }
      return infos;
    });
  }

  /** OTP's {@code count_children/1}, answered at once. */
  public Future<ChildCount> countChildren() {
    return read(() -> {
      int active = 0;
      int supervisors = 0;
      for (Child c : children.values()) {
        if (c.status == ChildStatus.RUNNING || c.status == ChildStatus.TERMINATING) {
          active++;
        }
        if (c.spec.type() == ChildType.SUPERVISOR) {
          supervisors++;
        }
      }
      return new ChildCount(children.size(), active, supervisors, children.size() - supervisors);
    });
  }

  /** OTP's {@code get_childspec/2}, answered at once. */
  public Future<ChildSpec> getChildSpec(String id) {
    return read(() -> find(id).spec);
  }

  // ---------------------------------------------------------------- accessors

  /** @return the supervisor's name */
  public String name() {
    return name;
  }

  /** @return the options in force */
  public SupervisorOptions options() {
    return options;
  }

  /** @return restarts counted against the intensity now */
  public int intensityUsed() {
    return intensity == null ? 0 : intensity.used(clock.getAsLong());
  }

  /** @return completes with the reason the supervisor stopped, or fails with the cause of an abnormal exit */
  public Future<ExitReason> termination() {
    return termination.future();
  }

  /** Adds a local listener of lifecycle events; it runs on the supervisor's context. */
  public void addListener(Handler<SupervisorEvent> listener) {
    events.addListener(listener);
  }

  /** Removes a local listener. */
  public void removeListener(Handler<SupervisorEvent> listener) {
    events.removeListener(listener);
  }

  // ---------------------------------------------------------------- starting and stopping

  private Future<Void> startInstance(Child child) {
    if (child.host != null && child.host.vacant()) {
      return reincarnate(child);
    }
    ChildSpec spec = child.spec;
    long incarnation = ++child.incarnation;
    child.lastDeploymentId = null;
    Deployable instance;
    try {
      instance = instantiate(spec);
    } catch (Throwable t) {
      child.status = ChildStatus.STOPPED;
      return Future.failedFuture(t);
    }
    ChildHost host = new ChildHost(instance, spec.id(), name, incarnation, spec.shutdown(), this::onExit,
        options.getChildLoop() == ChildLoop.SUPERVISOR ? context : null);
    child.host = host;
    child.status = ChildStatus.STARTING;
    return incarnations.deploy(host, kind.deploymentOptions(spec)).transform(ar -> {
      if (ar.failed()) {
        child.host = null;
        child.status = ChildStatus.STOPPED;
        return Future.failedFuture(ar.cause());
      }
      child.deploymentId = ar.result();
      child.lastDeploymentId = ar.result();
      child.status = ChildStatus.RUNNING;
      child.startedAt = clock.getAsLong();
      return Future.succeededFuture();
    });
  }

  /**
   * Restarts a child in place: a fresh instance from the spec starts in the deployment its
   * retired incarnation left vacant (see {@link ChildHost#reincarnate}). A failed start leaves the
   * host vacant, so the retry restarts in place again, or a stop undeploys it.
   */
  private Future<Void> reincarnate(Child child) {
    ChildHost host = child.host;
    long incarnation = ++child.incarnation;
    Deployable instance;
    try {
      instance = instantiate(child.spec);
    } catch (Throwable t) {
      child.status = ChildStatus.STOPPED;
      return Future.failedFuture(t);
    }
    child.status = ChildStatus.STARTING;
    return Contexts.on(context, host.reincarnate(instance, incarnation)).transform(ar -> {
      if (ar.failed()) {
        child.status = ChildStatus.STOPPED;
        return Future.failedFuture(ar.cause());
      }
      child.deploymentId = ar.result();
      child.lastDeploymentId = ar.result();
      child.status = ChildStatus.RUNNING;
      child.startedAt = clock.getAsLong();
      return Future.succeededFuture();
    });
  }

  /**
   * @return the deployment of the child's host: its running incarnation's, or the one a host
   *     restarted in place keeps (vacant, or with a fresh incarnation still starting in it: a kill
   *     then must not take it for a deploy that never happened)
   */
  private static String deploymentOf(Child child) {
    if (child.deploymentId != null) {
      return child.deploymentId;
    }
    ChildHost host = child.host;
    if (host == null) {
      return null;
    }
    if (host.vacant()) {
      return host.deploymentId();
    }
    // lastDeploymentId is cleared when a fresh host is deployed, kept across in-place incarnations
    return child.lastDeploymentId != null && child.lastDeploymentId.equals(host.deploymentId()) ? child.lastDeploymentId : null;
  }

  private static Deployable instantiate(ChildSpec spec) throws Exception {
    if (spec.supplier() != null) {
      Deployable d = spec.supplier().get();
      if (d == null) {
        throw new IllegalStateException("the supplier of child '" + spec.id() + "' returned null");
      }
      return d;
    }
    // Checked before its static initializers can run; only newInstance initializes it.
    return SpecValidator.verticleClass(spec).getConstructor().newInstance();
  }

  /**
   * Stops the current incarnation with the spec's shutdown; never fails (errors become events).
   * {@code announce} publishes CHILD_TERMINATED: the supervisor stopped a running child, as
   * opposed to cleaning up after a child that already exited.
   */
  private Future<Void> stopInstance(Child child) {
    return stopInstance(child, true);
  }

  private Future<Void> stopInstance(Child child, boolean announce) {
    if (child.starting != null) {
      // Its deployment is under way: stopping now would leave it running, unowned.
      return child.starting.compose(v -> stopInstance(child, announce));
    }
    cancelRetry(child);
    if (child.status == ChildStatus.RESTARTING) {
      child.status = ChildStatus.STOPPED;
    }
    String deployment = deploymentOf(child);
    if (child.host == null || deployment == null) {
      child.status = ChildStatus.STOPPED;
      child.host = null;
      return Future.succeededFuture();
    }
    ChildHost host = child.host;
    // a vacant host (between two in-place incarnations) runs no child: its undeploy is no termination
    boolean running = !host.vacant();
    child.status = ChildStatus.TERMINATING;
    return stopped(child, host, incarnations.undeploy(host, deployment, child.spec.shutdown()), announce && running);
  }

  /**
   * Records the end of a stop of {@code host} (see {@link Incarnations#stop}): the child is
   * stopped; a stop that failed or timed out becomes a {@code SHUTDOWN_ERROR} event. Never fails.
   */
  private Future<Void> stopped(Child child, ChildHost host, Future<Incarnations.Stop> stopping, boolean announce) {
    return stopping.map(stop -> {
      if (child.host == host) {
        child.status = ChildStatus.STOPPED;
        child.host = null;
        child.deploymentId = null;
      }
      if (announce) {
        publish(SupervisorEvent.Type.CHILD_TERMINATED, child, ExitReason.shutdown());
      }
      if (stop.timedOut()) {
        publish(SupervisorEvent.Type.SHUTDOWN_ERROR, child, ExitReason.failure(new TimeoutException("child '"
            + child.spec.id() + "' did not stop within " + child.spec.shutdown().timeout().toMillis() + " ms and was killed")));
      } else if (stop.failure() != null) {
        publish(SupervisorEvent.Type.SHUTDOWN_ERROR, child, ExitReason.failure(stop.failure()));
      }
      return null;
    });
  }

  private Future<Void> terminateAll() {
    List<Child> reverse = new ArrayList<>(children.values());
    Collections.reverse(reverse);
    if (kind.stopsAllAtOnce()) {
      List<Future<Void>> all = new ArrayList<>();
      for (Child c : reverse) {
        all.add(stopInstance(c));
      }
      return Future.join(all).mapEmpty();
    }
    Future<Void> chain = Future.succeededFuture();
    for (Child c : reverse) {
      chain = chain.compose(v -> stopInstance(c));
    }
    return chain;
  }

  // ---------------------------------------------------------------- exits and restarts

  private void onExit(ChildHost host, ExitReason reason, boolean undeploying) {
    // A host serves several incarnations when restarted in place: the report names the one it is
    // about, so a report that waited in the mailbox while a group restart retired and
    // reincarnated that child is recognised as stale (OTP flushes the old pid's EXIT likewise).
    long incarnation = host.incarnation();
    context.runOnContext(v -> mailbox.submit(() -> handleExit(host, incarnation, reason, undeploying)));
  }

  private Future<Void> handleExit(ChildHost host, long incarnation, ExitReason reason, boolean undeploying) {
    Child child = children.get(host.id());
    if (child != null && child.host == host && child.starting != null) {
      // The exit overtook the news that its pipelined start succeeded: take it in that order.
      return child.starting.compose(v -> handleExit(host, incarnation, reason, undeploying));
    }
    if (child == null || child.host != host || child.incarnation != incarnation || host.vacant()
        || child.status == ChildStatus.TERMINATING || shuttingDown) {
      // A stale report (a vacant host runs no incarnation), or an exit the supervisor itself
      // caused: the stopping code owns it.
      return Future.succeededFuture();
    }
    if (vertxClosing) {
      // Vert.x is closing (it may be undeploying this child itself): no restart; the shutdown
      // that the close runs stops what is left, quietly.
      return Future.succeededFuture();
    }
    child.lastExit = reason;
    publish(SupervisorEvent.Type.CHILD_EXITED, child, reason);
    Future<Void> gone;
    if (undeploying) {
      // The child's own undeploy is under way; its stop gets the spec's shutdown like any other,
      // or a hanging stop would hold the supervisor's mailbox forever.
      child.status = ChildStatus.TERMINATING;
      String old = child.deploymentId;
      // Hop to the supervisor's context first: a timer set from the child's context would die with it.
      gone = stopped(child, host, incarnations.stop(host, child.spec.shutdown(),
          () -> Contexts.on(context, host.stopped()).eventually(() -> incarnations.gone(old))), false);
    } else if (host.canRestartInPlace() && Strategies.shouldRestart(child.spec.restart(), reason)) {
      // It will be restarted unless the restart is refused (intensity): keep its deployment for
      // a restart in place; a refusal stops the vacant deployment like any child.
      gone = retire(child, host, reason);
    } else {
      gone = stopInstance(child, false);
    }
    return gone.compose(v -> afterExit(child, reason));
  }

  /**
   * Retires the exited incarnation of a child that can restart in place: its deployment stays,
   * vacant, until the restart reincarnates it or a stop undeploys it. If retiring fails, the
   * child is stopped as usual (redeployed on restart).
   */
  private Future<Void> retire(Child child, ChildHost host, ExitReason reason) {
    child.status = ChildStatus.TERMINATING;
    return Contexts.on(context, host.retire(reason)).transform(ar -> {
      if (ar.failed() || !host.vacant()) {
        return stopInstance(child, false);
      }
      child.status = ChildStatus.STOPPED;
      child.deploymentId = null;
      return Future.succeededFuture();
    });
  }

  private Future<Void> afterExit(Child child, ExitReason reason) {
    if (!Strategies.shouldRestart(child.spec.restart(), reason)) {
      if (kind.forgets(child.spec)) {
        children.remove(child.spec.id());
      }
      return autoShutdown(child);
    }
    return restart(child);
  }

  private Future<Void> restart(Child child) {
    if (shuttingDown || vertxClosing) {
      return Future.succeededFuture();
    }
    if (!intensity.recordRestart(clock.getAsLong())) {
      return maxIntensity(child);
    }
    List<String> affected = kind.affected(options, new ArrayList<>(children.keySet()), child.spec.id());
    List<Child> group = new ArrayList<>();
    for (String id : affected) {
      group.add(children.get(id));
    }
    Future<Void> stopped = Future.succeededFuture();
    for (int i = group.size() - 1; i >= 0; i--) {
      Child sibling = group.get(i);
      if (sibling != child) {
        stopped = stopped.compose(v -> stopSibling(sibling).onComplete(ar -> {
          if (sibling.spec.restart() == RestartType.TEMPORARY) {
            children.remove(sibling.spec.id());
          }
        }));
      }
    }
    return stopped.compose(v -> {
      child.status = ChildStatus.RESTARTING;
      Backoff backoff = options.getBackoff();
      child.consecutiveRestarts = Strategies.nextConsecutiveRestart(child.consecutiveRestarts,
          clock.getAsLong() - child.startedAt, backoff.resetAfter().toMillis());
      long delay = backoff.delayMillis(child.consecutiveRestarts, ThreadLocalRandom.current()::nextDouble);
      if (delay <= 0) {
        return startGroup(group, child);
      }
      child.retryTimer = vertx.setTimer(delay, t -> {
        child.retryTimer = -1;
        mailbox.submit(() -> child.status == ChildStatus.RESTARTING && !shuttingDown && !vertxClosing
            ? startGroup(group, child) : Future.succeededFuture());
      });
      return Future.succeededFuture();
    });
  }

  /**
   * Stops a sibling for a group restart: a running child that can restart in place is retired
   * (its {@code terminate} runs with {@code shutdown}, its deployment stays for the restart that
   * follows); any other is stopped. Either way a {@code CHILD_TERMINATED} event.
   */
  private Future<Void> stopSibling(Child sibling) {
    ChildHost host = sibling.host;
    if (host != null && sibling.status == ChildStatus.RUNNING && sibling.spec.restart() != RestartType.TEMPORARY
        && host.canRestartInPlace()) {
      return retire(sibling, host, ExitReason.shutdown())
          .onComplete(ar -> publish(SupervisorEvent.Type.CHILD_TERMINATED, sibling, ExitReason.shutdown()));
    }
    return stopInstance(sibling);
  }

  /** Starts the group in start order; on the first failure, marks that child and queues a retry. */
  private Future<Void> startGroup(List<Child> group, Child failed) {
    Future<Void> chain = Future.succeededFuture();
    for (Child member : group) {
      chain = chain.compose(v -> {
        if (children.get(member.spec.id()) != member || member.isLive()) {
          return Future.succeededFuture();
        }
        return startInstance(member).transform(ar -> {
          if (ar.succeeded()) {
            member.restartCount++;
            publish(SupervisorEvent.Type.CHILD_RESTARTED, member, null);
            return Future.succeededFuture();
          }
          if (vertxClosing || isVertxClosed(ar.cause())) {
            vertxClosing = true;
            return Future.failedFuture(ar.cause());
          }
          member.status = ChildStatus.RESTARTING;
          member.lastExit = ExitReason.failure(ar.cause());
          publish(SupervisorEvent.Type.START_FAILED, member, member.lastExit);
          context.runOnContext(x -> mailbox.submit(() -> retry(member)));
          return Future.failedFuture(ar.cause());
        });
      });
    }
    // Members after a failed one were not started: a deployment kept for their restart in place
    // is stopped, so no stopped child keeps a consumer and a name (the retry redeploys them).
    return chain.recover(err -> {
      Future<Void> released = Future.succeededFuture();
      for (Child member : group) {
        if (member.status == ChildStatus.STOPPED && member.host != null && member.host.vacant()) {
          released = released.compose(v -> stopInstance(member, false));
        }
      }
      return released;
    }).otherwiseEmpty();
  }

  private Future<Void> retry(Child child) {
    if (children.get(child.spec.id()) != child || child.status != ChildStatus.RESTARTING || shuttingDown || vertxClosing) {
      return Future.succeededFuture();
    }
    return restart(child);
  }

  private Future<Void> maxIntensity(Child child) {
    SupervisorException cause = new SupervisorException(SupervisorError.MAX_INTENSITY, "supervisor '" + name
        + "' reached its maximum restart intensity (" + options.getIntensity() + " in " + options.getPeriod().toMillis()
        + " ms) restarting child '" + child.spec.id() + "'");
    events.logMaxIntensity(cause.getMessage());
    publish(SupervisorEvent.Type.MAX_INTENSITY_REACHED, child, ExitReason.failure(cause));
    child.status = ChildStatus.STOPPED;
    return exit(ExitReason.failure(cause));
  }

  private Future<Void> autoShutdown(Child child) {
    int significantRunning = 0;
    for (Child c : children.values()) {
      if (c.spec.significant() && c.status != ChildStatus.STOPPED) {
        significantRunning++;
      }
    }
    return Strategies.shouldAutoShutdown(options.getAutoShutdown(), child.spec.significant(), significantRunning)
        ? exit(ExitReason.shutdown())
        : Future.succeededFuture();
  }

  /** Stops all children, then leaves: to the parent supervisor if any, else by undeploying. */
  private Future<Void> exit(ExitReason reason) {
    shuttingDown = true;
    exitReason = reason;
    return terminateAll().onComplete(ar -> {
      if (parent != null) {
        parent.exit(reason);
      } else {
        String self = context.deploymentID();
        if (self != null) {
          selfUndeploy = vertx.undeploy(self);
        }
      }
    });
  }

  // ---------------------------------------------------------------- helpers

  private <T> Future<T> submit(Supplier<Future<T>> op) {
    return submitHolding(result -> {
      Future<T> f = op.get();
      f.onComplete(result);
      return f;
    });
  }

  /**
   * Queues {@code op} in the mailbox: it gets the promise of the caller's result and returns
   * what holds the mailbox; the next message runs once that completes, whether or not the
   * result has. What {@code op} throws fails the result.
   */
  private <T> Future<T> submitHolding(Function<Promise<T>, Future<?>> op) {
    if (context == null) {
      return Future.failedFuture(new IllegalStateException("the supervisor is not deployed yet"));
    }
    Context caller = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    Runnable enqueue = () -> {
      if (shuttingDown) {
        result.fail(error(SupervisorError.SHUTTING_DOWN, "supervisor '" + name + "' is shutting down"));
        return;
      }
      mailbox.submit(() -> {
        if (shuttingDown) {
          result.fail(error(SupervisorError.SHUTTING_DOWN, "supervisor '" + name + "' is shutting down"));
          return Future.succeededFuture();
        }
        try {
          return op.apply(result);
        } catch (Throwable t) {
          result.tryFail(t);
          return Future.succeededFuture();
        }
      });
    };
    runOnSupervisor(enqueue);
    return caller == null || caller == context ? result.future() : Contexts.on(caller, result.future());
  }

  private <T> Future<T> read(Supplier<T> query) {
    if (context == null) {
      return Future.failedFuture(new IllegalStateException("the supervisor is not deployed yet"));
    }
    if (termination.future().isComplete()) {
      // Stopped: no state to answer from, as a call to a dead OTP supervisor exits (noproc).
      return Future.failedFuture(error(SupervisorError.SHUTTING_DOWN, "supervisor '" + name + "' has stopped"));
    }
    Context caller = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    runOnSupervisor(() -> {
      try {
        result.complete(query.get());
      } catch (Throwable t) {
        result.fail(t);
      }
    });
    return caller == null || caller == context ? result.future() : Contexts.on(caller, result.future());
  }

  private void runOnSupervisor(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private Child find(String id) {
    Child child = id == null ? null : children.get(id);
    if (child == null) {
      throw error(SupervisorError.NOT_FOUND, "supervisor '" + name + "' has no child '" + id + "'");
    }
    return child;
  }

  private void checkStopped(Child child) {
    if (child.status == ChildStatus.RESTARTING) {
      throw error(SupervisorError.RESTARTING, "child '" + child.spec.id() + "' is restarting");
    }
    if (child.status != ChildStatus.STOPPED) {
      throw error(SupervisorError.RUNNING, "child '" + child.spec.id() + "' is running");
    }
  }

  private void unsupportedIfDynamic(String operation) {
    kind.checkSupported(operation);
  }

  private void cancelRetry(Child child) {
    if (child.retryTimer >= 0) {
      vertx.cancelTimer(child.retryTimer);
      child.retryTimer = -1;
    }
  }

  private static String nestedName(Child child) {
    ChildHost host = child.host;
    if (host != null && host.delegate() instanceof SupervisorRef nested) {
      return nested.name();
    }
    return null;
  }

  private SupervisorException startFailed(String id, Throwable cause) {
    return new SupervisorException(SupervisorError.START_FAILED, "child '" + id + "' failed to start: " + cause.getMessage(), cause);
  }

  private static SupervisorException error(SupervisorError error, String message) {
    return new SupervisorException(error, message);
  }

  private static boolean isVertxClosed(Throwable t) {
    return VertxFailures.isVertxClosed(t);
  }

  private String restartTypeOf(String id) {
    Child c = children.get(id);
    return c == null ? null : c.spec.restart().name().toLowerCase();
  }

  private void publish(SupervisorEvent.Type type, Child child, ExitReason reason) {
    publish(type, child == null ? null : child.spec.id(), reason, child == null ? 0 : child.restartCount,
        child == null ? null : child.deploymentId != null ? child.deploymentId : child.lastDeploymentId);
  }

  private void publish(SupervisorEvent.Type type, String childId, ExitReason reason, int restartCount) {
    publish(type, childId, reason, restartCount, null);
  }

  private void publish(SupervisorEvent.Type type, String childId, ExitReason reason, int restartCount, String deploymentId) {
    if (vertxClosing) {
      events.busClosing();
    }
    events.publish(type, childId, childId == null ? null : restartTypeOf(childId), reason, restartCount, deploymentId);
  }
}
