package dev.overseer;

import dev.overseer.impl.SupervisorEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;

/**
 * A supervisor with a static list of children: works like OTP's {@code supervisor} with the
 * strategies {@code one_for_one}, {@code one_for_all} and {@code rest_for_one}. Read OTP's
 * documentation and expect the same behaviour; the exceptions are listed below.
 *
 * <pre>{@code
 * Supervisor.start(vertx,
 *     new SupervisorOptions().setName("app").setStrategy(RestartStrategy.REST_FOR_ONE),
 *     List.of(ChildSpec.worker("db", DbVerticle::new),
 *             ChildSpec.worker("http", HttpVerticle::new)))
 *   .onSuccess(sup -> sup.whichChildren().onSuccess(System.out::println));
 * }</pre>
 *
 * <h2>Semantics (as OTP)</h2>
 * <ul>
 *   <li>Children start in list order; if one fails to start, those already started are stopped
 *       in reverse order and the supervisor's deployment fails.</li>
 *   <li>A child that exits is restarted by its restart type: {@code PERMANENT} always,
 *       {@code TRANSIENT} after a failure only, {@code TEMPORARY} never (its spec is dropped).</li>
 *   <li>A restart stops the affected siblings in reverse order, then starts them in list
 *       order. More than {@code intensity} restarts within {@code period} stop all children and
 *       make the supervisor exit with a {@link SupervisorError#MAX_INTENSITY} failure, which its
 *       parent supervisor handles as a crash of that child.</li>
 *   <li>A restart that fails to start is retried as a new message (counted against the
 *       intensity), so the supervisor keeps answering operations meanwhile.</li>
 *   <li>Significant children and {@link AutoShutdown}: the supervisor exits with
 *       {@code shutdown} when any (or the last) significant child exits by itself and is not
 *       restarted.</li>
 *   <li>Undeploying the supervisor stops its children in reverse start order, each with its
 *       {@link Shutdown}.</li>
 * </ul>
 *
 * <h2>Divergences from OTP</h2>
 * <ul>
 *   <li><b>Crash.</b> Vert.x has no process death: a child crashes when its start fails, when a
 *       throwable escapes any handler on its context, or when it calls
 *       {@link ChildHandle#exit(ExitReason)} with a failure. Code that catches its own errors does
 *       not crash.</li>
 *   <li><b>A crashed child is stopped.</b> OTP's crashed process is already dead; here the child
 *       is still deployed when its crash is seen, so the supervisor undeploys it first (its
 *       {@code stop} runs, bounded by its shutdown). Messages that reach it in between are handled
 *       by the old instance.</li>
 *   <li><b>Kill.</b> {@code brutalKill} and an expired shutdown timeout close the child's
 *       deployment without waiting for its {@code stop}: its consumers and timers are released
 *       and it receives nothing more, but a handler already running is not interrupted.</li>
 *   <li><b>Exit after too many restarts.</b> OTP's supervisor exits with reason {@code shutdown}
 *       when it reaches its restart intensity, so a parent whose spec for it is {@code TRANSIENT}
 *       does not restart it. Overseer's exits with a {@link SupervisorError#MAX_INTENSITY}
 *       failure, so the parent restarts it unless its spec is {@code TEMPORARY}: the escalation
 *       always reaches the parent's strategy. Give the spec {@code TEMPORARY} to keep a failed subtree down.</li>
 *   <li><b>Shutdown of an exiting child.</b> OTP reports a permanent child that exits
 *       {@code normal} while being shut down as a shutdown error; Overseer reports only a
 *       {@code stop} that fails or times out.</li>
 *   <li><b>Read-only operations</b> ({@code whichChildren}, {@code countChildren},
 *       {@code getChildSpec}) answer at once instead of waiting for the operation under way.</li>
 *   <li><b>{@code vertx.close()}</b> undeploys every deployment at once: children are not stopped
 *       in reverse order and restarts are abandoned. Call {@link #shutdown()} (or undeploy the
 *       root supervisor) before closing Vert.x for an ordered shutdown. Each child's
 *       {@link Shutdown} still bounds its {@code stop}, so {@code vertx.close()} cannot hang on
 *       one, except {@link Shutdown#infinity()}, which waits as long as the stop takes.</li>
 *   <li><b>{@code whichChildren} order.</b> Children are listed in start order; OTP lists the
 *       newest first.</li>
 *   <li><b>A start that never completes</b> holds the supervisor's operations behind it, as in
 *       OTP, but the read operations still answer; there is no start timeout.</li>
 *   <li><b>Start.</b> A child starts from a supplier of a fresh {@link io.vertx.core.Deployable}
 *       or a class name (Java classes only; Vert.x language factories are not consulted), with
 *       exactly one instance. There is no {@code ignore} result.</li>
 *   <li><b>Beyond OTP.</b> Restarts may be delayed by a {@link Backoff}; every lifecycle change is
 *       a {@link SupervisorEvent}; the operations are also reachable on the event bus at
 *       {@code overseer.supervisor.<name>} (see the README).</li>
 * </ul>
 */
public final class Supervisor extends SupervisorBase {

  /**
   * @param options the flags; copied
   * @param children the initial children, in start order
   */
  public Supervisor(SupervisorOptions options, List<ChildSpec> children) {
    super(new SupervisorEngine(options, children, false, Supervisor::monotonicMillis));
  }

  /**
   * A supervisor with default options.
   *
   * @param children the child specs, started in order
   */
  public Supervisor(List<ChildSpec> children) {
    this(new SupervisorOptions(), children);
  }

  /**
   * Deploys a new supervisor.
   *
   * @param vertx the Vert.x instance
   * @param options the options
   * @param children the child specs, started in order
   * @return the running supervisor, or a failure ({@link SupervisorError#INVALID_SPEC},
   *     {@link SupervisorError#START_FAILED})
   */
  public static Future<Supervisor> start(Vertx vertx, SupervisorOptions options, List<ChildSpec> children) {
    Supervisor supervisor = new Supervisor(options, children);
    return vertx.deployVerticle(supervisor).map(id -> supervisor);
  }

  static long monotonicMillis() {
    return System.nanoTime() / 1_000_000;
  }
}
