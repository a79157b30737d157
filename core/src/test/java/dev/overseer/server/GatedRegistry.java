package dev.overseer.server;

import dev.overseer.NameRecord;
import dev.overseer.NameRegistry;
import dev.overseer.impl.LocalNameRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The local registry, presented as a cluster-wide one with a relay (as the Hazelcast registry
 * is), whose registrations a test can hold back or refuse.
 */
final class GatedRegistry implements NameRegistry {
  final LocalNameRegistry delegate;
  final String node;
  final Promise<Void> registering = Promise.promise();
  volatile Future<Void> gate = Future.succeededFuture();
  volatile boolean refuse;
  /** When set, the holder this registry names, whatever is registered. */
  volatile NameRecord stale;

  GatedRegistry(LocalNameRegistry delegate, String node) {
    this.delegate = delegate;
    this.node = node;
  }

  @Override
  public Future<Void> register(NameRecord record) {
    registering.tryComplete();
    if (refuse) {
      return Future.failedFuture(new IllegalStateException("held elsewhere"));
    }
    return gate.compose(v -> delegate.register(record));
  }

  @Override
  public Future<Void> unregister(NameRecord record) {
    return delegate.unregister(record);
  }

  @Override
  public Future<Void> vacate(NameRecord record) {
    return delegate.vacate(record);
  }

  @Override
  public Future<Boolean> isExpected(String name) {
    return stale != null ? Future.succeededFuture(true) : delegate.isExpected(name);
  }

  @Override
  public Future<Optional<NameRecord>> whereis(String name) {
    return stale != null ? Future.succeededFuture(Optional.of(stale)) : delegate.whereis(name);
  }

  @Override
  public Future<List<NameRecord>> registered() {
    return delegate.registered();
  }

  @Override
  public Future<NameRecord> awaitRegistered(String name, Duration timeout) {
    return stale != null ? Future.succeededFuture(stale) : delegate.awaitRegistered(name, timeout);
  }

  @Override
  public Optional<NameRecord> knownHolder(String name) {
    return Optional.ofNullable(stale);
  }

  @Override
  public boolean clusterWide() {
    return true;
  }

  @Override
  public Optional<String> relayNode() {
    return Optional.of(node);
  }

  /** Departures watched by calls in flight: a test runs them to play a member leaving. */
  final List<Runnable> watches = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public Runnable watchDeparture(String nodeId, Runnable onGone) {
    watches.add(onGone);
    return () -> watches.remove(onGone);
  }
}
