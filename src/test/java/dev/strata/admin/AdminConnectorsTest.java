package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connectors in the admin API and metrics: state, pool, outcomes, latency, per-connection detail. */
class AdminConnectorsTest {

  private Vertx vertx;
  private NetServer remote;
  private final List<NetSocket> remoteSockets = new CopyOnWriteArrayList<>();
  private AdminHarness h;

  @BeforeEach
  void start() {
    vertx = AdminHarness.metricsVertx();
    // the remote service: a line server answering "echo:<line>"
    remote = vertx.createNetServer().connectHandler(s -> {
      remoteSockets.add(s);
      s.closeHandler(v -> remoteSockets.remove(s));
      s.handler(RecordParser.newDelimited("\n", line -> s.write("echo:" + line + "\n")));
    }).listen(0, "127.0.0.1").await();
    JsonObject node = new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("gw", "lines", "svc.echo")))
        .put("connectors", new JsonArray().add(new JsonObject().put("name", "echo").put("address", "svc.echo")
            .put("hosts", new JsonArray().add("127.0.0.1:" + remote.actualPort())).put("codec", "lines")
            .put("pool", 2).put("reconnect", new JsonObject().put("initial", "5s").put("max", "5s"))));
    h = AdminHarness.start(vertx, node, "127.0.0.1", AdminHarness.TOKEN);
  }

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
    vertx.close().await();
  }

  @Test
  void listsConnectorsWithTheirPoolOutcomesAndConnections() throws Exception {
    try (LineClient c = new LineClient(h.port("gw"))) {
      assertThat(c.request("a")).isEqualTo("echo:a");
      assertThat(c.request("b")).isEqualTo("echo:b");
    }
    JsonObject echo = h.json("/api/connectors").getJsonArray("connectors").getJsonObject(0);
    assertThat(echo.getString("name")).isEqualTo("echo");
    assertThat(echo.getString("address")).isEqualTo("svc.echo");
    assertThat(echo.getString("state")).isEqualTo("up");
    assertThat(echo.getString("circuit")).isEqualTo("closed");
    assertThat(echo.getInteger("pool")).isEqualTo(2);
    assertThat(echo.getInteger("open")).isEqualTo(2);
    assertThat(echo.getLong("requests")).isEqualTo(2);
    assertThat(echo.getLong("ok")).isEqualTo(2);
    assertThat(echo.getJsonArray("connections")).hasSize(2);
    JsonObject used = echo.getJsonArray("connections").stream().map(JsonObject.class::cast)
        .filter(c -> c.getLong("requestsSent") > 0).findFirst().orElseThrow();
    assertThat(used.getString("remote")).isEqualTo("127.0.0.1:" + remote.actualPort());
    assertThat(used.getString("state")).isEqualTo("open");
    assertThat(used.getLong("bytesOut")).isEqualTo(4); // "a\n" and "b\n"
    assertThat(h.json("/api/connectors/echo").getJsonArray("connectors")).hasSize(1);
    assertThat(h.get("/api/connectors/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void exportsConnectorMetrics() throws Exception {
    try (LineClient c = new LineClient(h.port("gw"))) {
      assertThat(c.request("x")).isEqualTo("echo:x");
    }
    String metrics = h.get("/metrics").body();
    assertThat(metrics).contains("strata_connector_requests_total{connector=\"echo\",outcome=\"ok\"} 1.0");
    assertThat(metrics).contains("strata_connector_connections_open{connector=\"echo\"} 2.0");
    assertThat(metrics).contains("strata_connector_request_duration_seconds_count{connector=\"echo\"} 1");
    assertThat(metrics).contains("strata_connector_circuit_open{connector=\"echo\"} 0.0");
  }

  @Test
  void showsALostConnectionAndTheReasonUntilItReconnects() {
    await().atMost(Duration.ofSeconds(5)).until(() -> remoteSockets.size() == 2);
    remoteSockets.get(0).close();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      JsonObject echo = h.json("/api/connectors/echo").getJsonArray("connectors").getJsonObject(0);
      assertThat(echo.getString("state")).isEqualTo("degraded");
      assertThat(echo.getInteger("open")).isEqualTo(1);
      assertThat(echo.getLong("connectionsLost")).isEqualTo(1);
      assertThat(echo.getJsonArray("connections").stream().map(JsonObject.class::cast)
          .map(c -> c.getString("lastError"))).anyMatch(e -> e != null && e.contains("closed"));
    });
    assertThat(h.get("/metrics").body()).contains("strata_connector_connections_lost_total{connector=\"echo\"} 1.0");
  }
}
