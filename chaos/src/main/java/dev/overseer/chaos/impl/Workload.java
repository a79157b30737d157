package dev.overseer.chaos.impl;

import dev.overseer.chaos.History;
import dev.overseer.chaos.Op;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The clients: each a thread issuing one operation at a time on a random child through a random
 * member, recording every operation in the history with the controller's clock.
 */
public final class Workload {

  private final History history;
  private final Members members;
  private final Gateway gateway = new Gateway();
  private final long t0;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();

  /**
   * @param history where operations are recorded
   * @param members the members to send them through
   * @param t0 the run's time origin ({@link System#nanoTime()})
   */
  public Workload(History history, Members members, long t0) {
    this.history = history;
    this.members = members;
    this.t0 = t0;
  }

  /**
   * Starts the clients.
   *
   * @param clients how many
   * @param seed the seed of their choices (client i uses seed + i)
   */
  public void start(int clients, long seed) {
    List<String> children = new ArrayList<>(history.children().keySet());
    for (int i = 0; i < clients; i++) {
      Random random = new Random(seed + i + 1);
      String process = "c" + i;
      Thread t = new Thread(() -> loop(process, random, children), "chaos-client-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void loop(String process, Random random, List<String> children) {
    while (running.get()) {
      String child = children.get(random.nextInt(children.size()));
      History.ChildKind kind = history.children().get(child);
      String f = random.nextInt(5) == 0 ? Op.READ : kind == History.ChildKind.SEQUENCE ? Op.NEXT : Op.INCR;
      List<Members.Proc> now = members.current();
      if (now.isEmpty()) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        continue;
      }
      Members.Proc via = now.get(random.nextInt(now.size()));
      Op op = call(process, via, child, f, false);
      history.add(op);
      if (op.type() == Op.Type.FAIL) {
        // Pacing, not waiting: a refused connection returns at once, and a tight loop of them would
        // only inflate the count of failed operations.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }
  }

  /**
   * Performs one operation and returns it as recorded (the caller adds it to the history).
   *
   * @param process the client's name
   * @param via the member to send it through
   * @param child the child
   * @param f the function
   * @param fin whether it belongs to the final phase
   * @return the operation
   */
  public Op call(String process, Members.Proc via, String child, String f, boolean fin) {
    long invoke = System.nanoTime() - t0;
    JsonObject r = gateway.op(via.http(), child, f);
    long complete = System.nanoTime() - t0;
    Op.Type type = switch (r.getString("type", "info")) {
      case "ok" -> Op.Type.OK;
      case "fail" -> Op.Type.FAIL;
      default -> Op.Type.INFO;
    };
    Long value = type == Op.Type.OK ? r.getLong("value") : null;
    if (type == Op.Type.OK && value == null) {
      type = Op.Type.INFO;
    }
    return new Op(process, child, f, invoke, complete, type, value, r.getString("member"),
        type == Op.Type.OK ? r.getLong("epoch") : null, via.name(), r.getString("error"), fin);
  }

  /** Stops the clients and waits for their last operations to be recorded. */
  public void stop() {
    running.set(false);
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
