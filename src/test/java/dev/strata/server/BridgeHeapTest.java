package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.BridgeClient;
import dev.strata.support.ChildNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Bridge clients that do not read cannot grow the server's heap, tried against a node in its own JVM
 * (256 MB heap; the heap after a full collection read from {@code /health}): one registered while 100,000
 * messages are published to it, one that pipelines 100,000 requests and never reads a reply. The first
 * is bounded by the outbox (1,000 messages) and the socket's write queue; the second by backpressure:
 * its socket is not read while its replies are not taken.
 */
class BridgeHeapTest {

  private static final int MESSAGES = 100_000;
  private static final String BODY = "x".repeat(200);
  private static ChildNode node;
  private static int bridgePort;

  @BeforeAll
  static void start() {
    bridgePort = ChildNode.freePort();
    node = ChildNode.start("bridge-heap", """
        listeners: []
        apps:
          - name: echo
            verticle: dev.strata.apps.EchoVerticle
        bridge:
          host: 127.0.0.1
          port: %d
        """.formatted(bridgePort), List.of("-Xmx256m", "-XX:+UseSerialGC"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aRegisteredClientThatNeverReadsHoldsLittleWhile100kPublishesArrive(TestInfo info) throws Exception {
    long baseline = node.heapAfterGcMb();
    try (Socket sleeper = new Socket(); BridgeClient publisher = new BridgeClient(bridgePort)) {
      sleeper.setReceiveBufferSize(4096); // before connecting: a small window, so the server's queue fills soon
      sleeper.connect(new InetSocketAddress("127.0.0.1", bridgePort), 5_000);
      sleeper.getOutputStream().write(frame(new JsonObject().put("type", "register").put("address", "app.flood")));
      await().atMost(Duration.ofSeconds(10)).until(() -> bridgeConnections().stream()
          .anyMatch(c -> ((JsonObject) c).getLong("framesIn") >= 1));

      OutputStream out = new BufferedOutputStream(publisher.output(), 1 << 16);
      for (int i = 0; i < MESSAGES; i++) {
        out.write(frame(new JsonObject().put("type", "publish").put("address", "app.flood").put("body", BODY)));
      }
      out.flush();
      publisher.send(new JsonObject().put("type", "ping"));
      assertThat(publisher.next().getString("type")).as("every publish was handled").isEqualTo("pong");

      long after = node.heapAfterGcMb();
      System.out.printf("%s: heap after GC %d MB at baseline, %d MB with a client holding %d publishes unread%n",
          info.getDisplayName(), baseline, after, MESSAGES);
      // 100,000 messages of 200 bytes held would be ~60 MB with their frames
      assertThat(after - baseline).as("heap growth (MB) while the client does not read").isLessThan(16);
      assertThat(node.logged("does not read what it is sent")).isTrue();
    }
  }

  @Test
  void aClientPipelining100kRequestsWithoutReadingIsNotReadEither(TestInfo info) throws Exception {
    long baseline = node.heapAfterGcMb();
    try (Socket greedy = new Socket()) {
      greedy.setReceiveBufferSize(4096);
      greedy.connect(new InetSocketAddress("127.0.0.1", bridgePort), 5_000);
      OutputStream out = new BufferedOutputStream(greedy.getOutputStream(), 1 << 16);
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; i < MESSAGES; i++) {
            out.write(frame(BridgeClient.request("app.echo", BODY, "r" + i)));
          }
          out.flush();
        } catch (IOException closed) {
          // the test closes the socket while this thread is blocked on a full window: expected
        }
      }, "greedy-writer");
      writer.setDaemon(true);
      writer.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> bridgeConnections().stream()
          .anyMatch(c -> ((JsonObject) c).getBoolean("readPaused")));
      JsonObject conn = (JsonObject) bridgeConnections().getValue(0);
      long after = node.heapAfterGcMb();
      System.out.printf("%s: heap after GC %d MB at baseline, %d MB with a client that sent %d of %d requests "
          + "unread (%d bytes read)%n", info.getDisplayName(), baseline, after, conn.getLong("framesIn"), MESSAGES,
          conn.getLong("bytesIn"));
      assertThat(conn.getLong("framesIn")).as("requests the server read before it stopped reading")
          .isLessThan(MESSAGES);
      assertThat(after - baseline).as("heap growth (MB) while the client does not read").isLessThan(16);
    }
  }

  private static JsonArray bridgeConnections() {
    return node.get("/api/connections?state=open&listener=bridge").getJsonArray("connections");
  }

  private static byte[] frame(JsonObject msg) {
    byte[] json = msg.encode().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
  }
}
