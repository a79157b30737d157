package dev.overseer.cluster;

import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The options' defaults, JSON form and copies (the supervisor's validation is tested where it starts). */
class DistributedSupervisorOptionsTest {

  @Test
  void handoffPacingDefaultsRoundTripsThroughJsonAndCopies() {
    DistributedSupervisorOptions defaults = new DistributedSupervisorOptions();
    assertThat(defaults.getHandoffConcurrency()).isEqualTo(DistributedSupervisorOptions.DEFAULT_HANDOFF_CONCURRENCY).isEqualTo(16);
    assertThat(defaults.getHandoffTimeout()).isEqualTo(DistributedSupervisorOptions.DEFAULT_HANDOFF_TIMEOUT);

    DistributedSupervisorOptions set = new DistributedSupervisorOptions().setName("s").addAllowedVerticle("a.B")
        .setHandoffConcurrency(7).setHandoffTimeout(Duration.ofMillis(1234));
    JsonObject json = set.toJson();
    assertThat(json.getInteger("handoffConcurrency")).isEqualTo(7);
    assertThat(json.getLong("handoffTimeout")).isEqualTo(1234L);
    DistributedSupervisorOptions back = new DistributedSupervisorOptions(json);
    assertThat(back.getHandoffConcurrency()).isEqualTo(7);
    assertThat(back.getHandoffTimeout()).isEqualTo(Duration.ofMillis(1234));
    assertThat(back.toJson()).isEqualTo(json);
    DistributedSupervisorOptions copy = new DistributedSupervisorOptions(set);
    assertThat(copy.toJson()).isEqualTo(json);
    assertThat(new DistributedSupervisorOptions(new JsonObject()).getHandoffConcurrency())
        .isEqualTo(DistributedSupervisorOptions.DEFAULT_HANDOFF_CONCURRENCY);
  }

  @Test
  void localPartitionsDefaultTo4AndRoundTripThroughJsonAndCopies() {
    assertThat(new DistributedSupervisorOptions().getLocalPartitions())
        .isEqualTo(DistributedSupervisorOptions.DEFAULT_LOCAL_PARTITIONS).isEqualTo(4);
    DistributedSupervisorOptions set = new DistributedSupervisorOptions().setLocalPartitions(5);
    JsonObject json = set.toJson();
    assertThat(json.getInteger("localPartitions")).isEqualTo(5);
    assertThat(new DistributedSupervisorOptions(json).getLocalPartitions()).isEqualTo(5);
    assertThat(new DistributedSupervisorOptions(set).getLocalPartitions()).isEqualTo(5);
    assertThat(new DistributedSupervisorOptions(new JsonObject()).getLocalPartitions()).isEqualTo(4);
  }

  @Test
  void childLoopDefaultsToAnyRoundTripsAndRejectsAnUnknownLoop() {
    assertThat(new DistributedSupervisorOptions().getChildLoop()).isEqualTo(dev.overseer.ChildLoop.ANY);
    DistributedSupervisorOptions set = new DistributedSupervisorOptions().setChildLoop(dev.overseer.ChildLoop.SUPERVISOR);
    JsonObject json = set.toJson();
    assertThat(json.getString("childLoop")).isEqualTo("SUPERVISOR");
    assertThat(new DistributedSupervisorOptions(json).getChildLoop()).isEqualTo(dev.overseer.ChildLoop.SUPERVISOR);
    assertThat(new DistributedSupervisorOptions(set).getChildLoop()).isEqualTo(dev.overseer.ChildLoop.SUPERVISOR);
    assertThat(new DistributedSupervisorOptions(new JsonObject().put("childLoop", "supervisor")).getChildLoop())
        .isEqualTo(dev.overseer.ChildLoop.SUPERVISOR);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DistributedSupervisorOptions(new JsonObject().put("childLoop", "nearest")))
        .isInstanceOf(dev.overseer.SupervisorException.class).hasMessageContaining("childLoop");
  }

  @Test
  void revealConfigIsOffByDefaultAndRoundTripsThroughJsonAndCopies() {
    assertThat(new DistributedSupervisorOptions().isRevealConfig()).isFalse();
    DistributedSupervisorOptions set = new DistributedSupervisorOptions().setRevealConfig(true);
    JsonObject json = set.toJson();
    assertThat(json.getBoolean("revealConfig")).isTrue();
    assertThat(new DistributedSupervisorOptions(json).isRevealConfig()).isTrue();
    assertThat(new DistributedSupervisorOptions(set).isRevealConfig()).isTrue();
    assertThat(new DistributedSupervisorOptions(new JsonObject()).isRevealConfig()).isFalse();
    assertThatThrownBy(() -> new DistributedSupervisorOptions(new JsonObject().put("revealConfig", "yes")))
        .isInstanceOf(SupervisorException.class).hasMessageContaining("revealConfig");
  }

  @Test
  void aFieldOfTheWrongTypeOrAnExplicitNullIsAnInvalidSpecNamingIt() {
    Map<String, Object> bad = new LinkedHashMap<>();
    // (a number where a string is expected, as name or controlAddress, is read as its text, as
    // Vert.x's JsonObject.getString and SupervisorOptions do)
    bad.put("allowedVerticles", "a.B");
    bad.put("expectedMembers", "three");
    bad.put("quorum", JsonObject.of());
    bad.put("childIntensity", true);
    bad.put("childPeriod", "5s");
    bad.put("requestTimeout", "x");
    bad.put("reconcileInterval", List.of());
    bad.put("startTimeout", "x");
    bad.put("rebalanceOnJoin", "yes");
    bad.put("rebalanceMoves", "x");
    bad.put("rebalanceInterval", "x");
    bad.put("handoffConcurrency", "x");
    bad.put("handoffTimeout", "x");
    bad.put("localPartitions", "x");
    bad.put("childLoop", 3);
    Map<String, String> outcomes = new LinkedHashMap<>();
    bad.forEach((field, value) -> {
      try {
        new DistributedSupervisorOptions(new JsonObject().put(field, value));
        outcomes.put(field, "accepted " + value);
      } catch (SupervisorException e) {
        outcomes.put(field, e.error() == SupervisorError.INVALID_SPEC && e.getMessage().contains(field + ":") ? "refused"
            : e.error() + " " + e.getMessage());
      }
    });
    assertThat(outcomes).allSatisfy((field, outcome) -> assertThat(outcome).as(field).isEqualTo("refused"));
    for (String needed : List.of("expectedMembers", "childPeriod", "rebalanceOnJoin", "handoffConcurrency", "childLoop")) {
      assertThatThrownBy(() -> new DistributedSupervisorOptions(new JsonObject().putNull(needed))).as(needed)
          .isInstanceOf(SupervisorException.class).hasMessageContaining(needed + ":");
    }
    assertThatThrownBy(() -> new DistributedSupervisorOptions(new JsonObject().put("allowedVerticles", List.of("a.B", 1))))
        .isInstanceOf(SupervisorException.class).hasMessageContaining("allowedVerticles:");
  }
}
