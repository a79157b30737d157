package dev.overseer.cluster;

import dev.overseer.NameRecord;
import dev.overseer.NameRegistry;
import dev.overseer.Overseer;
import dev.overseer.SupervisorError;
import dev.overseer.SupervisorException;
import dev.overseer.cluster.testing.TestClusters;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cluster-wide names on three clustered Vert.x instances in this JVM. */
class HazelcastNameRegistryTest {

  private static List<OverseerCluster> members;
  private String name;

  /** A deployment that holds nothing itself: its id makes a live holder. */
  static final class Holder extends VerticleBase {
  }

  @BeforeAll
  static void cluster() {
    members = TestClusters.start(3);
  }

  @AfterAll
  static void leave() {
    TestClusters.closeAll(members);
  }

  @BeforeEach
  void freshName() {
    name = "sequence-" + UUID.randomUUID();
  }

  private static NameRegistry registry(int member) {
    return Overseer.nameRegistry(members.get(member).vertx());
  }

  private static NameRecord holder(int member, String name) {
    Vertx vertx = members.get(member).vertx();
    String deployment = vertx.deployVerticle(new Holder()).await();
    return new NameRecord(name, "server", Overseer.nodeId(vertx), deployment);
  }

  @Test
  void isInstalledByTheBootstrapAndClusterWide() {
    for (OverseerCluster m : members) {
      assertThat(Overseer.nameRegistry(m.vertx())).isSameAs(m.nameRegistry());
      assertThat(Overseer.nodeId(m.vertx())).isEqualTo(m.nodeId());
      assertThat(m.nameRegistry().clusterWide()).isTrue();
    }
    assertThat(members.stream().map(OverseerCluster::nodeId).distinct()).hasSize(3);
  }

  @Test
  void twoMembersCannotBothRegisterOneName() {
    NameRecord a = holder(0, name);
    NameRecord b = holder(1, name);
    Future<Void> fa = registry(0).register(a);
    Future<Void> fb = registry(1).register(b);
    List<Throwable> failures = new ArrayList<>();
    for (Future<Void> f : List.of(fa, fb)) {
      try {
        f.await();
      } catch (Throwable t) {
        failures.add(t);
      }
    }
    assertThat(failures).hasSize(1);
    NameRecord winner = fa.succeeded() ? a : b;
    NameRecord loser = fa.succeeded() ? b : a;
    assertThat(failures.get(0)).isInstanceOfSatisfying(SupervisorException.class, e -> {
      assertThat(e.error()).isEqualTo(SupervisorError.ALREADY_STARTED);
      assertThat(e.getMessage()).contains(winner.deploymentId()).contains(winner.nodeId());
    });
    for (int m = 0; m < 3; m++) {
      assertThat(registry(m).whereis(name).await()).contains(winner);
    }
    assertThat(registry(2).registered().await()).contains(winner).doesNotContain(loser);
  }

  @Test
  void registeringTheSameRecordTwiceSucceeds() {
    NameRecord a = holder(0, name);
    registry(0).register(a).await();
    registry(0).register(a).await();
    assertThat(registry(1).whereis(name).await()).contains(a);
  }

  @Test
  void unregisterFreesTheNameAndCallersFailFast() {
    NameRecord a = holder(0, name);
    registry(0).register(a).await();
    registry(1).unregister(holder(1, name)).await();
    assertThat(registry(2).whereis(name).await()).contains(a);
    registry(0).unregister(a).await();
    assertThat(registry(2).whereis(name).await()).isEmpty();
    assertThat(registry(2).isExpected(name).await()).isFalse();
    NameRecord b = holder(1, name);
    registry(1).register(b).await();
    assertThat(registry(0).whereis(name).await()).contains(b);
  }

  @Test
  void aVacatedNameIsExpectedAndAWaiterOnAnotherMemberIsWokenByTheNextHolder() {
    NameRecord a = holder(0, name);
    registry(0).register(a).await();
    registry(0).vacate(a).await();
    assertThat(registry(1).whereis(name).await()).isEmpty();
    assertThat(registry(1).isExpected(name).await()).isTrue();
    Future<NameRecord> waiting = registry(1).awaitRegistered(name, Duration.ofSeconds(20));
    assertThat(waiting.isComplete()).isFalse();
    NameRecord c = holder(2, name);
    registry(2).register(c).await();
    assertThat(waiting.await()).isEqualTo(c);
  }

  /** Registers its name during its start, as a {@code Server} does, and finishes starting only when {@code finish} completes. */
  static final class StartingHolder extends VerticleBase {
    private final String name;
    private final Future<?> finish;

