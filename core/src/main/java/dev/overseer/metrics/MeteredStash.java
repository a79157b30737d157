package dev.overseer.metrics;

import dev.overseer.stash.QuarantinedEntry;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashClaim;
import dev.overseer.stash.StashEntry;
import dev.overseer.stash.StashException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A {@link Stash} that times every call and counts failures, around another stash. Made by
 * {@link OverseerMetrics#meter(Stash, String)}; behaves exactly as the stash it wraps.
 */
final class MeteredStash implements Stash {

  private final Stash delegate;
  private final String name;
  private final MeterRegistry registry;
  private final String prefix;
  private final AtomicLong quarantined = new AtomicLong();

  MeteredStash(Stash delegate, String name, MeterRegistry registry, String prefix) {
    this.delegate = delegate;
    this.name = name;
    this.registry = registry;
    this.prefix = prefix;
  }

  Gauge quarantineGauge() {
    Gauge gauge = Gauge.builder(prefix + ".stash.quarantined", quarantined, AtomicLong::get).tags("stash", name).register(registry);
    refreshQuarantined();
    return gauge;
  }

  private void refreshQuarantined() {
    delegate.quarantined().onSuccess(list -> quarantined.set(list.size()));
  }

  private <T> Future<T> timed(String operation, Supplier<Future<T>> call) {
    long start = System.nanoTime();
    Future<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.andThen(ar -> {
      Timer.builder(prefix + ".stash.operations").tags("stash", name, "operation", operation, "outcome", ar.succeeded() ? "success" : "failure")
          .register(registry).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
      if (ar.failed()) {
        Throwable cause = ar.cause();
        String reason = cause instanceof StashException ? ((StashException) cause).reason().name() : cause.getClass().getName();
        Counter.builder(prefix + ".stash.failures").tags("stash", name, "operation", operation, "reason", reason)
            .register(registry).increment();
      }
    });
  }

  @Override
  public Future<Optional<StashEntry>> get(String key) {
    return timed("get", () -> delegate.get(key));
  }

  @Override
  public Future<StashEntry> put(String key, String json, int schemaVersion, long epoch) {
    return timed("put", () -> delegate.put(key, json, schemaVersion, epoch));
  }

  @Override
  public Future<Long> claim(String key) {
    return timed("claim", () -> delegate.claim(key));
  }

  @Override
  public Future<StashClaim> claimAndGet(String key) {
    return timed("claimAndGet", () -> delegate.claimAndGet(key));
  }

  @Override
  public Future<StashClaim> claimAndGet(String key, java.time.Duration within) {
    return timed("claimAndGet", () -> delegate.claimAndGet(key, within));
  }

  @Override
  public Future<Void> remove(String key) {
    return timed("remove", () -> delegate.remove(key));
  }

  @Override
  public Future<Void> quarantine(String key, String reason) {
    return timed("quarantine", () -> delegate.quarantine(key, reason)).andThen(ar -> refreshQuarantined());
  }

  @Override
  public Future<List<QuarantinedEntry>> quarantined() {
    return timed("quarantined", delegate::quarantined).andThen(ar -> {
      if (ar.succeeded()) {
        quarantined.set(ar.result().size());
      }
    });
  }

  @Override
  public Future<List<StashEntry>> entries() {
    return timed("entries", delegate::entries);
  }

  @Override
  public String toString() {
    return "metered(" + name + ", " + delegate + ")";
  }
}
