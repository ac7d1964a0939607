package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Push: the dashboard's event stream, the history, and the frame tap. */
class AdminEventsTest {

  private static Vertx vertx;
  private AdminHarness node;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void start() {
    node = AdminHarness.start(vertx, TestNodes.defaultNode(), "127.0.0.1", AdminHarness.TOKEN);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void eventStreamPushesTicksAndOpenedAndClosedConnections() throws Exception {
    try (SseClient sse = new SseClient(node.http(), node.base() + "/api/events?listener=echo&sort=-id")) {
      await().until(() -> !sse.named("tick").isEmpty());
      assertThat(sse.status).isEqualTo(200);
      LineClient c = new LineClient(node.port("echo"));
      c.request("hi");
      int localPort = c.socket().getLocalPort();
      await().untilAsserted(() -> assertThat(sse.named("opened"))
          .anySatisfy(e -> assertThat(e.data().getString("remote")).endsWith(":" + localPort)));
      await().untilAsserted(() -> {
        JsonObject tick = sse.named("tick").get(sse.named("tick").size() - 1).data();
        assertThat(tick.getJsonObject("open").getJsonArray("connections")).isNotEmpty();
        assertThat(tick.getJsonObject("open").getJsonArray("connections").getJsonObject(0).getLong("framesIn"))
            .isEqualTo(1);
        assertThat(tick.getJsonArray("listeners")).isNotEmpty();
        assertThat(tick.getJsonObject("point")).isNotNull();
      });
      c.close();
      await().untilAsserted(() -> assertThat(sse.named("closed"))
          .anySatisfy(e -> assertThat(e.data().getString("closeReason")).isEqualTo("client closed")));
      await().untilAsserted(() -> {
        JsonObject tick = sse.named("tick").get(sse.named("tick").size() - 1).data();
        assertThat(tick.getJsonObject("closed").getJsonArray("connections")).isNotEmpty();
      });
    }
    await().until(() -> node.json("/api/history").getJsonArray("points").size() >= 2);
  }

  @Test
  void frameTapStreamsDecodedFramesInPrintableFormOnlyWithItsCapability() throws Exception {
    try (LineClient c = new LineClient(node.port("echo"))) {
      c.request("before the tap");
      long id = node.json("/api/connections").getJsonArray("connections").getJsonObject(0).getLong("id");
      assertThat(node.request("POST", "/api/connections/" + id + "/tap").statusCode()).isEqualTo(401);
      JsonObject tap = new JsonObject(node.request("POST", "/api/connections/" + id + "/tap?frames=10",
          AdminHarness.bearer()).body());
      assertThat(node.json("/api/connections/" + id).getBoolean("tapping")).isTrue();
      assertThat(node.get("/api/connections/" + id + "/tap/events?tap=guess").statusCode()).isEqualTo(404);
      try (SseClient sse = new SseClient(node.http(), node.base() + tap.getString("eventsUrl"))) {
        c.send("<script>alert(1)</script>\u0001tail\n");
        assertThat(c.readLine()).startsWith("<script>");
        await().untilAsserted(() -> assertThat(sse.named("frames").stream()
            .flatMap(e -> e.data().getJsonArray("frames").stream()).map(o -> (JsonObject) o).toList())
            .anySatisfy(f -> {
              assertThat(f.getString("dir")).isEqualTo("in");
              assertThat(f.getString("text")).isEqualTo("<script>alert(1)</script>\\x01tail");
            })
            .anySatisfy(f -> assertThat(f.getString("dir")).isEqualTo("out")));
        assertThat(sse.named("frames").toString()).doesNotContain("before the tap");
      }
      await().until(() -> !node.json("/api/connections/" + id).getBoolean("tapping"));
    }
  }
}
