package dev.overseer.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The work every system does per call: a counter at one address. {@code {"op":"incr","by":k}}
 * adds k and replies {@code {"n": counter, "inc": incarnation}}; the string {@code "crash"}
 * throws from the handler. With a store, the counter is read from it at start and written to it
 * on every change: the plain in-memory map the Pekko and OTP peers use too, so restart figures
 * compare restart machinery, not storage.
 */
public class CounterVerticle extends VerticleBase {

  /** Numbers the instances, so a reply tells which incarnation served it. */
  static final AtomicLong INCARNATIONS = new AtomicLong();
  /** The event-loop thread each address is served on, so a caller can be placed on another one. */
  static final Map<String, Thread> THREADS = new ConcurrentHashMap<>();

  private final String address;
  private final Map<String, Long> store;
  private long counter;
  private long incarnation;

  /**
   * @param address where to consume
   * @param store where the counter survives restarts, or {@code null} to keep it in the instance only
   */
  public CounterVerticle(String address, Map<String, Long> store) {
    this.address = address;
    this.store = store;
  }

  @Override
  public Future<?> start() {
    long now = System.nanoTime();
    incarnation = INCARNATIONS.incrementAndGet();
    Announce.started(address, incarnation, now);
    THREADS.put(address, Thread.currentThread());
    counter = store == null ? 0 : store.getOrDefault(address, 0L);
    return vertx.eventBus().consumer(address, msg -> {
      Object body = msg.body();
      if ("crash".equals(body)) {
        throw new IllegalStateException("crash requested");
      }
      JsonObject req = (JsonObject) body;
      counter += req.getLong("by");
      if (store != null) {
        store.put(address, counter);
      }
      msg.reply(new JsonObject().put("n", counter).put("inc", incarnation));
    }).completion();
  }
}
