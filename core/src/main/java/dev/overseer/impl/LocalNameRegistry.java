package dev.overseer.impl;

import dev.overseer.NameRecord;
import dev.overseer.NameRegistry;
import dev.overseer.Overseer;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * The default {@link NameRegistry}: names unique in one Vert.x instance. A name whose holder's
 * deployment is gone (killed before it could unregister) is free again.
 */
public final class LocalNameRegistry implements NameRegistry {

  private final Vertx vertx;
  private final ConcurrentHashMap<String, NameRecord> names = new ConcurrentHashMap<>();
  private final java.util.Set<String> vacated = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, CopyOnWriteArrayList<Runnable>> waiters = new ConcurrentHashMap<>();

  /** @param vertx the instance whose deployments hold the names */
  public LocalNameRegistry(Vertx vertx) {
    this.vertx = vertx;
  }

  private boolean live(NameRecord r) {
    return r.nodeId().equals(Overseer.nodeId(vertx)) && vertx.deploymentIDs().contains(r.deploymentId());
  }

  @Override
  public Future<Void> register(NameRecord record) {
    NameRecord[] held = new NameRecord[1];
    names.compute(record.name(), (k, old) -> {
      if (old == null || old.equals(record) || !live(old)) {
        return record;
      }
      held[0] = old;
      return old;
    });
    if (held[0] != null) {
      return Future.failedFuture(new SupervisorException(SupervisorError.ALREADY_STARTED,
          "name '" + record.name() + "' is held by " + held[0].kind() + " deployment " + held[0].deploymentId()));
    }
    vacated.remove(record.name());
    List<Runnable> wake = waiters.remove(record.name());
    if (wake != null) {
      wake.forEach(Runnable::run);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> unregister(NameRecord record) {
    if (names.remove(record.name(), record)) {
      vacated.remove(record.name());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> vacate(NameRecord record) {
    if (names.remove(record.name(), record)) {
      vacated.add(record.name());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Boolean> isExpected(String name) {
    // a record whose holder died without unregistering stays in the map: expected
    return Future.succeededFuture(names.containsKey(name) || vacated.contains(name));
  }

  @Override
  public Future<Optional<NameRecord>> whereis(String name) {
    NameRecord r = names.get(name);
    return Future.succeededFuture(r != null && live(r) ? Optional.of(r) : Optional.empty());
  }

  @Override
  public Future<List<NameRecord>> registered() {
    List<NameRecord> all = new ArrayList<>();
    for (NameRecord r : names.values()) {
      if (live(r)) {
        all.add(r);
      }
    }
    return Future.succeededFuture(all);
  }

  @Override
  public Future<NameRecord> awaitRegistered(String name, Duration timeout) {
    NameRecord now = names.get(name);
    // Any record counts, live or not yet: Vert.x lists a deployment only once its start has
    // completed, and a restarting server registers during its start. Waiting for "live" here
    // missed a registration made just before the wait began (a waiter then slept to its timeout).
    if (now != null) {
      return Future.succeededFuture(now);
    }
    Context ctx = vertx.getOrCreateContext();
    Promise<NameRecord> promise = Promise.promise();
    Runnable[] self = new Runnable[1];
    long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> {
      CopyOnWriteArrayList<Runnable> list = waiters.get(name);
      if (list != null) {
        list.remove(self[0]);
      }
      promise.tryFail(new TimeoutException("no holder registered '" + name + "' within " + timeout.toMillis() + " ms"));
    });
    self[0] = () -> ctx.runOnContext(v -> {
      vertx.cancelTimer(timer);
      NameRecord r = names.get(name);
      if (r != null) {
        promise.tryComplete(r);
      }
    });
    waiters.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(self[0]);
    // registered between the first look and adding the waiter
    NameRecord again = names.get(name);
    if (again != null) {
      self[0].run();
    }
    return promise.future();
  }

  @Override
  public boolean clusterWide() {
    return false;
  }
}
