package dev.overseer.server;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateCodecTest {

  @Nested
  class Decode {
    @ParameterizedTest
    @ValueSource(strings = {"3", "3000000000", "-7", "3.0", "9223372036854775807"})
    void longsTakeAnyIntegralJsonNumberInRange(String json) throws Exception {
      assertThat(StateCodec.longs().decode(Json.decodeValue(json))).isEqualTo(new java.math.BigDecimal(json).longValueExact());
    }

    @ParameterizedTest
    @ValueSource(strings = {"3.5", "\"3\"", "true", "{\"n\":3}", "[3]", "null", "9223372036854775808"})
    void longsRefuseEverythingElse(String json) {
      assertThatThrownBy(() -> StateCodec.longs().decode(Json.decodeValue(json))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void integersRefuseNumbersBeyondAnInt() throws Exception {
      assertThat(StateCodec.integers().decode(Json.decodeValue("2147483647"))).isEqualTo(Integer.MAX_VALUE);
      assertThatThrownBy(() -> StateCodec.integers().decode(Json.decodeValue("2147483648"))).hasMessageContaining("fits an int");
    }

    @Test
    void typedCodecsCheckTheJsonType() throws Exception {
      assertThat(StateCodec.strings().decode("a")).isEqualTo("a");
      assertThat(StateCodec.booleans().decode(true)).isTrue();
      assertThat(StateCodec.jsonObjects().decode(new JsonObject().put("a", 1))).isEqualTo(new JsonObject().put("a", 1));
      assertThat(StateCodec.jsonArrays().decode(new JsonArray().add(1))).isEqualTo(new JsonArray().add(1));
      assertThatThrownBy(() -> StateCodec.strings().decode(3)).hasMessageContaining("expected a JSON string, got a Integer");
      assertThatThrownBy(() -> StateCodec.jsonObjects().decode(new JsonArray())).hasMessageContaining("expected a JSON object");
      assertThatThrownBy(() -> StateCodec.json().decode(null)).hasMessageContaining("null is not a state");
    }

    @Test
    void aCustomDecoderMustProduceTheDeclaredType() {
      StateCodec<String> lying = StateCodec.of("lying", String.class, s -> s, j -> null);
      assertThatThrownBy(() -> lying.decode("x")).hasMessageContaining("decoded null, not a String");
    }
  }

  @Nested
  class Encode {
    @Test
    void encodesJsonValuesAsText() {
      assertThat(StateCodec.longs().encodeToText(5L)).isEqualTo("5");
      assertThat(StateCodec.jsonObjects().encodeToText(new JsonObject().put("a", 1))).isEqualTo("{\"a\":1}");
    }

    @Test
    void refusesWhatIsNotJsonWithTheCodecsName() {
      assertThatThrownBy(() -> StateCodec.json().encodeToText(new Object()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state codec 'json' cannot encode the state");
      assertThatThrownBy(() -> StateCodec.jsonObjects().encodeToText(new JsonObject().put("x", new Object())))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("state codec 'json-object'");
    }
  }

  @Nested
  class VersionsAndNames {
    @Test
    void migratesOnlyWhenAMigrationIsDeclared() throws Exception {
      assertThat(StateCodec.longs().version()).isEqualTo(1);
      assertThatThrownBy(() -> StateCodec.longs().migrate(1, 5)).hasMessageContaining("no migration");
      StateCodec<Long> v2 = StateCodec.longs().withVersion(2, (from, json) -> ((Number) json).longValue() * 10);
      assertThat(v2.version()).isEqualTo(2);
      assertThat(v2.migrate(1, 5)).isEqualTo(50L);
      assertThatThrownBy(() -> StateCodec.longs().withVersion(0, (f, j) -> j)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validatesWithTheDeclaredValidator() throws Exception {
      StateCodec<Long> positive = StateCodec.longs().withValidator(n -> {
        if (n < 0) {
          throw new IllegalArgumentException("negative");
        }
      });
      positive.validate(1L);
      assertThatThrownBy(() -> positive.validate(-1L)).hasMessage("negative");
    }

    @ParameterizedTest
    @ValueSource(strings = {"long", "integer", "string", "boolean", "json-object", "json-array", "json"})
    void wellKnownNamesFindTheirCodec(String name) {
      assertThat(StateCodec.named(name).name()).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java.lang.Runtime", "Long", "", "mapped:Foo"})
    void anyOtherNameIsRefusedNeverLoadedAsAClass(String name) {
      assertThatThrownBy(() -> StateCodec.named(name)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown state codec");
    }
  }
}
