package dev.overseer.cluster.testing;

import dev.overseer.Overseer;
import dev.overseer.cluster.DistributedSupervisor;
import dev.overseer.stash.Stash;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A distributed child for tests: a counter whose value is kept WRITE_THROUGH in the member's
 * default stash, under its own fencing epoch (claimed at start). Requests on
 * {@code counter.<id>}: {@code "inc"} (the reply, {@code {id, value, node, epoch, ownership, thread}},
 * goes out only after the stash acknowledged the write; a rejected write fails the request),
 * {@code "get"}, {@code "crash"} (throws from the handler: the supervisor sees a crash). Config:
 * {@code {"id": ..., "crashOnStart": bool, "crashAfterMillis": n}} (a crash loop). Reports starts, stops and rejected writes to
 * {@link #LOG} (in this JVM).
 */
public final class DsCounter extends VerticleBase {

  /** What every counter in this JVM reports: "started id node epoch stash-epoch E value V", "stopped id node", "rejected id node epoch". */
  public static final List<String> LOG = new CopyOnWriteArrayList<>();
  /** Ids whose starts in this JVM fail (reported as "refused id node") while they are in it. */
  public static final java.util.Set<String> REFUSE_START = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Also told every line (a member process prints them). */
  public static volatile Consumer<String> sink = line -> { };

  private String id;
  private String node;
  private long ownership;
  private long epoch;
  private long value;
  private Stash stash;
  private MessageConsumer<Object> consumer;
  private Future<Void> incs = Future.succeededFuture();

  /** @return the address of counter {@code id} */
  public static String address(String id) {
    return "counter." + id;
  }

  private static void report(String line) {
    LOG.add(line);
    sink.accept(line);
  }

  @Override
  public Future<?> start() {
    JsonObject cfg = config();
    id = cfg.getString("id");
    JsonObject ds = cfg.getJsonObject(DistributedSupervisor.CONFIG_KEY, new JsonObject());
    node = ds.getString("node", Overseer.nodeId(vertx));
    ownership = ds.getLong("epoch", 0L);
    if (REFUSE_START.contains(id)) {
      report("refused " + id + " " + node);
      return Future.failedFuture(new IllegalStateException("start refused by the test"));
    }
    if (cfg.getBoolean("crashOnStart", false)) {
      return Future.failedFuture(new IllegalStateException("crashOnStart"));
    }
    long crashAfter = cfg.getLong("crashAfterMillis", 0L);
    if (crashAfter > 0) {
      vertx.setTimer(crashAfter, t -> {
        throw new IllegalStateException("crashAfterMillis");
      });
    }
    stash = Overseer.defaultStash(vertx);
    String key = "counter." + id;
    return stash.claim(key).compose(e -> {
      epoch = e;
      return stash.get(key);
    }).compose(entry -> {
      value = entry.map(x -> Long.parseLong(x.json())).orElse(0L);
      consumer = vertx.eventBus().consumer(address(id), m -> {
        Object body = m.body();
        if ("crash".equals(body)) {
          throw new IllegalStateException("crash requested");
        }
        if ("inc".equals(body)) {
          // One increment at a time: concurrent ones would all write value + 1.
          incs = incs.transform(done -> {
            long next = value + 1;
            return stash.put(key, Long.toString(next), 1, epoch).andThen(ar -> {
              if (ar.succeeded()) {
                value = next;
                m.reply(reply());
              } else {
                report("rejected " + id + " " + node + " " + epoch);
                m.fail(409, "write rejected: " + ar.cause().getMessage());
              }
            });
          }).mapEmpty();
          return;
        }
        m.reply(reply());
      });
      return consumer.completion();
    }).onSuccess(v -> report("started " + id + " " + node + " " + ownership + " stash-epoch " + epoch + " value " + value));
  }

  private JsonObject reply() {
    return new JsonObject().put("id", id).put("value", value).put("node", node).put("epoch", epoch).put("ownership", ownership)
        .put("thread", Thread.currentThread().getName());
  }

  @Override
  public Future<?> stop() {
    report("stopped " + id + " " + node);
    return Future.succeededFuture();
  }
}
