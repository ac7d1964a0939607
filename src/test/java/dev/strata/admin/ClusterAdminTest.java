package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.cluster.ClusterNode;
import dev.strata.config.AdminConfig;
import dev.strata.config.ClusterConfig;
import dev.strata.support.LineClient;
import dev.strata.support.TestClusters;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API of a two-member cluster (in-process members, this class's own cluster name and
 * ports): every member answers for the whole cluster, and an action reaches the member that holds
 * the connection.
 */
class ClusterAdminTest {

  private static Vertx vertxA;
  private static Vertx vertxB;
  private static AdminHarness a;
  private static AdminHarness b;

  @BeforeAll
  static void start() {
    String name = "strata-admin-" + UUID.randomUUID();
    vertxA = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, 6031)).await();
    vertxB = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, 6031)).await();
    a = AdminHarness.start(vertxA, node(), new AdminConfig(true, "127.0.0.1", 0, AdminHarness.TOKEN));
    b = AdminHarness.start(vertxB, node(), new AdminConfig(true, "127.0.0.1", 0, AdminHarness.TOKEN));
  }

  private static JsonObject node() {
    return new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("echo", "lines", "app.echo")))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.EchoVerticle")));
  }

  @AfterAll
  static void stop() {
    if (vertxB != null) {
      vertxB.close().await();
    }
    if (vertxA != null) {
      vertxA.close().await();
    }
  }

  @Test
  void everyMemberListsEveryMembersConnectionsAndAnActionReachesTheHolder() throws Exception {
    List<LineClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        clients.add(new LineClient(a.port("echo")));
      }
      for (int i = 0; i < 2; i++) {
        clients.add(new LineClient(b.port("echo")));
      }
      for (LineClient c : clients) {
        assertThat(c.request("hi")).isEqualTo("hi");
      }
      String nodeA = a.strata.nodeId();
      String nodeB = b.strata.nodeId();
      assertThat(nodeA).isNotEqualTo(nodeB);
      for (AdminHarness member : List.of(a, b)) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          JsonObject page = member.json("/api/connections?state=open");
          assertThat(page.getLong("total")).isEqualTo(5);
          Set<String> nodes = new TreeSet<>();
          page.getJsonArray("connections").forEach(o -> nodes.add(((JsonObject) o).getString("node")));
          assertThat(nodes).containsExactlyInAnyOrder(nodeA, nodeB);
        });
        JsonArray members = member.json("/api/nodes").getJsonArray("nodes");
        assertThat(members.stream().map(o -> ((JsonObject) o).getString("node"))).containsExactly(nodeA, nodeB);
        members.forEach(o -> assertThat(((JsonObject) o).getMap()).containsKeys("host", "uptimeMs", "eventLoopDelayMs",
            "listeners", "applications", "connections", "heapUsedMb"));
        assertThat(member.json("/api/listeners").getJsonArray("listeners")).hasSize(2);
      }
      // a node filter asks that member only
      JsonObject onlyB = a.json("/api/connections?state=open&node=" + nodeB);
      assertThat(onlyB.getLong("total")).isEqualTo(2);
      onlyB.getJsonArray("connections").forEach(o -> assertThat(((JsonObject) o).getString("node")).isEqualTo(nodeB));
      assertThat(a.get("/api/connections?node=n99").statusCode()).isEqualTo(404);
      // the charts' history adds the members' seconds up: 3 + 2 connections
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonArray points = b.json("/api/history").getJsonArray("points");
        assertThat(points).isNotEmpty();
        assertThat(points.getJsonObject(points.size() - 1).getLong("connections")).isEqualTo(5);
      });
      // deploy, through member A's API, an application on member B
      java.net.http.HttpResponse<String> created = a.http().send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(a.base() + "/api/deployments"))
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(new JsonObject().put("verticle", "dev.strata.apps.EchoVerticle")
              .put("name", "remote").put("node", nodeB).put("config", new JsonObject().put("address", "app.remote")).encode()))
          .header("Authorization", "Bearer " + AdminHarness.TOKEN).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      assertThat(b.strata.applications().stream().map(d -> d.name())).contains("remote");
      assertThat(a.strata.applications().stream().map(d -> d.name())).doesNotContain("remote");
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .until(() -> "x".equals(vertxA.eventBus().request("app.remote", "x").await().body()));
      assertThat(b.json("/api/deployments").getJsonArray("deployments").stream()
          .map(o -> ((JsonObject) o).getString("id"))).contains(nodeB + "-remote");
      // close, through member A's API, a connection that member B holds
      long onB = b.strata.registry().open().iterator().next().id();
      JsonObject detail = a.json("/api/connections/" + onB);
      assertThat(detail.getString("node")).isEqualTo(nodeB);
      assertThat(a.request("DELETE", "/api/connections/" + onB + "?reason=test", AdminHarness.bearer()).statusCode())
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(() -> b.strata.registry().get(onB) == null);
      assertThat(a.get("/api/connections/" + ((5L << 40) + 1)).statusCode()).isEqualTo(404);
    } finally {
      for (LineClient c : clients) {
        c.close();
      }
    }
  }
}
