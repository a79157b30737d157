package dev.overseer.cluster.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A child whose stop waits until {@code expected} children of its {@code group} (both from its
 * config) are stopping at the same time, or {@code patienceMillis} have passed, then completes;
 * {@link #mostAtOnce} tells how many of a group were ever stopping at once. A supervisor that
 * stops its children one at a time never has more than one stopping.
 */
public final class BarrierChild extends VerticleBase {

  private static final class Group {
    int starting;
    int most;
    final List<Promise<Void>> waiting = new ArrayList<>();
  }

  private static final ConcurrentHashMap<String, Group> GROUPS = new ConcurrentHashMap<>();

  /**
   * @param group a group name
   * @return the most children of {@code group} that were stopping at once
   */
  public static int mostAtOnce(String group) {
    Group g = GROUPS.get(group);
    if (g == null) {
      return 0;
    }
    synchronized (g) {
      return g.most;
    }
  }

  /**
   * Lets every child of {@code group} waiting in its stop go now.
   *
   * @param group a group name
   */
  public static void release(String group) {
    Group g = GROUPS.get(group);
    if (g == null) {
      return;
    }
    List<Promise<Void>> release;
    synchronized (g) {
      release = new ArrayList<>(g.waiting);
      g.waiting.clear();
    }
    release.forEach(Promise::tryComplete);
  }

  @Override
  public Future<?> stop() {
    String name = config().getString("group");
    int expected = config().getInteger("expected");
    long patience = config().getLong("patienceMillis", 500L);
    Group g = GROUPS.computeIfAbsent(name, k -> new Group());
    Promise<Void> mine = Promise.promise();
    List<Promise<Void>> release = List.of();
    synchronized (g) {
      g.starting++;
      g.most = Math.max(g.most, g.starting);
      g.waiting.add(mine);
      if (g.starting >= expected) {
        release = new ArrayList<>(g.waiting);
        g.waiting.clear();
      }
    }
    release.forEach(Promise::tryComplete);
    long timer = vertx.setTimer(patience, t -> mine.tryComplete());
    return mine.future().andThen(ar -> {
      vertx.cancelTimer(timer);
      synchronized (g) {
        g.starting--;
        g.waiting.remove(mine);
      }
    });
  }
}
