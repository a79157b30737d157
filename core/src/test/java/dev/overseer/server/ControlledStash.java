package dev.overseer.server;

import dev.overseer.stash.LocalStash;
import dev.overseer.stash.QuarantinedEntry;
import dev.overseer.stash.Stash;
import dev.overseer.stash.StashEntry;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real LocalStash whose reads or writes a test can make hang (never answer) or hold (answer
 * when the test releases them, in order), and whose claims it can slow down or make hang, as a
 * slow or partitioned store would.
 */
final class ControlledStash implements Stash {

  final LocalStash delegate = new LocalStash();
  volatile boolean hangReads;
  volatile boolean hangPuts;
  volatile boolean holdPuts;
  /** How much later a claim answers: 0 at once, a negative value never. */
  volatile long claimDelayMillis;
  /** How many claims were made. */
  final java.util.concurrent.atomic.AtomicInteger claims = new java.util.concurrent.atomic.AtomicInteger();
  /** Writes issued while held: each has been applied to the delegate; its answer waits for release. */
  final ConcurrentLinkedQueue<Held> held = new ConcurrentLinkedQueue<>();

  record Held(Future<StashEntry> applied, Promise<StashEntry> answer) {
    void release() {
      applied.onComplete(answer);
    }

    void fail(Throwable t) {
      answer.fail(t);
    }
  }

  @Override
  public Future<Optional<StashEntry>> get(String key) {
    return hangReads ? Promise.<Optional<StashEntry>>promise().future() : delegate.get(key);
  }

  @Override
  public Future<StashEntry> put(String key, String json, int schemaVersion, long epoch) {
    if (hangPuts) {
      return Promise.<StashEntry>promise().future();
    }
    if (holdPuts) {
      Held h = new Held(delegate.put(key, json, schemaVersion, epoch), Promise.promise());
      held.add(h);
      return h.answer().future();
    }
    return delegate.put(key, json, schemaVersion, epoch);
  }

  @Override
  public Future<Long> claim(String key) {
    claims.incrementAndGet();
    long delay = claimDelayMillis;
    if (delay < 0) {
      return Promise.<Long>promise().future();
    }
    if (delay == 0) {
      return delegate.claim(key);
    }
    Promise<Long> answer = Promise.promise();
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> delegate.claim(key).onComplete(answer));
    return answer.future();
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
