package dev.overseer;

import dev.overseer.impl.ControlEndpoint;
import dev.overseer.impl.SupervisorEngine;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link Supervisor} and {@link DynamicSupervisor} share: a {@link Deployable} that starts,
 * watches and restarts children, with OTP's operations, each returning a {@link Future} that
 * fails with a {@link SupervisorException}. Operations may be called from any thread or
 * context; they run one at a time on the supervisor's context, and their futures complete on the
 * caller's context. {@code whichChildren}, {@code countChildren} and {@code getChildSpec} answer
 * at once, even while another operation is under way.
 *
 * <p>Deploy an instance once ({@code vertx.deployVerticle(supervisor)}, or as a child with
 * {@link ChildSpec#supervisor}); a supervisor is not restarted in place: its parent starts a
 * fresh instance from the spec's supplier.
 */
public abstract sealed class SupervisorBase implements Deployable, SupervisorRef permits Supervisor, DynamicSupervisor {

  /** The {@link NameRecord#kind()} supervisors register their names with. */
  public static final String KIND = "supervisor";

  /** The local object index: name to the supervisor object in this JVM, for {@link #lookup}. */
  private static final String LOCAL_INDEX = "dev.overseer.supervisors";

  private static final AtomicLong NAMES = new AtomicLong();

  /** A {@link Shareable} wrapper, so the index may live in a Vert.x local map (cleared on close). */
  private static final class Indexed implements Shareable {
    final SupervisorBase supervisor;

    Indexed(SupervisorBase supervisor) {
      this.supervisor = supervisor;
    }
  }

  final SupervisorEngine engine;
  private volatile Vertx vertx;
  private volatile String deploymentId;
  private ControlEndpoint control;
  private volatile String registeredName;
  private NameRegistry registry;
  private NameRecord record;

  SupervisorBase(SupervisorEngine engine) {
    this.engine = engine;
  }

  /**
   * Registers the name with {@link Overseer#nameRegistry} (which decides uniqueness), indexes
   * this object locally, starts the children, then opens the control address: a
   * {@code localConsumer} when the registry's names are unique in this Vert.x only, a clustered
   * {@code consumer} when they are unique cluster-wide.
   */
  @Override
  public final Future<?> deploy(Context context) {
    if (vertx != null) {
      return Future.failedFuture(new IllegalStateException("a supervisor instance can be deployed once"));
    }
    vertx = context.owner();
    deploymentId = context.deploymentID();
    String wanted = engine.options().getName() != null ? engine.options().getName() : defaultName(context);
    registry = Overseer.nameRegistry(vertx);
    NameRecord mine = new NameRecord(wanted, KIND, Overseer.nodeId(vertx), deploymentId);
    String address = engine.options().getControlAddress() != null
        ? engine.options().getControlAddress()
        : SupervisorOptions.CONTROL_ADDRESS_PREFIX + wanted;
    Future<?> started = registry.register(mine)
        .recover(err -> Future.failedFuture(new SupervisorException(SupervisorError.INVALID_SPEC,
            "name: a supervisor named '" + wanted + "' is already running (" + err.getMessage() + ")", err)))
        .compose(v -> {
          record = mine;
          registeredName = wanted;
          index(vertx).put(wanted, new Indexed(this));
          control = new ControlEndpoint(this, options());
          // A killed nested supervisor is never undeployed through undeploy(): its name is freed when it terminates.
          engine.termination().onComplete(ar -> release(ar.failed()));
          return engine.start(context, wanted);
        })
        .compose(v -> control.register(vertx, address, registry.clusterWide()));
    return started.onFailure(err -> {
      release(true);
      engine.deployFailed(err);
    });
  }

  /**
   * The name of a supervisor whose options name none: {@code parent/childId} when it is a child
   * of another supervisor, so every incarnation of that child has the same name (OTP's
   * registered names of a tree's parts stay put across restarts); else a generated one.
   */
  private String defaultName(Context context) {
    return ChildHandle.of(context)
        .map(h -> h.supervisorName() + "/" + h.id())
        .orElseGet(() -> (this instanceof DynamicSupervisor ? "dynamic-supervisor-" : "supervisor-") + NAMES.incrementAndGet());
  }

  @Override
  public final Future<?> undeploy(Context context) {
    return engine.shutdown().eventually(() -> release(false));
  }

  /**
   * Frees the name. After an abnormal exit the name is only vacated: the parent is likely to
   * start a fresh incarnation under the same name, and callers should wait for it.
   */
  private synchronized Future<Void> release(boolean abnormal) {
    if (registeredName != null) {
      index(vertx).removeIfPresent(registeredName, indexed(registeredName));
    }
    Future<Void> names = Future.succeededFuture();
    if (record != null) {
      names = abnormal ? registry.vacate(record) : registry.unregister(record);
      record = null;
    }
    Future<Void> consumer = control == null ? Future.succeededFuture() : control.unregister();
    return Future.join(names, consumer).mapEmpty();
  }

  private Indexed indexed(String name) {
    Indexed held = index(vertx).get(name);
    return held != null && held.supervisor == this ? held : new Indexed(this);
  }

  private static LocalMap<String, Indexed> index(Vertx vertx) {
    return vertx.sharedData().getLocalMap(LOCAL_INDEX);
  }

  /**
   * Stops the supervisor: its children in reverse start order, each with its shutdown, then the
   * supervisor itself. Same as undeploying it.
   *
   * @return completes when everything has stopped
   */
  public Future<Void> shutdown() {
    if (deploymentId == null) {
      return Future.failedFuture(new IllegalStateException("the supervisor is not deployed"));
    }
    return vertx.undeploy(deploymentId);
  }

  /**
   * Adds a child and starts it, as OTP's {@code start_child/2}. Fails with
   * {@link SupervisorError#INVALID_SPEC}, {@link SupervisorError#ALREADY_STARTED},
   * {@link SupervisorError#ALREADY_PRESENT}, {@link SupervisorError#MAX_CHILDREN} or
   * {@link SupervisorError#START_FAILED} (then the spec is not kept).
   *
   * @param spec the child spec
   * @return the child's id
   */
  @Override
  public Future<String> startChild(ChildSpec spec) {
    return engine.startChild(spec);
  }

  /**
   * Stops a child with its shutdown and keeps its spec (a temporary child's spec, and any child
   * of a dynamic supervisor, is deleted), as OTP's {@code terminate_child/2}. Cancels a pending
   * restart. Fails with {@link SupervisorError#NOT_FOUND}.
   *
   * @param id the child's id
   * @return completes when done, or fails with the reason
   */
  @Override
  public Future<Void> terminateChild(String id) {
    return engine.terminateChild(id);
  }

  /**
   * Starts a stopped child again from its spec, as OTP's {@code restart_child/2}. Fails with
   * {@link SupervisorError#NOT_FOUND}, {@link SupervisorError#RUNNING},
   * {@link SupervisorError#RESTARTING}, {@link SupervisorError#START_FAILED} or, for a dynamic
   * supervisor, {@link SupervisorError#UNSUPPORTED}.
   *
   * @param id the child's id
   * @return completes when done, or fails with the reason
   */
  @Override
  public Future<Void> restartChild(String id) {
    return engine.restartChild(id);
  }

  /**
   * Forgets a stopped child's spec, as OTP's {@code delete_child/2}. Fails with
   * {@link SupervisorError#NOT_FOUND}, {@link SupervisorError#RUNNING},
   * {@link SupervisorError#RESTARTING} or, for a dynamic supervisor,
   * {@link SupervisorError#UNSUPPORTED}.
   *
   * @param id the child's id
   * @return completes when done, or fails with the reason
   */
  @Override
  public Future<Void> deleteChild(String id) {
    return engine.deleteChild(id);
  }

  /** @return every child in start order (OTP lists the newest first), as OTP's {@code which_children/1}; fails with {@link SupervisorError#SHUTTING_DOWN} once stopped */
  @Override
  public Future<List<ChildInfo>> whichChildren() {
    return engine.whichChildren();
  }

  /** @return counts of children, as OTP's {@code count_children/1} */
  @Override
  public Future<ChildCount> countChildren() {
    return engine.countChildren();
  }

  /**
   * @param id the child's id
   * @return a child's spec, as OTP's {@code get_childspec/2}; fails with {@link SupervisorError#NOT_FOUND}
   */
  @Override
  public Future<ChildSpec> getChildSpec(String id) {
    return engine.getChildSpec(id);
  }

  /**
   * Adds a listener of this supervisor's lifecycle events. It runs on the supervisor's context
   * and must not block; a listener that throws is logged and skipped.
   *
   * @param listener the listener
   * @return this
   */
  public SupervisorBase addListener(Handler<SupervisorEvent> listener) {
    engine.addListener(listener);
    return this;
  }

  /**
   * Removes a listener added with {@link #addListener}.
   *
   * @param listener the listener
   * @return this
   */
  public SupervisorBase removeListener(Handler<SupervisorEvent> listener) {
    engine.removeListener(listener);
    return this;
  }

  /** @return the name: the configured one, or a generated one once deployed */
  @Override
  public String name() {
    return registeredName != null ? registeredName : engine.options().getName();
  }

  /** @return the node this supervisor runs on ({@link Overseer#nodeId}), or {@code null} before deployment */
  @Override
  public String nodeId() {
    return vertx == null ? null : Overseer.nodeId(vertx);
  }

  /**
   * @return the supervisor's kind, flags and intensity used; fails as the read operations do
   *     before deployment and after the supervisor stopped
   */
  @Override
  public Future<SupervisorDescription> describe() {
    SupervisorDescription.Kind kind = this instanceof DynamicSupervisor ? SupervisorDescription.Kind.DYNAMIC : SupervisorDescription.Kind.STATIC;
    return engine.countChildren().map(ignored -> new SupervisorDescription(name(), nodeId(), kind, intensityUsed(), options()));
  }

  /** @return the Vert.x deployment id, or {@code null} before deployment */
  public String deploymentId() {
    return deploymentId;
  }

  /** @return a copy of the options in force */
  public SupervisorOptions options() {
    SupervisorOptions o = engine.options();
    return o instanceof DynamicSupervisorOptions ? new DynamicSupervisorOptions((DynamicSupervisorOptions) o) : new SupervisorOptions(o);
  }

  /** @return restarts that count against the intensity right now (at most intensity + 1) */
  public int intensityUsed() {
    return engine.intensityUsed();
  }

  /**
   * @return completes with {@link ExitReason#shutdown()} when the supervisor has stopped normally
   *     (undeployed, or auto-shutdown); fails with the cause when it exited abnormally: a
   *     {@link SupervisorException} with {@link SupervisorError#MAX_INTENSITY} when it gave up
   *     after too many restarts
   */
  public Future<ExitReason> terminationFuture() {
    return engine.termination();
  }

  /**
   * @param vertx a Vert.x instance
   * @param name a supervisor's name
   * @return the running supervisor of that name in {@code vertx}
   */
  public static Optional<SupervisorBase> lookup(Vertx vertx, String name) {
    Indexed held = name == null ? null : index(vertx).get(name);
    return held == null ? Optional.empty() : Optional.of(held.supervisor);
  }

  /**
   * @param vertx the Vert.x instance
   * @return every supervisor running in {@code vertx}, nested ones included
   */
  public static List<SupervisorBase> all(Vertx vertx) {
    List<SupervisorBase> all = new ArrayList<>();
    for (Indexed held : index(vertx).values()) {
      all.add(held.supervisor);
    }
    return all;
  }
}
