package dev.overseer.console;

import dev.overseer.console.testing.Fixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

@ExtendWith(VertxExtension.class)
class ConsoleOptionsTest {

  @Test
  void hasSafeDefaults() {
    ConsoleOptions options = new ConsoleOptions();
    assertThat(options.getHost()).isEqualTo("127.0.0.1");
    assertThat(options.getPort()).isEqualTo(8088);
    assertThat(options.getToken()).isNull();
    assertThat(options.isReadOnly()).isFalse();
    assertThat(options.getCoalesceInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(options.getEventHistory()).isEqualTo(50);
    assertThat(options.getEventMemoryBytes()).isEqualTo(16L * 1024 * 1024);
  }

  @Test
  void roundTripsThroughJsonAndCopies() {
    ConsoleOptions options = new ConsoleOptions().setHost("localhost").setPort(0).setToken("abcdefghijklmnop-1")
        .setReadOnly(true).setCoalesceInterval(Duration.ofMillis(40)).setEventHistory(7).setEventMemoryBytes(1_000_000);
    JsonObject json = options.toJson();
    assertThat(json.getLong("coalesceInterval")).isEqualTo(40L);
    assertThat(new ConsoleOptions(json).toJson()).isEqualTo(json);
    assertThat(new ConsoleOptions(options).toJson()).isEqualTo(json);
    assertThat(new ConsoleOptions(new JsonObject()).toJson()).isEqualTo(new ConsoleOptions().toJson());
    assertThat(options.toString()).doesNotContain("abcdefghijklmnop-1");
  }

  @Test
  void namesAFieldOfTheWrongTypeInJson() {
    assertThatThrownBy(() -> new ConsoleOptions(new JsonObject().put("port", "eighty")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"port\": 70000}            | port:",
      "{\"port\": -1}               | port:",
      "{\"host\": \" \"}            | host:",
      "{\"token\": \"short\"}       | token:",
      "{\"token\": \"has spaces in the token\"} | token:",
      "{\"coalesceInterval\": 1}    | coalesceInterval:",
      "{\"eventHistory\": 0}        | eventHistory:",
      "{\"eventMemoryBytes\": 1000} | eventMemoryBytes:"
  })
  void refusesToStartWithABadOption(String json, String field, Vertx vertx) {
    Throwable failure = catchThrowable(() -> Console.start(vertx, new ConsoleOptions(new JsonObject(json))).await());
    assertThat(failure).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(field);
  }

  @Test
  void generatesAStrongTokenAndPrintsAReadyUrl(Vertx vertx) {
    Console console = Console.start(vertx, new ConsoleOptions().setPort(0)).await();
    assertThat(console.token()).matches("[A-Za-z0-9_-]{43}");
    assertThat(console.url()).isEqualTo("http://127.0.0.1:" + console.port() + "/#token=" + console.token());
    Console other = Console.start(vertx, new ConsoleOptions().setPort(0)).await();
    assertThat(other.token()).isNotEqualTo(console.token());
  }

  @Test
  void failsToStartOnATakenPort(Vertx vertx) {
    Console first = Console.start(vertx, new ConsoleOptions().setPort(0).setToken(Fixture.TOKEN)).await();
    Throwable failure = catchThrowable(() -> Console.start(vertx, new ConsoleOptions().setPort(first.port())).await());
    assertThat(failure).isNotNull();
  }

  @Test
  void refusesBadStartableRegistrations() {
    Console console = new Console();
    assertThatThrownBy(() -> console.registerStartable("", "t", () -> null)).hasMessageContaining("supervisorName");
    assertThatThrownBy(() -> console.registerStartable("s", " ", () -> null)).hasMessageContaining("templateName");
    assertThatThrownBy(() -> console.registerStartable("s", "t", null)).isInstanceOf(NullPointerException.class);
  }
}
