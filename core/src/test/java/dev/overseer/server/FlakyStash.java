package dev.overseer.server;

import dev.overseer.stash.LocalStash;
import dev.overseer.stash.QuarantinedEntry;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashEntry;
import dev.overseer.stash.StashException;
import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** A real LocalStash whose next N reads fail as an unreachable store would. Counts reads. */
final class FlakyStash implements Stash {

  final LocalStash delegate = new LocalStash();
  final AtomicInteger failReads = new AtomicInteger();
  final AtomicInteger reads = new AtomicInteger();

  @Override
  public Future<Optional<StashEntry>> get(String key) {
    reads.incrementAndGet();
    if (failReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Future.failedFuture(new StashException(StashException.Reason.UNAVAILABLE, "store unreachable"));
    }
    return delegate.get(key);
  }

  @Override
  public Future<StashEntry> put(String key, String json, int schemaVersion, long epoch) {
    return delegate.put(key, json, schemaVersion, epoch);
  }

  @Override
  public Future<Long> claim(String key) {
    return delegate.claim(key);
  }

  @Override
  public Future<Void> remove(String key) {
    return delegate.remove(key);
  }

  @Override
  public Future<Void> quarantine(String key, String reason) {
    return delegate.quarantine(key, reason);
  }

  @Override
  public Future<List<QuarantinedEntry>> quarantined() {
    return delegate.quarantined();
  }

  @Override
  public Future<List<StashEntry>> entries() {
    return delegate.entries();
  }
}
