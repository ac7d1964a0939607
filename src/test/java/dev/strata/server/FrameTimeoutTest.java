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
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code frameTimeout}: a slowloris client, which keeps a frame open with a byte now and then (each
 * resetting the idle timer), is closed with reason {@code frame timeout}; a slow client whose frames
 * each complete is not, and neither is anyone else.
 */
class FrameTimeoutTest {

  private Vertx vertx;
  private Strata strata;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("echo", "lines", "app.echo").put("frameTimeout", "600ms")))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.EchoVerticle")))
        .put("admin", new JsonObject().put("enabled", false)));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aFrameTrickledByteByByteIsCutAndCompleteFramesAreNot() throws Exception {
    try (Socket slowloris = new Socket("127.0.0.1", strata.port("echo"));
        LineClient slowButWhole = new LineClient(strata.port("echo"));
        LineClient canary = new LineClient(strata.port("echo"))) {
      OutputStream out = slowloris.getOutputStream();
      out.write("GET / HTTP".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long started = System.currentTimeMillis();
      int rounds = 0;
      // a byte every 100 ms on the slowloris, a whole line on the other, a round trip on the canary
      while (strata.registry().stats("echo").closed(CloseReason.FRAME_TIMEOUT) == 0
          && System.currentTimeMillis() - started < 10_000) {
        try {
          out.write('.');
          out.flush();
        } catch (java.io.IOException closed) {
          break;
        }
        assertThat(slowButWhole.request("line " + rounds)).isEqualTo("line " + rounds);
        assertThat(canary.request("c" + rounds)).isEqualTo("c" + rounds);
        rounds++;
        await().pollDelay(Duration.ofMillis(100)).until(() -> true);
      }
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(strata.registry().recentlyClosed())
          .extracting(ClosedConnection::closeReason).containsExactly(CloseReason.FRAME_TIMEOUT));
      assertThat(rounds).as("rounds before the cut").isGreaterThanOrEqualTo(3);
      assertThat(slowButWhole.request("still")).isEqualTo("still");
      assertThat(canary.request("still")).isEqualTo("still");
      assertThat(strata.registry().stats("echo").closed(CloseReason.FRAME_TIMEOUT)).isEqualTo(1);
    }
  }
}