    StartingHolder(String name, Future<?> finish) {
      this.name = name;
      this.finish = finish;
    }

    @Override
    public Future<?> start() {
      NameRecord r = new NameRecord(name, "server", Overseer.nodeId(vertx), context.deploymentID());
      return Overseer.nameRegistry(vertx).register(r).compose(v -> finish);
    }
  }

  @Test
  void aWaiterIsWokenByAHolderOfItsOwnMemberThatRegistersWhileItsDeploymentIsStillStarting() {
    // vertx.deploymentIDs() lists a deployment only once its start has completed: a registry that
    // judged a local holder by it alone saw the fresh holder as dead and left the waiter to its timeout
    NameRecord a = holder(0, name);
    registry(0).register(a).await();
    registry(0).vacate(a).await();
    Future<NameRecord> waiting = registry(0).awaitRegistered(name, Duration.ofSeconds(5));
    assertThat(waiting.isComplete()).isFalse();
    // the holder's start completes only once the waiter has been woken
    Future<String> deployed = members.get(0).vertx().deployVerticle(new StartingHolder(name, waiting));
    NameRecord woken = waiting.await();
    assertThat(woken.deploymentId()).isEqualTo(deployed.await());
  }

  @Test
  void awaitRegisteredAnswersAtOnceForAHeldNameAndTimesOutForAFreeOne() {
    NameRecord a = holder(0, name);
    registry(0).register(a).await();
    assertThat(registry(2).awaitRegistered(name, Duration.ofSeconds(5)).await()).isEqualTo(a);
    assertThatThrownBy(() -> registry(2).awaitRegistered(name + "-never", Duration.ofMillis(300)).await())
        .isInstanceOf(TimeoutException.class);
  }

  @Test
  void aNameHeldByAGoneDeploymentOfTheSameMemberIsFree() {
    NameRecord a = holder(0, name);
    registry(0).register(a).await();
    members.get(0).vertx().undeploy(a.deploymentId()).await();
    assertThat(registry(0).whereis(name).await()).isEmpty();
    NameRecord b = holder(0, name);
    registry(0).register(b).await();
    assertThat(registry(1).whereis(name).await()).contains(b);
  }

  @Test
  void aNameHeldOnAMemberOutOfTheClusterIsTakenOverAtOnce() {
    // a record of a member that is not in the cluster: as after a kill, before any listener ran
    registry(0).register(new NameRecord(name, "server", "gone-" + UUID.randomUUID(), "7")).await();
    assertThat(registry(1).whereis(name).await()).isEmpty();
    NameRecord next = holder(1, name);
    registry(1).register(next).await();
    assertThat(registry(2).whereis(name).await()).contains(next);
  }

  @Test
  void aNameHeldOnAnotherMemberIsNotTakenOverEvenIfTheCallerCannotCheckItsDeployment() {
    NameRecord a = holder(1, name);
    registry(1).register(a).await();
    NameRecord forged = new NameRecord(name, "server", members.get(1).nodeId(), "no-such-deployment");
    assertThatThrownBy(() -> registry(0).register(forged).await()).isInstanceOf(SupervisorException.class);
    assertThat(registry(0).whereis(name).await()).contains(a);
  }

  @Test
  void namesOfAMemberThatLeftAreVacatedAndFreeForOthers() {
    List<Integer> ports = TestClusters.freePorts(1);
    // a fourth member joins the running cluster, registers, and leaves
    OverseerCluster leaving = OverseerCluster.start(TestClusters.options(
        members.get(0).hazelcast().getConfig().getClusterName(), ports.get(0), ports)
        .addMember("127.0.0.1:" + members.get(0).hazelcast().getCluster().getLocalMember().getAddress().getPort())).await();
    NameRecord gone;
    try {
      String deployment = leaving.vertx().deployVerticle(new Holder()).await();
      gone = new NameRecord(name, "server", leaving.nodeId(), deployment);
      leaving.nameRegistry().register(gone).await();
      assertThat(registry(0).whereis(name).await()).contains(gone);
    } finally {
      leaving.close().await();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (registry(1).whereis(name).await().isPresent()) {
      assertThat(System.nanoTime()).as("the leaver's name is still held").isLessThan(deadline);
    }
    assertThat(registry(1).isExpected(name).await()).isTrue();
    NameRecord next = holder(2, name);
    registry(2).register(next).await();
    assertThat(registry(0).whereis(name).await()).contains(next);
  }
}
