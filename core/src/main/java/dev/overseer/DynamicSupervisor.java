package dev.overseer;

import dev.overseer.impl.SupervisorEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A supervisor that starts with no children and adds them on demand: works like Elixir's
 * {@code DynamicSupervisor} (OTP's {@code simple_one_for_one}). Children are restarted one for
 * one; {@code maxChildren} bounds how many run; {@code extraArguments} are merged into every
 * child's {@code config()}.
 *
 * <pre>{@code
 * DynamicSupervisor.start(vertx, new DynamicSupervisorOptions().setName("sessions").setMaxChildren(10_000))
 *   .compose(sup -> sup.startChild(ChildSpec.worker("session-42", SessionVerticle::new)
 *       .withRestart(RestartType.TRANSIENT)));
 * }</pre>
 *
 * <p>As OTP's {@code simple_one_for_one}: {@code terminateChild} deletes the child;
 * {@code restartChild} and {@code deleteChild} fail with {@link SupervisorError#UNSUPPORTED};
 * on shutdown all children are stopped at once, not in order; auto-shutdown is rejected.
 * Unlike OTP, each child has its own spec and id (as in Elixir), so different kinds of children
 * can share one dynamic supervisor.
 *
 * <p>Starts are pipelined: {@code startChild} holds the supervisor only while it checks the spec
 * and reserves the id, so many starts issued without waiting deploy side by side. A child being
 * started is {@code STARTING}, counts against {@code maxChildren} and makes a second start of its
 * id fail with {@link SupervisorError#ALREADY_STARTED}; {@code terminateChild} and shutdown wait
 * for a start in flight, then stop the child (a start overtaken by shutdown fails with
 * {@link SupervisorError#SHUTTING_DOWN}); a failed start is not kept. The other divergences are those of {@link Supervisor}.
 */
public final class DynamicSupervisor extends SupervisorBase {

  /** @param options the flags; copied */
  public DynamicSupervisor(DynamicSupervisorOptions options) {
    super(new SupervisorEngine(options, List.of(), true, Supervisor::monotonicMillis));
  }

  /** A dynamic supervisor with default options. */
  public DynamicSupervisor() {
    this(new DynamicSupervisorOptions());
  }

  /**
   * Stops and deletes several children at once: what as many {@link #terminateChild} calls do,
   * except that the children stop concurrently (each with its own shutdown), as on this
   * supervisor's shutdown, instead of one after the other. OTP has no such call; its
   * {@code terminate_child/2} holds the supervisor for one child's whole shutdown, and so does
   * {@link #terminateChild}. Every id is looked up before anything stops: an unknown one fails the
   * call with {@link SupervisorError#NOT_FOUND} and stops nothing.
   *
   * @param ids the children's ids (duplicates count once)
   * @return completes when every one has stopped
   */
  public Future<Void> terminateChildren(Collection<String> ids) {
    Objects.requireNonNull(ids, "ids");
    return engine.terminateChildren(List.copyOf(ids));
  }

  /**
   * Deploys a new dynamic supervisor.
   *
   * @param vertx the Vert.x instance
   * @param options the options
   * @return the started supervisor, or the failure of its start
   */
  public static Future<DynamicSupervisor> start(Vertx vertx, DynamicSupervisorOptions options) {
    DynamicSupervisor supervisor = new DynamicSupervisor(options);
    return vertx.deployVerticle(supervisor).map(id -> supervisor);
  }
}
