package dev.overseer.cluster;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

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
}
