package dev.overseer;

import dev.overseer.impl.RemoteSupervisorRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A handle on a running supervisor, wherever it runs: OTP's supervisor functions called with a
 * registered name ({@code supervisor:which_children(Name)}). Every operation returns a
 * {@link Future} that fails with a {@link SupervisorException}.
 *
 * <p>{@link #lookup(Vertx, String)} asks the {@link Overseer#nameRegistry name registry} who holds
 * a name. A supervisor on this node is its own ref (a {@link SupervisorBase} is a
 * {@code SupervisorRef}); one on another member is reached over its control address
 * ({@link SupervisorOptions#CONTROL_ADDRESS_PREFIX} + name) with a short explicit timeout, and
 * the failure codes of its replies come back as the same {@link SupervisorError}s. Across nodes
 * only specs that start a verticle by name can be sent or read back ({@link ChildSpec#verticle});
 * a supervisor configured with its own {@link SupervisorOptions#setControlAddress control
 * address} is reachable from other nodes only through {@link #remote}.
 */
public interface SupervisorRef {

  /** How long a remote operation waits for its reply by default: 5 s. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** @return the supervisor's registered name */
  String name();

  /** @return the node ({@link Overseer#nodeId}) the supervisor runs on */
  String nodeId();

  /**
   * Adds a child and starts it, as {@link SupervisorBase#startChild} (OTP's
   * {@code start_child/2}). A remote ref accepts only a spec that starts a verticle by name
   * ({@link ChildSpec#verticle}) and fails with {@link SupervisorError#INVALID_SPEC} for one
   * started by a supplier, since a supplier cannot be sent to another node.
   *
   * @param spec the child spec
   * @return the child's id; fails with the {@link SupervisorError} that
   *     {@link SupervisorBase#startChild} names
   */
  Future<String> startChild(ChildSpec spec);

  /**
   * Stops a child and keeps its spec, as {@link SupervisorBase#terminateChild} (OTP's
   * {@code terminate_child/2}).
   *
   * @param id the child's id
   * @return completes when the child has stopped; fails with {@link SupervisorError#NOT_FOUND}
   *     when there is no such child
   */
  Future<Void> terminateChild(String id);

  /**
   * Starts a stopped child again from its spec, as {@link SupervisorBase#restartChild} (OTP's
   * {@code restart_child/2}).
   *
   * @param id the child's id
   * @return completes when the child runs again; fails with the {@link SupervisorError} that
   *     {@link SupervisorBase#restartChild} names
   */
  Future<Void> restartChild(String id);

  /**
   * Forgets a stopped child's spec, as {@link SupervisorBase#deleteChild} (OTP's
   * {@code delete_child/2}).
   *
   * @param id the child's id
   * @return completes when the spec is gone; fails with the {@link SupervisorError} that
   *     {@link SupervisorBase#deleteChild} names
   */
  Future<Void> deleteChild(String id);

  /**
   * Lists the children, as {@link SupervisorBase#whichChildren} (OTP's {@code which_children/1},
   * but in start order where OTP lists the newest first).
   *
   * @return every child in start order
   */
  Future<List<ChildInfo>> whichChildren();

  /**
   * Counts the children, as {@link SupervisorBase#countChildren} (OTP's
   * {@code count_children/1}).
   *
   * @return the counts of specs, running children, supervisors and workers
   */
  Future<ChildCount> countChildren();

  /**
   * Reads back a child's spec, as {@link SupervisorBase#getChildSpec} (OTP's
   * {@code get_childspec/2}). Through a remote ref, a child started by a supplier fails with
   * {@link SupervisorError#UNSUPPORTED}: its spec cannot cross nodes.
   *
   * @param id the child's id
   * @return the spec; fails with {@link SupervisorError#NOT_FOUND} when there is no such child
   */
  Future<ChildSpec> getChildSpec(String id);

  /**
   * @return the supervisor's flags and state: kind, strategy, intensity and period, intensity
   *     used, options, name and node (OTP's {@code supervisor:get_callback_module/1} and
   *     {@code sys:get_status/1}, reduced to what a console shows)
   */
  Future<SupervisorDescription> describe();

  /**
   * Finds the supervisor registered as {@code name}, with {@link #DEFAULT_TIMEOUT} for remote
   * operations.
   *
   * @param vertx the Vert.x instance whose {@link Overseer#nameRegistry name registry} is asked
   * @param name the supervisor's registered name
   * @return the ref; fails with {@link SupervisorError#NOT_FOUND} when no live holder has the name
   */
  static Future<SupervisorRef> lookup(Vertx vertx, String name) {
    return lookup(vertx, name, DEFAULT_TIMEOUT);
  }

  /**
   * Finds the supervisor registered as {@code name}.
   *
   * @param vertx the Vert.x instance whose {@link Overseer#nameRegistry name registry} is asked
   * @param name the supervisor's registered name
   * @param timeout how long each remote operation waits for its reply
   * @return the local supervisor object when its holder runs on this node, a remote ref
   *     otherwise; fails with {@link SupervisorError#NOT_FOUND} when no live holder has the name
   */
  static Future<SupervisorRef> lookup(Vertx vertx, String name, Duration timeout) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(timeout, "timeout");
    if (name == null) {
      return Future.failedFuture(new SupervisorException(SupervisorError.NOT_FOUND, "no supervisor named null"));
    }
    return Overseer.nameRegistry(vertx).whereis(name).compose(found -> {
      if (found.isEmpty() || !SupervisorBase.KIND.equals(found.get().kind())) {
        return Future.failedFuture(new SupervisorException(SupervisorError.NOT_FOUND, "no supervisor named '" + name + "'"));
      }
      NameRecord record = found.get();
      if (record.nodeId().equals(Overseer.nodeId(vertx))) {
        SupervisorBase local = SupervisorBase.lookup(vertx, name).orElse(null);
        if (local != null && record.deploymentId().equals(local.deploymentId())) {
          return Future.succeededFuture(local);
        }
      }
      return Future.succeededFuture(remote(vertx, name, record.nodeId(),
          SupervisorOptions.CONTROL_ADDRESS_PREFIX + name, timeout));
    });
  }

  /**
   * A ref that reaches a supervisor over the event bus only, at an explicit control address.
   * Operations that get no reply within {@code timeout}, or find no consumer at the address,
   * fail with {@link SupervisorError#NOT_FOUND}.
   *
   * @param vertx the Vert.x instance whose event bus carries the requests
   * @param name the supervisor's name
   * @param nodeId the node it runs on, as far as the caller knows
   * @param address its control address
   * @param timeout how long each operation waits for its reply
   * @return the ref (no message is sent yet)
   */
  static SupervisorRef remote(Vertx vertx, String name, String nodeId, String address, Duration timeout) {
    return new RemoteSupervisorRef(vertx, name, nodeId, address, timeout);
  }
}
