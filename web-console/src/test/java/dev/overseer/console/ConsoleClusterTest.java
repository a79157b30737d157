package dev.overseer.console;

import dev.overseer.console.testing.ClusterFixture;
import dev.overseer.console.testing.Fixture;
import dev.overseer.console.testing.Http;
import dev.overseer.console.testing.Poll;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/cluster} on a real 3-member Hazelcast cluster in this JVM: members, the
 * distributed supervisor's children with their owners, a graceful handoff seen live (owners,
 * epochs and the CHILD_HANDED_OFF events with from/to), a member leaving; and an embedded console
 * that has no cluster.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConsoleClusterTest {

  private ClusterFixture fx;

  @AfterEach
  void close() {
    if (fx != null) {
      fx.close();
    }
  }

  private JsonObject cluster(Http http) {
    HttpResponse<Buffer> r = http.get("/api/cluster");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static JsonObject supervisor(JsonObject cluster) {
    return cluster.getJsonArray("supervisors").stream().map(JsonObject.class::cast)
        .filter(s -> ClusterFixture.DS.equals(s.getString("name"))).findFirst().orElse(null);
  }

  private static Map<String, JsonObject> children(JsonObject cluster) {
    JsonObject ds = supervisor(cluster);
    Map<String, JsonObject> out = new HashMap<>();
    if (ds != null) {
      ds.getJsonArray("children").forEach(o -> out.put(((JsonObject) o).getString("id"), (JsonObject) o));
    }
    return out;
  }

  @Test
  void showsMembersChildrenOwnersAndAHandoffLive() throws Exception {
    fx = ClusterFixture.start(3, new ConsoleOptions());
    Http http = new Http(fx.members.get(0).vertx(), fx.console.port());

    // behind the token like every API call
    assertThat(http.raw(HttpMethod.GET, "/api/cluster").send().await().statusCode()).isEqualTo(401);

    List<String> ids = fx.startChildren("c-", 12);
    Set<String> nodes = Set.of(fx.node(0), fx.node(1), fx.node(2));
    Poll.until("12 running children listed with owners", Duration.ofSeconds(30), () -> {
      Map<String, JsonObject> c = children(cluster(http));
      return c.keySet().equals(new HashSet<>(ids)) && c.values().stream().allMatch(j -> "running".equals(j.getString("status")));
    });
    JsonObject before = cluster(http);
    assertThat(before.getBoolean("clustered")).isTrue();
    assertThat(before.getString("self")).isEqualTo(fx.node(0));
    JsonArray members = before.getJsonArray("members");
    assertThat(members).hasSize(3);
    assertThat(members.stream().map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet())).isEqualTo(nodes);
    JsonObject first = members.getJsonObject(0);
    assertThat(first.getString("id")).isEqualTo(fx.node(0));
    assertThat(first.getBoolean("self")).isTrue();
    assertThat(first.getString("address")).startsWith("127.0.0.1:");
    assertThat(members.stream().filter(o -> ((JsonObject) o).getBoolean("self")).count()).isEqualTo(1);
    assertThat(members.stream().allMatch(o -> "up".equals(((JsonObject) o).getString("status")))).isTrue();

    JsonObject ds = supervisor(before);
    assertThat(new HashSet<>(ds.getJsonArray("members").getList())).isEqualTo(nodes);
    assertThat(ds.getInteger("total")).isEqualTo(12);
    assertThat(ds.getBoolean("truncated")).isFalse();
    Map<String, JsonObject> placed = children(before);
    for (JsonObject c : placed.values()) {
      assertThat(nodes).contains(c.getString("owner"));
      assertThat(c.getLong("epoch")).isPositive();
      // ids, owners and epochs only: a distributed child's spec (its config) is never shown here
      assertThat(c.fieldNames()).doesNotContain("spec", "config");
    }
    // the owners are the supervisor's own answer
    Map<String, String> owners = new HashMap<>();
    fx.supervisors.get(0).placements().await().forEach(p -> owners.put(p.id(), p.owner()));
    placed.forEach((id, c) -> assertThat(c.getString("owner")).isEqualTo(owners.get(id)));

    // member 2 leaves the supervisor gracefully: its children are handed off to 0 and 1
    String leaving = fx.node(2);
    List<String> theirs = placed.values().stream().filter(c -> leaving.equals(c.getString("owner")))
        .map(c -> c.getString("id")).toList();
    fx.members.get(2).vertx().undeploy(fx.supervisors.get(2).deploymentID()).await(60, TimeUnit.SECONDS);
    Poll.until("every child running on members 0 and 1", Duration.ofSeconds(30), () -> {
      Map<String, JsonObject> c = children(cluster(http));
      return c.size() == 12 && c.values().stream().allMatch(j -> "running".equals(j.getString("status"))
          && !leaving.equals(j.getString("owner")));
    });
    JsonObject after = cluster(http);
    assertThat(new HashSet<>(supervisor(after).getJsonArray("members").getList())).isEqualTo(Set.of(fx.node(0), fx.node(1)));
    Map<String, JsonObject> moved = children(after);
    for (String id : theirs) {
      JsonObject c = moved.get(id);
      assertThat(c.getLong("epoch")).isGreaterThan(placed.get(id).getLong("epoch"));
      assertThat(c.getString("from")).isEqualTo(leaving);
      assertThat(c.getString("cause")).isEqualTo("HANDOFF");
    }
    // the children that came to this member are in its event log, with from and to
    List<String> toHere = theirs.stream().filter(id -> fx.node(0).equals(moved.get(id).getString("owner"))).toList();
    Poll.until("handoff events of the children that came here", Duration.ofSeconds(10), () -> {
      JsonArray events = http.get("/api/events?limit=200").bodyAsJsonObject().getJsonArray("events");
      Set<String> handed = events.stream().map(JsonObject.class::cast)
          .filter(e -> "CHILD_HANDED_OFF".equals(e.getString("type"))).map(e -> e.getString("childId")).collect(Collectors.toSet());
      return handed.containsAll(toHere);
    });
    JsonArray events = http.get("/api/events?limit=200").bodyAsJsonObject().getJsonArray("events");
    events.stream().map(JsonObject.class::cast).filter(e -> "CHILD_HANDED_OFF".equals(e.getString("type"))).forEach(e -> {
      assertThat(e.getString("supervisor")).isEqualTo(ClusterFixture.DS);
      JsonObject d = e.getJsonObject("details");
      assertThat(d.getString("from")).isEqualTo(leaving);
      assertThat(d.getString("to")).isEqualTo(fx.node(0));
      assertThat(d.getLong("unavailableMillis")).isNotNegative();
    });
    // member 2 leaves the cluster: shown as left, the others up
    fx.members.get(2).close().await(60, TimeUnit.SECONDS);
    Poll.until("member 2 shown as left", Duration.ofSeconds(30), () -> cluster(http).getJsonArray("members").stream()
        .map(JsonObject.class::cast).anyMatch(m -> leaving.equals(m.getString("id")) && "left".equals(m.getString("status"))));
    JsonArray last = cluster(http).getJsonArray("members");
    assertThat(last.stream().map(JsonObject.class::cast).filter(m -> "up".equals(m.getString("status"))).count()).isEqualTo(2);
  }

  @Test
  void anEmbeddedConsoleHasNoCluster() {
    Vertx vertx = Vertx.vertx();
    try {
      Fixture plain = Fixture.start(vertx, new ConsoleOptions());
      JsonObject c = new Http(vertx, plain.console.port()).get("/api/cluster").bodyAsJsonObject();
      assertThat(c).isEqualTo(new JsonObject().put("clustered", false).put("members", new JsonArray())
          .put("supervisors", new JsonArray()));
      assertThat(new Http(vertx, plain.console.port()).raw(HttpMethod.GET, "/api/cluster").send().await().statusCode())
          .isEqualTo(401);
    } finally {
      vertx.close().await();
    }
  }
}
