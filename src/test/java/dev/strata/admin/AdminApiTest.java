package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JSON API, /metrics and /health over real HTTP, with real TCP clients on the listeners. */
class AdminApiTest {

  private static Vertx vertx;
  private AdminHarness node;

  @BeforeAll
  static void vertx() {
    vertx = AdminHarness.metricsVertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void start() {
    JsonObject config = TestNodes.defaultNode();
    config.getJsonArray("listeners").getJsonObject(0).put("maxFrameBytes", 64);
    node = AdminHarness.start(vertx, config, "127.0.0.1", AdminHarness.TOKEN);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void listenersShowConnectionsFramesRequestsAndLatency() throws Exception {
    try (LineClient c = new LineClient(node.port("echo"))) {
      for (int i = 0; i < 3; i++) {
        assertThat(c.request("ping " + i)).isEqualTo("ping " + i);
      }
      await().untilAsserted(() -> {
        JsonObject echo = node.listener("echo");
        assertThat(echo.getInteger("port")).isEqualTo(node.port("echo"));
        assertThat(echo.getString("codec")).isEqualTo("lines");
        assertThat(echo.getString("address")).isEqualTo("app.echo");
        assertThat(echo.getJsonObject("connections").getLong("current")).isEqualTo(1);
        assertThat(echo.getJsonObject("connections").getLong("total")).isEqualTo(1);
        assertThat(echo.getLong("framesIn")).isEqualTo(3);
        assertThat(echo.getLong("framesOut")).isEqualTo(3);
        assertThat(echo.getLong("bytesIn")).isEqualTo(21);
        assertThat(echo.getJsonObject("requests").getLong("total")).isEqualTo(3);
        assertThat(echo.getJsonObject("latency").getDouble("p99Ms")).isPositive();
      });
      assertThat(node.listener("kv-lines").getJsonObject("connections").getLong("current")).isZero();
    }
  }

  @Test
  void connectionsAreFilteredSortedAndPaged() throws Exception {
    try (LineClient small = new LineClient(node.port("echo"));
         LineClient big = new LineClient(node.port("echo"));
         LineClient kv = new LineClient(node.port("kv-lines"))) {
      small.request("a");
      big.request("a much longer line than the other");
      kv.request("SET k v");
      JsonObject all = node.json("/api/connections");
      assertThat(all.getLong("total")).isEqualTo(3);
      JsonObject echo = node.json("/api/connections?listener=echo&sort=-bytesIn");
      assertThat(echo.getLong("total")).isEqualTo(2);
      JsonArray rows = echo.getJsonArray("connections");
      assertThat(rows.getJsonObject(0).getString("remote")).endsWith(":" + big.socket().getLocalPort());
      assertThat(rows.getJsonObject(1).getString("remote")).endsWith(":" + small.socket().getLocalPort());
      JsonObject page = node.json("/api/connections?listener=echo&sort=bytesIn&order=asc&offset=1&limit=1");
      assertThat(page.getLong("total")).isEqualTo(2);
      assertThat(page.getJsonArray("connections")).hasSize(1);
      assertThat(page.getJsonArray("connections").getJsonObject(0).getLong("bytesIn")).isEqualTo(34);
      JsonObject row = rows.getJsonObject(0);
      assertThat(row.fieldNames()).contains("id", "listener", "remote", "ageMs", "bytesIn", "bytesOut", "framesIn",
          "framesOut", "rates", "inFlight", "readPaused", "writeQueueFull", "lastActivity");
      assertThat(row.getJsonObject("rates").getJsonObject("framesIn").fieldNames()).containsExactly("1s", "10s", "60s");

      small.close();
      await().untilAsserted(() -> {
        JsonObject closed = node.json("/api/connections?state=closed");
        assertThat(closed.getJsonArray("connections")).singleElement()
            .satisfies(o -> assertThat(((JsonObject) o).getString("closeReason")).isEqualTo("client closed"));
      });
      assertThat(node.json("/api/connections?state=all").getLong("total")).isEqualTo(3);
      assertThat(node.json("/api/connections?state=open").getLong("total")).isEqualTo(2);
    }
  }

  @Test
  void badQueriesAreRefusedWithTheReason() {
    HttpResponse<String> sort = node.get("/api/connections?sort=shoeSize");
    assertThat(sort.statusCode()).isEqualTo(400);
    assertThat(sort.body()).contains("sort 'shoeSize' must be one of");
    assertThat(node.get("/api/connections?limit=0").statusCode()).isEqualTo(400);
    assertThat(node.get("/api/connections?state=zombie").body()).contains("open, closed or all");
    assertThat(node.get("/api/connections/abc").statusCode()).isEqualTo(400);
    assertThat(node.get("/api/connections/424242").statusCode()).isEqualTo(404);
    assertThat(node.get("/api/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void detailShowsRatesAndRecentLatencies() throws Exception {
    try (LineClient c = new LineClient(node.port("echo"))) {
      for (int i = 0; i < 5; i++) {
        c.request("x" + i);
      }
      long id = node.json("/api/connections").getJsonArray("connections").getJsonObject(0).getLong("id");
      await().untilAsserted(() -> {
        JsonObject d = node.json("/api/connections/" + id);
        assertThat(d.getJsonObject("latency").getInteger("samples")).isEqualTo(5);
        assertThat(d.getJsonObject("latency").getDouble("p99Ms")).isPositive();
        assertThat(d.getJsonObject("rates").getJsonObject("framesIn").getDouble("10s")).isPositive();
        assertThat(d.getLong("peakInFlight")).isPositive();
      });
    }
  }

  @Test
  void closingAConnectionNeedsTheTokenAndIsRecordedWithItsReason() throws Exception {
    try (LineClient c = new LineClient(node.port("echo"))) {
      c.request("hello");
      long id = node.json("/api/connections").getJsonArray("connections").getJsonObject(0).getLong("id");
      String path = "/api/connections/" + id + "?reason=maintenance";
      assertThat(node.request("DELETE", path).statusCode()).isEqualTo(401);
      assertThat(node.request("DELETE", path, "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
      assertThat(node.request("DELETE", path, "Authorization", "Bearer " + AdminHarness.TOKEN,
          "Origin", "http://evil.example").statusCode()).isEqualTo(403);
      assertThat(c.request("still open")).isEqualTo("still open");

      HttpResponse<String> ok = node.request("DELETE", path, "Authorization", "Bearer " + AdminHarness.TOKEN);
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(c.closedByServer()).isTrue();
      await().untilAsserted(() -> assertThat(node.json("/api/connections/" + id).getString("closeReason"))
          .isEqualTo("closed by admin: maintenance"));
      assertThat(node.request("DELETE", path, AdminHarness.bearer()).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void metricsExposeStrataAndVertxMeters() throws Exception {
    try (LineClient c = new LineClient(node.port("echo"))) {
      c.request("one");
      c.request("two");
      try (LineClient bad = new LineClient(node.port("echo"))) {
        bad.send("x".repeat(200) + "\n");
        assertThat(bad.readLine()).startsWith("-ERR frame too long");
      }
      await().untilAsserted(() -> {
        String m = node.get("/metrics").body();
        assertThat(m).contains("strata_frames_in_total{listener=\"echo\"} 2.0")
            .contains("strata_frames_out_total{listener=\"echo\"}")
            .contains("strata_decode_errors_total{kind=\"too_long\",listener=\"echo\"} 1.0")
            .contains("strata_request_duration_seconds_bucket{address=\"app.echo\",listener=\"echo\",le=")
            .contains("strata_request_duration_seconds_count{address=\"app.echo\",listener=\"echo\"} 2")
            .contains("strata_connections_active{listener=\"echo\"} 1.0")
            .contains("strata_connections_rejected_total{listener=\"echo\"} 0.0")
            .contains("vertx_net_server_active_connections")
            .contains("vertx_eventbus_handlers");
      });
      assertThat(node.get("/metrics").headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    }
  }

  @Test
  void healthIsUpWhileListenersAreBoundAndDrainNeedsTheToken() {
    HttpResponse<String> up = node.get("/health");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(up.body()).getString("status")).isEqualTo("UP");
    assertThat(up.body()).contains("event-bus", "listeners");

    assertThat(node.request("POST", "/api/listeners/echo/drain").statusCode()).isEqualTo(401);
    assertThat(node.request("POST", "/api/listeners/nope/drain", AdminHarness.bearer()).statusCode()).isEqualTo(404);
    int port = node.port("echo");
    assertThat(node.request("POST", "/api/listeners/echo/drain", AdminHarness.bearer()).statusCode()).isEqualTo(200);
    assertThat(node.listener("echo").getString("state")).isEqualTo("drained");
    assertThat(node.get("/health").body()).contains("drained");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LineClient(port).close())
            .isInstanceOf(java.io.IOException.class));
    assertThat(List.of(node.get("/health").statusCode())).containsExactly(200);
  }
}
