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
          Arguments.of(ok.copy().put("deploymentOptions", "fast"), "deploymentOptions"));
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
