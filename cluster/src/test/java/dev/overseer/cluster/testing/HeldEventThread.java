package dev.overseer.cluster.testing;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds a member's Hazelcast event thread with a listener of a map of its own that does not
 * return until {@link #release()} (or 60 s): on a member started with one event thread
 * ({@link TestClusters#startWithOneEventThread}), none of its entry or membership events is
 * delivered meanwhile.
 */
public final class HeldEventThread implements AutoCloseable {

  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  // set when the holding listener returns, whatever made it return (its 60 s cap included)
  private final AtomicBoolean let = new AtomicBoolean();

  private HeldEventThread() {
  }

  /**
   * @param member the member whose event thread to hold
   * @return the hold, once the listener holds the thread
   * @throws InterruptedException if interrupted while waiting for the hold
   * @throws AssertionError if the thread was not held within 20 s
   */
  public static HeldEventThread hold(HazelcastInstance member) throws InterruptedException {
    HeldEventThread hold = new HeldEventThread();
    IMap<String, String> blocker = member.getMap("blocker-" + UUID.randomUUID());
    blocker.addEntryListener((EntryAddedListener<String, String>) e -> {
      hold.held.countDown();
      try {
        hold.release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      } finally {
        hold.let.set(true);
      }
    }, false);
    blocker.put("hold", "on");
    if (!hold.held.await(20, TimeUnit.SECONDS)) {
      hold.release();
      throw new AssertionError("the member's event thread was not held within 20 s");
    }
    return hold;
  }

  /** @return whether the thread is still held (the listener has not returned) */
  public boolean stillHeld() {
    return !let.get();
  }

  /** Lets the thread go. */
  public void release() {
    release.countDown();
  }

  @Override
  public void close() {
    release();
  }
}
