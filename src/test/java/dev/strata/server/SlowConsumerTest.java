package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.stream.CloseReason;
import dev.strata.stream.ClosedConnection;
import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client that sends requests and never reads the replies: its write queue fills, Strata stops
 * reading from it, and after {@code slowConsumerTimeout} it is closed with reason {@code slow consumer};
 * a client that reads is not disturbed.
 */
class SlowConsumerTest {

  @Test
  void aClientThatNeverReadsIsClosedAndTheOthersAreNot() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Strata strata = TestNodes.start(vertx, new JsonObject()
          .put("listeners", new JsonArray().add(TestNodes.listener("echo", "lines", "app.echo")
              .put("maxWriteQueue", 4096).put("slowConsumerTimeout", "500ms")))
          .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.EchoVerticle")))
          .put("admin", new JsonObject().put("enabled", false)));
      int port = strata.port("echo");
      try (Socket deaf = new Socket(); LineClient canary = new LineClient(port)) {
        deaf.setReceiveBufferSize(4096);
        deaf.connect(new InetSocketAddress("127.0.0.1", port));
        Thread writer = new Thread(() -> {
          byte[] line = ("x".repeat(99) + "\n").repeat(100).getBytes();
          try {
            OutputStream out = deaf.getOutputStream();
            for (int i = 0; i < 10_000; i++) { // up to 100 MB: blocks once Strata stops reading
              out.write(line);
            }
          } catch (java.io.IOException closedByTheServer) {
            // expected
          }
        });
        writer.setDaemon(true);
        writer.start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          assertThat(canary.request("alive")).isEqualTo("alive");
          assertThat(strata.registry().recentlyClosed()).extracting(ClosedConnection::closeReason)
              .containsExactly(CloseReason.SLOW_CONSUMER);
        });
        assertThat(canary.request("still")).isEqualTo("still");
        assertThat(strata.registry().stats("echo").closed(CloseReason.SLOW_CONSUMER)).isEqualTo(1);
      }
    } finally {
      vertx.close().await();
    }
  }
}
