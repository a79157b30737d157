package dev.overseer.testing;

import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** Waits on futures from the test thread with a deadline, so a broken engine fails a test instead of hanging it. */
public final class Await {

  private Await() {
  }

  /** @return the future's result; fails the test if it failed or did not complete in time */
  public static <T> T result(Future<T> future) {
    try {
      return future.await(Probe.DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within " + Probe.DEFAULT_WAIT, e);
    }
  }

  /** @return the future's failure; fails the test if it succeeded or did not complete in time */
  public static Throwable failure(Future<?> future) {
    try {
      future.await(Probe.DEFAULT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within " + Probe.DEFAULT_WAIT, e);
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  /**
   * Polls {@code condition} every 10 ms on a Vert.x timer (never blocking a thread by sleeping)
   * until it holds; fails the test after the default wait.
   */
  public static void until(io.vertx.core.Vertx vertx, java.util.function.BooleanSupplier condition) {
    io.vertx.core.Promise<Void> holds = io.vertx.core.Promise.promise();
    long timer = vertx.setPeriodic(10, id -> {
      if (condition.getAsBoolean()) {
        holds.tryComplete();
      }
    });
    try {
      result(holds.future());
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  /** @return the future's {@link SupervisorException}, after checking it carries {@code error} */
  public static SupervisorException error(Future<?> future, SupervisorError error) {
    Throwable t = failure(future);
    assertThat(t).isInstanceOf(SupervisorException.class);
    SupervisorException e = (SupervisorException) t;
    assertThat(e.error()).as("error of %s", e.getMessage()).isEqualTo(error);
    return e;
  }
}
