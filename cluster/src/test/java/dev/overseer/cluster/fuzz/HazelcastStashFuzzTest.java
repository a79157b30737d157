package dev.overseer.cluster.fuzz;

import dev.overseer.cluster.HazelcastStash;
import dev.overseer.cluster.OverseerCluster;
import dev.overseer.cluster.testing.TestClusters;
import dev.overseer.fuzz.StashFuzz;
import dev.overseer.stash.Stash;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** {@link StashFuzz} on the Hazelcast stash of a one-member cluster (fewer inputs: each is a map operation). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HazelcastStashFuzzTest extends StashFuzz {

  private List<OverseerCluster> members;

  @BeforeAll
  void start() throws Exception {
    // Without the route grace: each input stops and starts the server, and a stopping server's
    // consumer would otherwise linger 100 ms for senders that route by name (there are none
    // here), most of the test's time.
    List<Integer> ports = TestClusters.freePorts(1);
    members = List.of(OverseerCluster.start(TestClusters.options(TestClusters.randomName(), ports.get(0), ports)
        .setRouteGrace(Duration.ZERO)).await(60, java.util.concurrent.TimeUnit.SECONDS));
  }

  @AfterAll
  void close() {
    TestClusters.closeAll(members);
  }

  @Override
  protected Vertx vertx() {
    return members.get(0).vertx();
  }

  @Override
  protected Stash stash() {
    return new HazelcastStash(vertx(), members.get(0).hazelcast(), "fuzz-" + UUID.randomUUID(), Duration.ofSeconds(5));
  }

  @Override
  protected String prefix() {
    return "f" + UUID.randomUUID().toString().substring(0, 8) + "-";
  }

  @Override
  protected int calls() {
    return 4_000;
  }

  @Override
  protected int entries() {
    return 500;
  }
}
