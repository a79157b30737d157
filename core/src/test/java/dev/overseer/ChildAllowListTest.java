package dev.overseer;

import dev.overseer.testing.NamedChild;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildAllowListTest {

  private static final String VERTICLE = NamedChild.class.getName();

  private static SupervisorError errorOf(Throwable t) {
    return ((SupervisorException) t).error();
  }

  @Nested
  class None {

    @Test
    void allowsNothing() {
      ChildAllowList none = ChildAllowList.none();
      assertThat(none.isEmpty()).isTrue();
      assertThat(none.allowsVerticle(VERTICLE)).isFalse();
      assertThatThrownBy(() -> none.check(ChildSpec.verticle("v", VERTICLE)))
          .satisfies(e -> assertThat(errorOf(e)).isEqualTo(SupervisorError.FORBIDDEN));
      assertThatThrownBy(() -> none.fromTemplate("t", null))
          .satisfies(e -> assertThat(errorOf(e)).isEqualTo(SupervisorError.FORBIDDEN));
    }

    @Test
    void isTheDefaultOfSupervisorOptions() {
      assertThat(new SupervisorOptions().getAllowList()).isEqualTo(ChildAllowList.none());
      assertThat(new SupervisorOptions(new JsonObject()).getAllowList().isEmpty()).isTrue();
      assertThat(new SupervisorOptions().isRevealConfig()).isFalse();
    }
  }

  @Nested
  class Verticles {

    @Test
    void allowsExactlyTheNamedClassesWithOrWithoutJavaPrefix() {
      ChildAllowList list = ChildAllowList.none().withVerticles("java:com.example.A").withVerticle(NamedChild.class);
      assertThat(list.verticles()).containsExactly("com.example.A", VERTICLE);
      assertThat(list.allowsVerticle("com.example.A")).isTrue();
      assertThat(list.allowsVerticle("java:" + VERTICLE)).isTrue();
      assertThat(list.allowsVerticle("com.example.AB")).isFalse();
      assertThat(list.allowsVerticle("com.example")).isFalse();
      assertThat(list.allowsVerticle(null)).isFalse();
      ChildSpec spec = ChildSpec.verticle("v", VERTICLE);
      assertThat(list.check(spec)).isSameAs(spec);
    }

    @Test
    void refusesASupplierSpecAndAnUnlistedClass() {
      ChildAllowList list = ChildAllowList.none().withVerticle(NamedChild.class);
      assertThatThrownBy(() -> list.check(ChildSpec.worker("w", () -> null)))
          .satisfies(e -> assertThat(errorOf(e)).isEqualTo(SupervisorError.FORBIDDEN));
      assertThatThrownBy(() -> list.check(ChildSpec.verticle("v", "dev.overseer.DynamicSupervisor")))
          .satisfies(e -> assertThat(errorOf(e)).isEqualTo(SupervisorError.FORBIDDEN))
          .hasMessageContaining("not on the allow-list");
    }

    @ParameterizedTest(name = "\"{0}\" is not a class name")
    @ValueSource(strings = {"", " ", "com.example.*", "com..A", "a b", "js:app.js", ".A", "A."})
    void rejectsWhatIsNotAClassName(String name) {
      assertThatThrownBy(() -> ChildAllowList.none().withVerticles(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leavesTheOriginalUnchanged() {
      ChildAllowList a = ChildAllowList.none();
      ChildAllowList b = a.withVerticles("x.Y");
      assertThat(a.isEmpty()).isTrue();
      assertThat(b.isEmpty()).isFalse();
      assertThatThrownBy(() -> b.verticles().add("z.W")).isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class Templates {

    private final ChildSpec template = ChildSpec.verticle("session", VERTICLE).withRestart(RestartType.TEMPORARY);

    @Test
    void givesTheTemplateWithTheCallersIdOrItsOwn() {
      ChildAllowList list = ChildAllowList.none().withTemplate("s", template);
      assertThat(list.isEmpty()).isFalse();
      assertThat(list.fromTemplate("s", "s7").id()).isEqualTo("s7");
      assertThat(list.fromTemplate("s", "s7").restart()).isEqualTo(RestartType.TEMPORARY);
      assertThat(list.fromTemplate("s", null).id()).isEqualTo("session");
      assertThat(list.allowsVerticle(VERTICLE)).isFalse();
    }

    @Test
    void refusesAnUnknownTemplateNamingTheKnownOnes() {
      ChildAllowList list = ChildAllowList.none().withTemplate("s", template);
      assertThatThrownBy(() -> list.fromTemplate("admin", null))
          .satisfies(e -> assertThat(errorOf(e)).isEqualTo(SupervisorError.FORBIDDEN))
          .hasMessageContaining("admin").hasMessageContaining("[s]");
    }

    @Test
    void rejectsABlankNameOrNoSpec() {
      assertThatThrownBy(() -> ChildAllowList.none().withTemplate(" ", template)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ChildAllowList.none().withTemplate("t", null)).isInstanceOf(NullPointerException.class);
    }
  }

  @Nested
  class Json {

    @Test
    void roundTripsVerticlesAndTemplatesWithTheirConfig() {
      ChildAllowList list = ChildAllowList.none().withVerticles("com.example.A")
          .withTemplate("s", ChildSpec.verticle("s", VERTICLE)
              .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("k", "v"))));
      ChildAllowList back = ChildAllowList.fromJson(new JsonObject(list.toJson().encode()));
      assertThat(back).isEqualTo(list);
      assertThat(back.templates().get("s").deploymentOptions().getConfig()).isEqualTo(new JsonObject().put("k", "v"));
    }

    @Test
    void travelsInsideSupervisorOptions() {
      SupervisorOptions options = new SupervisorOptions().setRevealConfig(true)
          .setAllowList(ChildAllowList.none().withVerticles("com.example.A"));
      SupervisorOptions back = new SupervisorOptions(new JsonObject(options.toJson().encode()));
      assertThat(back.getAllowList()).isEqualTo(options.getAllowList());
      assertThat(back.isRevealConfig()).isTrue();
      assertThat(new SupervisorOptions(options).getAllowList()).isEqualTo(options.getAllowList());
      DynamicSupervisorOptions dyn = new DynamicSupervisorOptions().setAllowList(options.getAllowList()).setRevealConfig(true);
      assertThat(new DynamicSupervisorOptions(dyn.toJson()).getAllowList()).isEqualTo(options.getAllowList());
    }

    @Test
    void leavesOutTemplatesAndExtraArgumentsFromOptionsWithoutSecrets() {
      ChildAllowList list = ChildAllowList.none().withVerticles("com.example.A").withTemplate("s", ChildSpec.verticle("s", VERTICLE)
          .withDeploymentOptions(new DeploymentOptions().setConfig(new JsonObject().put("password", "hunter2"))));
      DynamicSupervisorOptions dyn = new DynamicSupervisorOptions().setAllowList(list)
          .setExtraArguments(new JsonObject().put("token", "s3cret"));
      JsonObject shown = dyn.toJson(false);
      assertThat(shown.encode()).doesNotContain("hunter2").doesNotContain("s3cret");
      DynamicSupervisorOptions back = new DynamicSupervisorOptions(shown);
      assertThat(back.getAllowList().verticles()).containsExactly("com.example.A");
      assertThat(back.getAllowList().templates()).isEmpty();
      assertThat(dyn.toJson().encode()).contains("hunter2").contains("s3cret");
      assertThat(dyn.toJson()).isEqualTo(dyn.toJson(true));
    }

    @Test
    void leavesOutSupplierTemplates() {
      ChildAllowList list = ChildAllowList.none().withTemplate("w", ChildSpec.worker("w", () -> null));
      assertThat(list.toJson().getJsonObject("templates").isEmpty()).isTrue();
    }

    static Stream<Arguments> badJson() {
      return Stream.of(
          Arguments.of(new JsonObject().put("verticles", "com.example.A"), "allowList.verticles"),
          Arguments.of(new JsonObject().put("verticles", new JsonArray().add(3)), "allowList.verticles[0]"),
          Arguments.of(new JsonObject().put("verticles", new JsonArray().add("a.B").add("a.*")), "allowList.verticles[1]"),
          Arguments.of(new JsonObject().put("templates", new JsonArray()), "allowList.templates"),
          Arguments.of(new JsonObject().put("templates", new JsonObject().put("t", "x")), "allowList.templates.t"),
          Arguments.of(new JsonObject().put("templates", new JsonObject().put("t", new JsonObject().put("id", "t"))),
              "allowList.templates.t"),
          Arguments.of(new JsonObject().put("verticle", new JsonArray()), "allowList.verticle"));
    }

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @MethodSource("badJson")
    void rejectsABadFieldNamingIt(JsonObject json, String field) {
      assertThatThrownBy(() -> ChildAllowList.fromJson(json))
          .satisfies(e -> assertThat(errorOf(e)).isEqualTo(SupervisorError.INVALID_SPEC))
          .hasMessageStartingWith("invalid_spec: " + field + ":");
      assertThatThrownBy(() -> new SupervisorOptions(new JsonObject().put("allowList", json)))
          .hasMessageStartingWith("invalid_spec: " + field + ":");
    }

    @Test
    void rejectsAnAllowListThatIsNotAnObject() {
      assertThatThrownBy(() -> new SupervisorOptions(new JsonObject().put("allowList", "everything")))
          .hasMessageStartingWith("invalid_spec: allowList:");
      assertThatThrownBy(() -> new SupervisorOptions(new JsonObject().put("revealConfig", "yes")))
          .hasMessageStartingWith("invalid_spec: revealConfig:");
    }
  }
}
