package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.TestNodes;
import dev.strata.support.UdpClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A udp listener in the admin API and /metrics: per-sender figures, per-listener totals, no per-sender labels. */
class UdpAdminTest {

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
    config.getJsonArray("listeners").add(TestNodes.listener("echo-udp", "lines", "app.echo")
        .put("transport", "udp").put("maxDatagramBytes", 100).put("maxSenders", 3));
    node = AdminHarness.start(vertx, config, "127.0.0.1", AdminHarness.TOKEN);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void sendersShowTheirDatagramsBytesErrorsAndOversizedReplies() {
    int port = node.port("echo-udp");
    try (UdpClient a = new UdpClient(port); UdpClient b = new UdpClient(port)) {
      assertThat(a.request("one\n")).isEqualTo("one\n");
      assertThat(a.request("two\n")).isEqualTo("two\n");
      assertThat(a.request("cut")).startsWith("-ERR");                         // a frame error
      assertThat(b.request("y".repeat(150) + "\n")).startsWith("-ERR reply too large"); // over maxDatagramBytes

      JsonObject answer = node.json("/api/listeners/echo-udp/senders");
      assertThat(answer.getLong("total")).isEqualTo(2);
      JsonArray senders = answer.getJsonArray("senders");
      // most recent first; a and b may share a millisecond, so each is found by its port
      JsonObject sa = bySender(senders, a.localPort());
      JsonObject sb = bySender(senders, b.localPort());
      assertThat(sa.getLong("datagramsIn")).isEqualTo(3);
      assertThat(sa.getLong("datagramsOut")).isEqualTo(3);
      assertThat(sa.getLong("bytesIn")).isEqualTo(4 + 4 + 3);
      assertThat(sa.getLong("errors")).isEqualTo(1);
      assertThat(sa.getLong("lastSeen")).isPositive();
      assertThat(sb.getLong("oversized")).isEqualTo(1);

      // a sender is a pseudo-connection: its id works with the connection API too
      JsonObject conn = node.json("/api/connections/" + sa.getLong("id"));
      assertThat(conn.getString("listener")).isEqualTo("echo-udp");

      JsonObject l = node.listener("echo-udp");
      assertThat(l.getString("transport")).isEqualTo("udp");
      JsonObject udp = l.getJsonObject("udp");
      assertThat(udp.getLong("senders")).isEqualTo(2);
      assertThat(udp.getLong("maxSenders")).isEqualTo(3);
      assertThat(udp.getLong("datagramsIn")).isEqualTo(4);
      assertThat(udp.getLong("repliesOversized")).isEqualTo(1);
      assertThat(node.listener("echo").getString("transport")).isEqualTo("tcp");
      assertThat(node.listener("echo").containsKey("udp")).isFalse();
    }
  }

  @Test
  void metricsCarryPerListenerTotalsNeverASendersAddress() {
    int port = node.port("echo-udp");
    List<UdpClient> clients = List.of(new UdpClient(port), new UdpClient(port), new UdpClient(port),
        new UdpClient(port), new UdpClient(port));
    try {
      for (UdpClient c : clients) {
        assertThat(c.request("hi\n")).isEqualTo("hi\n");
      }
      await().untilAsserted(() -> {
        String m = node.get("/metrics").body();
        assertThat(m).contains("strata_udp_datagrams_in_total{listener=\"echo-udp\"} 5.0");
        assertThat(m).contains("strata_udp_datagrams_out_total{listener=\"echo-udp\"} 5.0");
        assertThat(m).contains("strata_udp_senders{listener=\"echo-udp\"} 3.0"); // maxSenders 3
        assertThat(m).contains("strata_connections_closed_total{listener=\"echo-udp\",reason=\"evicted\"} 2.0");
        List<String> udpLines = m.lines().filter(x -> x.startsWith("strata_udp")).collect(Collectors.toList());
        for (UdpClient c : clients) {
          assertThat(udpLines).noneMatch(x -> x.contains(Integer.toString(c.localPort())));
        }
      });
    } finally {
      clients.forEach(UdpClient::close);
    }
  }

  @Test
  void sendersOfATcpListenerOrAnUnknownOneAreRefused() {
    assertThat(node.get("/api/listeners/echo/senders").statusCode()).isEqualTo(400);
    assertThat(node.get("/api/listeners/nope/senders").statusCode()).isEqualTo(404);
  }

  private static JsonObject bySender(JsonArray senders, int port) {
    for (int i = 0; i < senders.size(); i++) {
      if (senders.getJsonObject(i).getString("remote").endsWith(":" + port)) {
        return senders.getJsonObject(i);
      }
    }
    throw new AssertionError("no sender on port " + port + " in " + senders.encode());
  }
}
