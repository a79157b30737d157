package dev.overseer;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where servers and supervisors register their names: OTP's {@code {via, Module, Name}}.
 *
 * <p>The default ({@link Overseer#nameRegistry}) is per Vert.x instance: a name is unique in one
 * JVM's Vert.x and its event-bus consumers are local ({@code localConsumer}). The cluster module
 * sets one backed by Hazelcast: a name is unique cluster-wide and its consumers are clustered
 * ({@code consumer}). {@link #clusterWide()} tells holders which consumer to open, so "unique"
 * and "reachable" always cover the same members.
 *
 * <p>A name held by a holder that is gone (its deployment was undeployed or killed without
 * unregistering, or its member left the cluster) is free again. Every future completes on the
 * caller's context when there is one.
 */
public interface NameRegistry {

  /**
   * Registers {@code record.name()} for {@code record}'s holder.
   *
   * @param record the name and its holder
   * @return succeeds when the name is now the holder's; fails with a {@link SupervisorException}
   *     of {@link SupervisorError#ALREADY_STARTED} naming the live holder when another holds it
   */
  Future<Void> register(NameRecord record);

  /**
   * Frees the name if {@code record}'s holder holds it; succeeds either way. The name is then
   * unknown: callers fail fast instead of waiting for a holder.
   *
   * @param record the name and its holder
   * @return completes when done, or fails with the reason
   */
  Future<Void> unregister(NameRecord record);

  /**
   * Frees the name if {@code record}'s holder holds it, but keeps it <em>expected</em>: a holder
   * is on its way (a restart, a handoff to another member), so callers wait for it (see
   * {@link #isExpected}). A holder that dies without unregistering leaves its name vacated the
   * same way.
   *
   * @param record the name and its holder
   * @return completes when done, or fails with the reason
   */
  Future<Void> vacate(NameRecord record);

  /**
   * @param name the name
   * @return {@code true} while {@code name} is held or was vacated (by {@link #vacate} or by its
   *     holder's death) and no one has unregistered it since: a caller should wait for its next
   *     holder ({@link #awaitRegistered}) rather than fail fast. Implementations may forget a
   *     vacancy after a documented bound.
   */
  Future<Boolean> isExpected(String name);

  /**
   * @param name the name
   * @return the live holder of {@code name}, or empty
   */
  Future<Optional<NameRecord>> whereis(String name);

  /** @return every live registration this registry knows, in no particular order */
  Future<List<NameRecord>> registered();

  /**
   * Waits for {@code name} to be registered: succeeds at once when it is, else when a holder
   * registers it (woken by the registration, not by polling).
   *
   * @param name the name
   * @param timeout how long to wait for the reply
   * @return the holder; fails with a {@link java.util.concurrent.TimeoutException} after
   *     {@code timeout}
   */
  Future<NameRecord> awaitRegistered(String name, Duration timeout);

  /**
   * @return {@code true} when names are unique cluster-wide, so their consumers must be
   *     reachable cluster-wide ({@code eventBus().consumer}); {@code false} for names unique in
   *     this Vert.x instance only ({@code eventBus().localConsumer})
   */
  boolean clusterWide();

  /**
   * Called by a holder about to close its cluster-wide consumer on {@code address} for good (a
   * stop, a handoff to another member), while that consumer still answers: stops the other
   * members from routing {@code address} to this one, so that nothing reaches this member after
   * its consumer has closed. (Vert.x 5's clustered event bus drops, without any answer, a message
   * that reaches a member whose consumer for it has just closed: its sender would wait out its
   * whole timeout, not knowing whether it was handled. A message that reaches the open consumer
   * gets an answer the sender can act on.)
   *
   * @param address the consumer's address
   * @return completes when the consumer may close: the route is withdrawn and the other members
   *     have had time to see it. The default completes at once (a registry whose consumers are
   *     local has no route to withdraw)
   */
  default Future<Void> withdrawRoute(String address) {
    return Future.succeededFuture();
  }

  /**
   * For a cluster-wide registry whose members each run a {@link dev.overseer.server.ServerRelay}:
   * this member's node id. A {@link dev.overseer.server.ServerRef} then sends each message to the
   * relay of the member that holds the name ({@link #knownHolder}), not to the name itself, and
   * looks the holder up again when that member answers that it no longer holds it: a relay
   * answers a call for a server it does not have, where a message routed by name to a member
   * whose consumer has just closed is dropped. Empty (the default): messages go to the name,
   * routed by the event bus.
   *
   * @return this member's node id when calls go through relays, else empty
   */
  default Optional<String> relayNode() {
    return Optional.empty();
  }

  /**
   * The holder of {@code name} as this member last learned it (from a lookup or a registration it
   * heard of), without asking anyone: it may be stale. When none is known, a lookup starts in the
   * background, so a later message finds it.
   *
   * @param name the name
   * @return the last known holder, or empty (the default: none is ever known)
   */
  default Optional<NameRecord> knownHolder(String name) {
    return Optional.empty();
  }

  /**
   * Forgets {@code stale} as the known holder of {@code name} (a message found it gone), unless
   * a newer one was learned since; the next {@link #knownHolder} looks the name up again.
   *
   * @param name the name
   * @param stale the holder that was not there
   */
  default void forget(String name, NameRecord stale) {
  }

  /**
   * @param name the name
   * @return {@code true} from {@link #forget} until a holder of {@code name} is learned again (or
   *     while its last known holder's member is gone): a sender should look the holder up rather
   *     than send by name, which the event bus may still route to where the server was. The
   *     default: never
   */
  default boolean holderInDoubt(String name) {
    return false;
  }

  /**
   * Watches for the member {@code nodeId} leaving the cluster: a {@link dev.overseer.server.ServerRef}
   * call waiting for a server on that member then fails at once
   * ({@link dev.overseer.server.ServerRef#CODE_NODE_DOWN}), as an OTP call to a process on a node
   * that goes down exits with {@code nodedown}, instead of waiting out its timeout.
   *
   * @param nodeId a member's node id
   * @param onGone run once, on any thread, when that member leaves after this call (not for one
   *     already gone, to which a message is never delivered); never for this member itself
   * @return cancels the watch (call it once the answer came); the default watches nothing, since
   *     a registry of one Vert.x instance has no other member
   */
  default Runnable watchDeparture(String nodeId, Runnable onGone) {
    return () -> { };
  }
}
