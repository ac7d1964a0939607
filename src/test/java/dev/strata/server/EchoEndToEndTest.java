package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.stream.CloseReason;
import dev.strata.stream.ClosedConnection;
import dev.strata.stream.Connection;
import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The echo listener over real sockets: framing at the edges, ordering, limits, disconnects. */
@ExtendWith(VertxExtension.class)
class EchoEndToEndTest {

  private Strata strata;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    JsonObject echo = TestNodes.listener("echo", "lines", "app.echo").put("maxFrameBytes", 1024);
    strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray().add(echo))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.EchoVerticle"))));
    port = strata.port("echo");
  }

  @AfterEach
  void stop() {
    strata.stop().await();
  }

  @Test
  void echoesLinesEndedByLfOrCrlf() throws Exception {
    try (LineClient c = new LineClient(port)) {
      c.send("hello\r\nworld\n");
      assertThat(c.readLine()).isEqualTo("hello");
      assertThat(c.readLine()).isEqualTo("world");
    }
  }

  @Test
  void reassemblesRequestsSplitAtEveryOffset() throws Exception {
    byte[] msg = "alpha\r\nbeta\ngamma-delta\n".getBytes(StandardCharsets.UTF_8);
    try (LineClient c = new LineClient(port)) {
      for (int cut = 1; cut < msg.length; cut++) {
        c.send(java.util.Arrays.copyOfRange(msg, 0, cut));
        c.send(java.util.Arrays.copyOfRange(msg, cut, msg.length));
        assertThat(c.readLine()).isEqualTo("alpha");
        assertThat(c.readLine()).isEqualTo("beta");
        assertThat(c.readLine()).isEqualTo("gamma-delta");
      }
      for (byte b : "one byte at a time\n".getBytes(StandardCharsets.UTF_8)) {
        c.send(new byte[] {b});
      }
      assertThat(c.readLine()).isEqualTo("one byte at a time");
    }
  }

  @Test
  void answersManyRequestsInOneWriteInOrder() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      sb.append("req ").append(i).append('\n');
    }
    try (LineClient c = new LineClient(port)) {
      c.send(sb.toString());
      for (int i = 0; i < 5_000; i++) {
        assertThat(c.readLine()).isEqualTo("req " + i);
      }
    }
  }

  @Test
  void refusesAnOversizedLineWithAnErrorAndClosesOnlyThatConnection() throws Exception {
    try (LineClient other = new LineClient(port); LineClient big = new LineClient(port)) {
      assertThat(other.request("before")).isEqualTo("before");
      byte[] tenMiB = new byte[10 * 1024 * 1024];
      java.util.Arrays.fill(tenMiB, (byte) 'x');
      Thread writer = new Thread(() -> {
        try {
          big.send(tenMiB);
        } catch (Exception ignored) {
          // the server closes mid-write: expected
        }
      });
      writer.start();
      assertThat(big.readLine()).startsWith("-ERR frame too long").contains("1024");
      assertThat(big.closedByServer()).isTrue();
      writer.join(10_000);
      assertThat(other.request("after")).isEqualTo("after");
      await().untilAsserted(() -> assertThat(strata.registry().recentlyClosed())
          .extracting(ClosedConnection::closeReason).contains(CloseReason.FRAME_TOO_LARGE));
    }
  }

  @Test
  void registryEmptiesWhenClientsLeaveMidFrameOrReset() throws Exception {
    LineClient a = new LineClient(port);
    LineClient b = new LineClient(port);
    assertThat(a.request("x")).isEqualTo("x");
    assertThat(b.request("y")).isEqualTo("y");
    assertThat(strata.registry().size()).isEqualTo(2);
    a.send("half a fra");
    a.close();
    b.send("half");
    b.reset();
    await().atMost(Duration.ofSeconds(10)).until(() -> strata.registry().size() == 0);
    assertThat(strata.registry().stats("echo").current()).isZero();
    assertThat(strata.registry().recentlyClosed()).extracting(ClosedConnection::closeReason)
        .contains(CloseReason.CLIENT_CLOSED, CloseReason.RESET);
  }

  @Test
  void registryTracksCountersOfAnOpenConnection() throws Exception {
    try (LineClient c = new LineClient(port)) {
      assertThat(c.request("abc")).isEqualTo("abc");
      Connection conn = strata.registry().open().iterator().next();
      assertThat(conn.listener()).isEqualTo("echo");
      assertThat(conn.framesIn()).isEqualTo(1);
      assertThat(conn.bytesIn()).isEqualTo(4);
      await().untilAsserted(() -> assertThat(conn.bytesOut()).isEqualTo(4));
      assertThat(conn.framesOut()).isEqualTo(1);
      assertThat(conn.remoteAddress().port()).isEqualTo(c.socket().getLocalPort());
    }
  }
}
