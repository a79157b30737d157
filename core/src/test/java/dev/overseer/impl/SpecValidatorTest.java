package dev.overseer.impl;

import dev.overseer.AutoShutdown;
import dev.overseer.ChildSpec;
import dev.overseer.DynamicSupervisorOptions;
import dev.overseer.RestartType;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.SupervisorOptions;
import io.vertx.core.DeploymentOptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import dev.overseer.testing.NamedChild;
import dev.overseer.testing.Tripwires;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks behind every rejection, without Vert.x: each names its field. */
class SpecValidatorTest {

  private static final ChildSpec OK = ChildSpec.verticle("ok", "some.Verticle");

  private static void rejected(Runnable check, String field) {
    assertThatThrownBy(check::run).isInstanceOf(SupervisorException.class)
        .matches(e -> ((SupervisorException) e).error() == SupervisorError.INVALID_SPEC)
        .hasMessageStartingWith("invalid_spec: " + field + ":");
  }

  @Nested
  class Validate {

    @Test
    void acceptsAPlainSpec() {
      assertThatCode(() -> SpecValidator.validate(OK, AutoShutdown.NEVER)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "a significant {0} child with auto-shutdown {1}")
    @MethodSource("significance")
    void checksSignificanceAgainstRestartTypeAndAutoShutdown(RestartType type, AutoShutdown auto, boolean valid) {
      ChildSpec spec = OK.withRestart(type).withSignificant(true);
      if (valid) {
        assertThatCode(() -> SpecValidator.validate(spec, auto)).doesNotThrowAnyException();
      } else {
        rejected(() -> SpecValidator.validate(spec, auto), "significant");
      }
    }

    static Stream<Arguments> significance() {
      return Stream.of(
          Arguments.of(RestartType.PERMANENT, AutoShutdown.ANY_SIGNIFICANT, false),
          Arguments.of(RestartType.PERMANENT, AutoShutdown.ALL_SIGNIFICANT, false),
          Arguments.of(RestartType.TRANSIENT, AutoShutdown.NEVER, false),
          Arguments.of(RestartType.TEMPORARY, AutoShutdown.NEVER, false),
          Arguments.of(RestartType.TRANSIENT, AutoShutdown.ANY_SIGNIFICANT, true),
          Arguments.of(RestartType.TEMPORARY, AutoShutdown.ALL_SIGNIFICANT, true));
    }

    @Test
    void rejectsEachBadField() {
      rejected(() -> SpecValidator.validate(null, AutoShutdown.NEVER), "spec");
      rejected(() -> SpecValidator.validate(OK.withId(null), AutoShutdown.NEVER), "id");
      rejected(() -> SpecValidator.validate(OK.withId(""), AutoShutdown.NEVER), "id");
      rejected(() -> SpecValidator.validate(ChildSpec.worker("w", null), AutoShutdown.NEVER), "start");
      rejected(() -> SpecValidator.validate(OK.withDeploymentOptions(new DeploymentOptions().setInstances(0)), AutoShutdown.NEVER),
          "deploymentOptions.instances");
      rejected(() -> SpecValidator.validate(OK.withDeploymentOptions(new DeploymentOptions().setHa(true)), AutoShutdown.NEVER),
          "deploymentOptions.ha");
      rejected(() -> SpecValidator.validate(OK.withId("i".repeat(ChildSpec.MAX_ID_LENGTH + 1)), AutoShutdown.NEVER), "id");
      assertThatCode(() -> SpecValidator.validate(OK.withId("i".repeat(ChildSpec.MAX_ID_LENGTH)), AutoShutdown.NEVER))
          .doesNotThrowAnyException();
    }
  }

  @Nested
  class VerticleClass {

    @Test
    void findsAVerticleByNameWithOrWithoutJavaPrefix() {
      org.assertj.core.api.Assertions.assertThat(SpecValidator.verticleClass(ChildSpec.verticle("v", NamedChild.class.getName())))
          .isEqualTo(NamedChild.class);
      org.assertj.core.api.Assertions.assertThat(SpecValidator.verticleClass(ChildSpec.verticle("v", "java:" + NamedChild.class.getName())))
          .isEqualTo(NamedChild.class);
    }

    @ParameterizedTest(name = "{0} is rejected without initializing it")
    @ValueSource(strings = {"NotAVerticle", "NoDefaultConstructor", "Abstract"})
    void rejectsAClassThatCannotBeAVerticleWithoutInitializingIt(String simpleName) {
      rejected(() -> SpecValidator.verticleClass(ChildSpec.verticle("v", Tripwires.name(simpleName))), "verticle");
      org.assertj.core.api.Assertions.assertThat(Tripwires.INITIALIZED).doesNotContain(simpleName);
    }

    @Test
    void rejectsAMissingClass() {
      rejected(() -> SpecValidator.verticleClass(ChildSpec.verticle("v", "no.such.Verticle")), "verticle");
      rejected(() -> SpecValidator.verticleClass(ChildSpec.verticle("v", "not a name")), "verticle");
    }
  }

  @Nested
  class ValidateAll {

    @Test
    void rejectsDuplicateIdsAndANullList() {
      rejected(() -> SpecValidator.validateAll(List.of(OK, OK.withRestart(RestartType.TEMPORARY)), AutoShutdown.NEVER), "id");
      rejected(() -> SpecValidator.validateAll(null, AutoShutdown.NEVER), "children");
    }
  }

  @Nested
  class ValidateOptions {

    @Test
    void acceptsTheDefaults() {
      assertThatCode(() -> SpecValidator.validateOptions(new SupervisorOptions(), false)).doesNotThrowAnyException();
      assertThatCode(() -> SpecValidator.validateOptions(new DynamicSupervisorOptions(), true)).doesNotThrowAnyException();
    }

    @Test
    void allowsIntensityZero() {
      assertThatCode(() -> SpecValidator.validateOptions(new SupervisorOptions().setIntensity(0), false)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = AutoShutdown.class, names = {"ANY_SIGNIFICANT", "ALL_SIGNIFICANT"})
    void acceptsAutoShutdownForAStaticSupervisorOnly(AutoShutdown auto) {
      assertThatCode(() -> SpecValidator.validateOptions(new SupervisorOptions().setAutoShutdown(auto), false)).doesNotThrowAnyException();
      rejected(() -> SpecValidator.validateOptions(new DynamicSupervisorOptions().setAutoShutdown(auto), true), "autoShutdown");
    }

    @Test
    void acceptsAnyEventsAddressWhenEventsAreNotPublished() {
      assertThatCode(() -> SpecValidator.validateOptions(new SupervisorOptions().setPublishEvents(false).setEventsAddress(null), false))
          .doesNotThrowAnyException();
      rejected(() -> SpecValidator.validateOptions(new SupervisorOptions().setEventsAddress(""), false), "eventsAddress");
    }
  }
}
