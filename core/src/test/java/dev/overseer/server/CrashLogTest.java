package dev.overseer.server;

import dev.overseer.ChildSpec;
import dev.overseer.Supervisor;
import dev.overseer.SupervisorOptions;
import dev.overseer.testing.Await;
import dev.overseer.testing.Probe;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** A server's crash is logged once, with its report and one stack trace. */
@ExtendWith(VertxExtension.class)
class CrashLogTest {

  @Test
  void logsAServersCrashOnceWithItsReportAndOneStackTrace(Vertx vertx) {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger supervisorLog = Logger.getLogger("dev.overseer.Supervisor");
    Logger serverLog = Logger.getLogger("dev.overseer.server.Server");
    // the test logging configuration quiets these loggers; this test reads what they write
    java.util.logging.Level supervisorLevel = supervisorLog.getLevel();
    java.util.logging.Level serverLevel = serverLog.getLevel();
    supervisorLog.setLevel(java.util.logging.Level.ALL);
    serverLog.setLevel(java.util.logging.Level.ALL);
    supervisorLog.addHandler(capture);
    serverLog.addHandler(capture);
    try {
      Supervisor.start(vertx, new SupervisorOptions().setName("logged").setIntensity(5),
          List.of(ChildSpec.worker("c", () -> new CounterServer(new ServerOptions("logged-counter"), null, new Probe())))).await();
      ServerRef ref = ServerRef.of(vertx, "logged-counter");
      ref.call("next", Duration.ofSeconds(5)).await();
      Await.failure(ref.call("crash", Duration.ofSeconds(5)));
      Await.until(vertx, () -> records.stream().anyMatch(r -> r.getMessage().contains("crashed")));
      // the restart is under way or done; nothing else is logged about this crash
      assertThat(ref.call("get", Duration.ofSeconds(5)).await()).isInstanceOf(Number.class);
      List<LogRecord> crashes = records.stream().filter(r -> r.getMessage().contains("crash on call")).toList();
      assertThat(crashes).hasSize(1);
      LogRecord crash = crashes.get(0);
      assertThat(crash.getMessage()).contains("child 'c' crashed", "Last message: {\"call\":\"crash\"}", "State: ");
      Throwable thrown = crash.getThrown();
      assertThat(thrown).isInstanceOf(ServerCrashException.class);
      assertThat(thrown.getStackTrace()).as("the wrapper adds no second stack trace").isEmpty();
      assertThat(thrown.getCause()).isInstanceOf(IllegalStateException.class);
      assertThat(thrown.getCause().getStackTrace()).isNotEmpty();
    } finally {
      supervisorLog.removeHandler(capture);
      serverLog.removeHandler(capture);
      supervisorLog.setLevel(supervisorLevel);
      serverLog.setLevel(serverLevel);
    }
  }
}
