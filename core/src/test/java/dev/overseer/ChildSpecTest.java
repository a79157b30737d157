package dev.overseer;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildSpecTest {

  private static final String VERTICLE = "dev.overseer.testing.NamedChild";

  @Nested
  class Defaults {

    @Test
    void areOtpDefaults() {
      ChildSpec w = ChildSpec.worker("w", () -> null);
      assertThat(w.restart()).isEqualTo(RestartType.PERMANENT);
      assertThat(w.type()).isEqualTo(ChildType.WORKER);
      assertThat(w.significant()).isFalse();
      assertThat(w.shutdown()).isEqualTo(Shutdown.timeout(Duration.ofSeconds(5)));
      assertThat(ChildSpec.supervisor("s", () -> null).type()).isEqualTo(ChildType.SUPERVISOR);
    }

    @Test
    void changeTheDefaultShutdownWithTheType() {
      assertThat(ChildSpec.worker("w", () -> null).withType(ChildType.SUPERVISOR).shutdown()).isEqualTo(Shutdown.infinity());
    }

    @Test
    void copyDeploymentOptionsSoCallersCannotChangeThem() {
      DeploymentOptions options = new DeploymentOptions().setConfig(new JsonObject().put("a", 1));
      ChildSpec spec = ChildSpec.verticle("v", VERTICLE).withDeploymentOptions(options);
      options.setWorkerPoolName("changed");
      spec.deploymentOptions().setWorkerPoolName("changed too");
      assertThat(spec.deploymentOptions().getWorkerPoolName()).isNull();
    }
  }

  @Nested
  class Json {

    @Test
    void roundTripsAVerticleSpec() {
      ChildSpec spec = ChildSpec.verticle("v", VERTICLE)
          .withRestart(RestartType.TRANSIENT)
          .withShutdown(Shutdown.timeout(Duration.ofMillis(300)))
          .withType(ChildType.WORKER)
          .withSignificant(true)
          .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("x", 1)));
      ChildSpec back = ChildSpec.fromJson(new JsonObject(spec.toJson().encode()));
      assertThat(back.toJson()).isEqualTo(spec.toJson());
      assertThat(back.deploymentOptions().getConfig()).isEqualTo(new JsonObject().put("x", 1));
    }

    @Test
    void writesSupplierSpecsAsUnreadable() {
      JsonObject json = ChildSpec.worker("w", () -> null).toJson();
      assertThat(json.getString("start")).isEqualTo("supplier");
      assertThatThrownBy(() -> ChildSpec.fromJson(json)).isInstanceOf(SupervisorException.class).hasMessageContaining("verticle");
    }

    @Test
    void readsDefaultsForMissingOptionalFields() {
      ChildSpec spec = ChildSpec.fromJson(new JsonObject().put("id", "v").put("verticle", VERTICLE));
      assertThat(spec.restart()).isEqualTo(RestartType.PERMANENT);
      assertThat(spec.type()).isEqualTo(ChildType.WORKER);
      assertThat(spec.shutdown()).isEqualTo(Shutdown.defaultFor(ChildType.WORKER));
      assertThat(spec.significant()).isFalse();
    }

    static Stream<Arguments> badSpecs() {
      JsonObject ok = new JsonObject().put("id", "v").put("verticle", VERTICLE);
      return Stream.of(
          Arguments.of(ok.copy().put("id", 7), "id"),
          Arguments.of(new JsonObject().put("verticle", VERTICLE), "id"),
          Arguments.of(new JsonObject().put("id", "v"), "verticle"),
          Arguments.of(ok.copy().put("verticle", true), "verticle"),
          Arguments.of(ok.copy().put("restart", "sometimes"), "restart"),
          Arguments.of(ok.copy().put("type", "manager"), "type"),
          Arguments.of(ok.copy().put("shutdown", "never"), "shutdown"),
          Arguments.of(ok.copy().put("shutdown", -5), "shutdown"),
          Arguments.of(ok.copy().put("significant", "yes"), "significant"),
          Arguments.of(ok.copy().put("deploymentOptions", "fast"), "deploymentOptions"),
          Arguments.of(ok.copy().put("restrat", "TEMPORARY"), "restrat"),
          Arguments.of(ok.copy().put("restart", 1), "restart"),
          Arguments.of(ok.copy().put(ChildSpec.REDACTED, true), ChildSpec.REDACTED),
          Arguments.of(options("instances", "one"), "deploymentOptions.instances"),
          Arguments.of(options("instances", 1.5), "deploymentOptions.instances"),
          Arguments.of(options("instances", 1L << 40), "deploymentOptions.instances"),
          Arguments.of(options("config", "x"), "deploymentOptions.config"),
          Arguments.of(options("config", new io.vertx.core.json.JsonArray()), "deploymentOptions.config"),
          Arguments.of(options("ha", "false"), "deploymentOptions.ha"),
          Arguments.of(options("threadingModel", "FAST"), "deploymentOptions.threadingModel"),
          Arguments.of(options("threadingModel", 1), "deploymentOptions.threadingModel"),
          Arguments.of(options("workerPoolName", 7), "deploymentOptions.workerPoolName"),
          Arguments.of(options("workerPoolSize", 0), "deploymentOptions.workerPoolSize"),
          Arguments.of(options("workerPoolSize", "20"), "deploymentOptions.workerPoolSize"),
          Arguments.of(options("maxWorkerExecuteTime", -1), "deploymentOptions.maxWorkerExecuteTime"),
          Arguments.of(options("maxWorkerExecuteTimeUnit", "FORTNIGHTS"), "deploymentOptions.maxWorkerExecuteTimeUnit"),
          Arguments.of(options("instance", 1), "deploymentOptions.instance"));
    }

    private static JsonObject options(String field, Object value) {
      return new JsonObject().put("id", "v").put("verticle", VERTICLE).put("deploymentOptions", new JsonObject().put(field, value));
    }

    @Test
    void readsEveryDeploymentOptionWithItsType() {
      JsonObject options = new JsonObject().put("config", new JsonObject().put("k", "v")).put("threadingModel", "WORKER")
          .put("ha", false).put("instances", 1).put("workerPoolName", "pool").put("workerPoolSize", 3)
          .put("maxWorkerExecuteTime", 9L).put("maxWorkerExecuteTimeUnit", "SECONDS");
      DeploymentOptions read = ChildSpec.fromJson(new JsonObject().put("id", "v").put("verticle", VERTICLE)
          .put("deploymentOptions", options)).deploymentOptions();
      assertThat(read.getConfig()).isEqualTo(new JsonObject().put("k", "v"));
      assertThat(read.getThreadingModel()).isEqualTo(io.vertx.core.ThreadingModel.WORKER);
      assertThat(read.getWorkerPoolName()).isEqualTo("pool");
      assertThat(read.getWorkerPoolSize()).isEqualTo(3);
      assertThat(read.getMaxWorkerExecuteTime()).isEqualTo(9L);
      assertThat(read.getMaxWorkerExecuteTimeUnit()).isEqualTo(java.util.concurrent.TimeUnit.SECONDS);
      assertThat(new DeploymentOptions(options).toJson()).isEqualTo(read.toJson());
    }

    @Test
    void neverEchoesAHugeValueInItsError() {
      String huge = "x".repeat(1 << 20);
      assertThatThrownBy(() -> ChildSpec.fromJson(new JsonObject().put("id", "v").put("verticle", VERTICLE).put("restart", huge)))
          .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
      assertThatThrownBy(() -> ChildSpec.fromJson(new JsonObject().put("id", "v").put("verticle", VERTICLE).put(huge, 1)))
          .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
    }

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @MethodSource("badSpecs")
    void rejectsABadFieldNamingIt(JsonObject json, String field) {
      assertThatThrownBy(() -> ChildSpec.fromJson(json))
          .isInstanceOf(SupervisorException.class)
          .satisfies(e -> assertThat(((SupervisorException) e).error()).isEqualTo(SupervisorError.INVALID_SPEC))
          .hasMessageStartingWith("invalid_spec: " + field + ":");
    }

    @Test
    void rejectsNull() {
      assertThatThrownBy(() -> ChildSpec.fromJson(null)).isInstanceOf(SupervisorException.class).hasMessageContaining("spec");
    }
  }

  @Nested
  class Redaction {

    private final ChildSpec secret = ChildSpec.verticle("db", VERTICLE)
        .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("password", "hunter2")));

    @Test
    void leavesOutTheConfigAndSaysSo() {
      JsonObject json = secret.toJson(false);
      assertThat(json.encode()).doesNotContain("hunter2");
      assertThat(json.getBoolean(ChildSpec.REDACTED)).isTrue();
      assertThat(json.getJsonObject("deploymentOptions").containsKey("config")).isFalse();
    }

    @Test
    void writesTheFullSpecOnlyWhenAsked() {
      assertThat(secret.toJson()).isEqualTo(secret.toJson(true));
      assertThat(secret.toJson().getJsonObject("deploymentOptions").getJsonObject("config").getString("password")).isEqualTo("hunter2");
      assertThat(secret.toJson().containsKey(ChildSpec.REDACTED)).isFalse();
    }

    @Test
    void marksNothingWhenThereIsNoConfig() {
      assertThat(ChildSpec.verticle("v", VERTICLE).toJson(false)).isEqualTo(ChildSpec.verticle("v", VERTICLE).toJson());
    }

    @Test
    void keepsSecretsOutOfToString() {
      assertThat(secret.toString()).doesNotContain("hunter2").contains("db");
    }
  }

  @Nested
  class With {

    @Test
    void returnsCopiesAndLeavesTheOriginal() {
      ChildSpec a = ChildSpec.worker("a", () -> null);
      ChildSpec b = a.withId("b").withRestart(RestartType.TEMPORARY).withShutdown(Shutdown.brutalKill());
      assertThat(a.id()).isEqualTo("a");
      assertThat(a.restart()).isEqualTo(RestartType.PERMANENT);
      assertThat(b.id()).isEqualTo("b");
      assertThat(b.restart()).isEqualTo(RestartType.TEMPORARY);
      assertThat(b.shutdown()).isEqualTo(Shutdown.brutalKill());
    }

    @Test
    void rejectsNullValues() {
      ChildSpec a = ChildSpec.worker("a", () -> null);
      assertThatThrownBy(() -> a.withRestart(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("restart");
      assertThatThrownBy(() -> a.withShutdown(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("shutdown");
    }
  }
}
