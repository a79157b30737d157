package dev.overseer.fuzz;

import dev.overseer.AutoShutdown;
import dev.overseer.Backoff;
import dev.overseer.ChildSpec;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.Shutdown;
import dev.overseer.SupervisorException;
import dev.overseer.SupervisorOptions;
import dev.overseer.impl.SpecValidator;
import dev.overseer.server.Persistence;
import dev.overseer.server.ServerOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JSON reader of specs and options, fed generated hostile JSON: each input must either give
 * a value that writes itself back to JSON, or be refused with the API's own error type
 * ({@link SupervisorException}, or {@link IllegalArgumentException} where the API documents it)
 * carrying a message. Any other exception (a {@code ClassCastException} from a getter, a
 * {@code NumberFormatException}, a {@code StackOverflowError}) is an unclear error.
 */
class SpecFuzzTest {

  private static final int INPUTS = 10_000;

  private static final JsonObject SPEC = new JsonObject().put("id", "w").put("verticle", "dev.overseer.testing.NamedChild")
      .put("restart", "TRANSIENT").put("type", "WORKER").put("shutdown", 500).put("significant", false)
      .put("deploymentOptions", new JsonObject().put("instances", 1).put("config", new JsonObject().put("a", 1)));

  private static final Map<String, List<Object>> PLAUSIBLE = Map.ofEntries(
      Map.entry("id", List.of("", " ", "a/b", "x".repeat(100_000), "w")),
      Map.entry("verticle", List.of("java.lang.Object", "java.lang.Runtime", "no.such.Class", "", "dev.overseer.Supervisor")),
      Map.entry("restart", List.of("permanent", "TEMPORARY", "sometimes", "")),
      Map.entry("type", List.of("supervisor", "WORKER", "daemon")),
      Map.entry("shutdown", List.of("brutal_kill", "infinity", 0, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1.5, "5000")),
      Map.entry("significant", List.of(true, "true", 1)),
      Map.entry("deploymentOptions", List.of(new JsonObject().put("instances", -1), new JsonObject().put("instances", "2"),
          new JsonObject().put("threadingModel", "FIBER"), new JsonObject().put("config", "x"), new JsonObject().put("workerPoolSize", 0))),
      Map.entry("name", List.of("", "a b", "x".repeat(70_000))),
      Map.entry("strategy", List.of("one_for_all", "REST_FOR_ONE", "simple_one_for_one", "")),
      Map.entry("intensity", List.of(0, -1, Integer.MAX_VALUE, Long.MAX_VALUE, 2.5, "3")),
      Map.entry("period", List.of(0, -1, Long.MAX_VALUE, Long.MIN_VALUE, "5s")),
      Map.entry("autoShutdown", List.of("any_significant", "ALL_SIGNIFICANT", "sometimes")),
      Map.entry("backoff", List.of(new JsonObject().put("min", -1), new JsonObject().put("min", 10).put("max", 1),
          new JsonObject().put("min", 10).put("jitter", 2.0), new JsonObject().put("min", Long.MAX_VALUE).put("max", Long.MAX_VALUE),
          new JsonObject().put("min", "10"))),
      Map.entry("maxChildren", List.of(0, -1, Integer.MAX_VALUE, Long.MAX_VALUE)),
      Map.entry("extraArguments", List.of("x", 1, new JsonObject())),
      Map.entry("persistence", List.of(new JsonObject().put("mode", "write_behind").put("interval", 0),
          new JsonObject().put("mode", "WRITE_BEHIND").put("interval", -5), new JsonObject().put("mode", "sometimes"),
          new JsonObject().put("mode", 3))),
      Map.entry("schemaVersion", List.of(0, -1, Integer.MAX_VALUE, Long.MAX_VALUE)),
      Map.entry("loadAttempts", List.of(0, -1, Integer.MAX_VALUE)),
      Map.entry("loadFallback", List.of("fail", "RETRY", "")),
      Map.entry("maxStateAge", List.of(0, -1, Long.MAX_VALUE, "1h")),
      Map.entry("min", List.of(0, -1, Long.MAX_VALUE, Long.MIN_VALUE)),
      Map.entry("max", List.of(0, -1, Long.MAX_VALUE)),
      Map.entry("jitter", List.of(-0.5, 1.5, Double.NaN, "0.1")),
      Map.entry("resetAfter", List.of(0, -1, Long.MAX_VALUE)),
      Map.entry("mode", List.of("NONE", "on_terminate", "", "x")),
      Map.entry("interval", List.of(0, -1, Long.MAX_VALUE)));

  /** A JSON reader under test: its template and how to read and write back. */
  enum Target {
    CHILD_SPEC(SPEC, json -> {
      ChildSpec spec = ChildSpec.fromJson(json);
      SpecValidator.validate(spec, AutoShutdown.NEVER);
      return spec.toJson();
    }),
    SUPERVISOR_OPTIONS(new SupervisorOptions().setName("s").setIntensity(3).setBackoff(Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1))).toJson(),
        json -> {
          SupervisorOptions o = new SupervisorOptions(json);
          SpecValidator.validateOptions(o, false);
          return o.toJson();
        }),
    DYNAMIC_SUPERVISOR_OPTIONS(new DynamicSupervisorOptions().setMaxChildren(5).toJson(), json -> {
      DynamicSupervisorOptions o = new DynamicSupervisorOptions(json);
      SpecValidator.validateOptions(o, true);
      return o.toJson();
    }),
    BACKOFF(Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1)).withJitter(0.2).toJson(), json -> Backoff.fromJson(json).toJson()),
    SHUTDOWN(new JsonObject().put("shutdown", 500), json -> new JsonObject().put("shutdown", Shutdown.fromJson(json.getValue("shutdown")).toJson())),
    SERVER_OPTIONS(new ServerOptions("s").setPersistence(Persistence.writeBehind(Duration.ofSeconds(1))).toJson(), json -> new ServerOptions(json).toJson()),
    PERSISTENCE(Persistence.writeBehind(Duration.ofSeconds(1)).toJson(), json -> Persistence.fromJson(json).toJson());

    final JsonObject template;
    final Function<JsonObject, Object> read;

    Target(JsonObject template, Function<JsonObject, Object> read) {
      this.template = template;
      this.read = read;
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void everyInputIsReadOrRefusedClearly(Target target) {
    Fuzz fuzz = new Fuzz(Fuzz.seed("json/" + target));
    Tally tally = new Tally("json/" + target, fuzz.seed());
    for (int i = 0; i < INPUTS; i++) {
      JsonObject input = i % 10 == 0 ? fuzz.object(3) : fuzz.mutate(target.template, PLAUSIBLE);
      tally.tried++;
      try {
        Object written = target.read.apply(input);
        assertThat(written).isNotNull();
        tally.accepted++;
      } catch (SupervisorException e) {
        if (blank(e.getMessage())) {
          tally.unclear++;
          tally.problem("SupervisorException without a message", input);
        } else {
          tally.rejected++;
        }
      } catch (IllegalArgumentException e) {
        if (e instanceof NumberFormatException || blank(e.getMessage()) || e.getMessage().startsWith("No enum constant")) {
          tally.unclear++;
          tally.problem(e.toString(), input);
        } else {
          tally.rejected++;
        }
      } catch (RuntimeException | StackOverflowError e) {
        tally.unclear++;
        tally.problem(e.toString(), input);
      }
    }
    tally.print();
    assertThat(tally.tried).isEqualTo(INPUTS);
    assertThat(tally.rejected).as("inputs refused (a fuzzer that never gets refused is not fuzzing)").isPositive();
    assertThat(tally.clean()).as(tally.summary()).isTrue();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
