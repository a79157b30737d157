package dev.overseer;

import dev.overseer.impl.ControlEndpoint;
import dev.overseer.impl.Registry;
import dev.overseer.impl.SupervisorEngine;
import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

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
public abstract sealed class SupervisorBase implements Deployable permits Supervisor, DynamicSupervisor {

  private static final AtomicLong NAMES = new AtomicLong();

  final SupervisorEngine engine;
  private volatile Vertx vertx;
  private volatile String deploymentId;
  private ControlEndpoint control;
  private String registeredName;

  SupervisorBase(SupervisorEngine engine) {
    this.engine = engine;
  }

  @Override
  public final Future<?> deploy(Context context) {
    if (vertx != null) {
      return Future.failedFuture(new IllegalStateException("a supervisor instance can be deployed once"));
    }
    vertx = context.owner();
    deploymentId = context.deploymentID();
    String generated = (this instanceof DynamicSupervisor ? "dynamic-supervisor-" : "supervisor-") + NAMES.incrementAndGet();
    String wanted = engine.options().getName() != null ? engine.options().getName() : generated;
    if (!Registry.SUPERVISORS.register(vertx, wanted, this)) {
      return Future.failedFuture(new SupervisorException(SupervisorError.INVALID_SPEC,
          "name: a supervisor named '" + wanted + "' is already running"));
    }
    registeredName = wanted;
    control = new ControlEndpoint(this);
    String address = engine.options().getControlAddress() != null
        ? engine.options().getControlAddress()
        : SupervisorOptions.CONTROL_ADDRESS_PREFIX + wanted;
    // A killed nested supervisor is never undeployed through undeploy(): its name is freed when it terminates.
    engine.termination().onComplete(ar -> release());
    return engine.start(context, wanted)
        .compose(v -> control.register(vertx, address))
        .onFailure(err -> release());
  }

  @Override
  public final Future<?> undeploy(Context context) {
    return engine.shutdown().eventually(this::release);
  }

  private Future<Void> release() {
    Registry.SUPERVISORS.unregister(vertx, registeredName, this);
    return control == null ? Future.succeededFuture() : control.unregister();
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
  public Future<Void> deleteChild(String id) {
    return engine.deleteChild(id);
  }

  /** @return every child in start order, as OTP's {@code which_children/1} */
  public Future<List<ChildInfo>> whichChildren() {
    return engine.whichChildren();
  }

  /** @return counts of children, as OTP's {@code count_children/1} */
  public Future<ChildCount> countChildren() {
    return engine.countChildren();
  }

  /**
   * @param id the child's id
   * @return a child's spec, as OTP's {@code get_childspec/2}; fails with {@link SupervisorError#NOT_FOUND}
   */
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
  public String name() {
    return registeredName != null ? registeredName : engine.options().getName();
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
    return Registry.SUPERVISORS.lookup(vertx, name);
  }

  /**
   * @param vertx the Vert.x instance
   * @return every supervisor running in {@code vertx}, nested ones included
   */
  public static List<SupervisorBase> all(Vertx vertx) {
    return Registry.SUPERVISORS.all(vertx);
  }
}
