package dev.strata.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.stream.CloseReason;
import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The byte-stream layer's hostile clients, all against one real node while its canary does round
 * trips: slowloris, idle, one connection over {@code maxConnections} and over {@code
 * maxConnectionsPerIp}, a client that never reads, half-close, and 1,000 resets in the middle of a
 * request. After each: the canary still answers, and the registry holds only the canary.
 * (TLS misuse — plaintext to a TLS port, a stalled handshake, TLS 1.0, an untrusted client
 * certificate — is in {@code TlsTest}, against TLS listeners.)
 */
class HostileStreamLayerTest {

  private static HostileNode node;

  @BeforeAll
  static void start() {
    JsonArray listeners = new JsonArray()
        .add(TestNodes.listener("slow", "lines", "app.mirror").put("frameTimeout", "400ms").put("idleTimeout", "600ms"))
        .add(TestNodes.listener("max", "lines", "app.mirror").put("maxConnections", 5))
        .add(TestNodes.listener("per-ip", "lines", "app.mirror").put("maxConnectionsPerIp", 3))
        .add(TestNodes.listener("no-read", "lines", "app.mirror").put("maxWriteQueue", 65536)
            .put("slowConsumerTimeout", "500ms").put("maxFrameBytes", 1 << 20))
        .add(TestNodes.listener("echo", "lines", "app.mirror"));
    node = new HostileNode(listeners, new JsonObject());
  }

  @AfterEach
  void settle() {
    node.settle();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void slowlorisIsClosedAtFrameTimeoutThoughItKeepsSending() throws Exception {
    try (LineClient c = new LineClient(node.port("slow"))) {
      AtomicBoolean closed = new AtomicBoolean();
      // one byte every 100 ms: idleTimeout (600 ms) never fires, frameTimeout (400 ms) does
      for (int i = 0; i < 100 && !closed.get(); i++) {
        try {
          c.send("x");
        } catch (IOException e) {
          closed.set(true);
        }
        if (node.closed("slow").stream().anyMatch(x -> x.closeReason() == CloseReason.FRAME_TIMEOUT)) {
          closed.set(true);
        }
        Thread.sleep(100); // the slowloris's own pace, not synchronisation: the await below decides
      }
      node.awaitClosed("slow", CloseReason.FRAME_TIMEOUT);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void anIdleConnectionIsClosedAtIdleTimeout() throws Exception {
    try (LineClient c = new LineClient(node.port("slow"))) {
      node.awaitClosed("slow", CloseReason.IDLE);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void oneConnectionOverMaxConnectionsIsRefusedAndTheOthersGoOn() throws Exception {
    List<LineClient> five = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        LineClient c = new LineClient(node.port("max"));
        five.add(c);
        assertThat(c.request("in " + i)).isEqualTo("in " + i);
      }
      long rejected = node.strata.registry().stats("max").rejected();
      try (LineClient sixth = new LineClient(node.port("max"))) {
        assertThat(sixth.closedByServer()).as("the sixth is closed at once").isTrue();
      }
      assertThat(node.strata.registry().stats("max").rejected()).isEqualTo(rejected + 1);
      for (int i = 0; i < 5; i++) {
        assertThat(five.get(i).request("still " + i)).isEqualTo("still " + i);
      }
    } finally {
      for (LineClient c : five) {
        c.close();
      }
    }
  }

  @Test
  void oneConnectionOverThePerIpLimitIsRefused() throws Exception {
    List<LineClient> three = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        LineClient c = new LineClient(node.port("per-ip"));
        three.add(c);
        assertThat(c.request("ip " + i)).isEqualTo("ip " + i);
      }
      try (LineClient fourth = new LineClient(node.port("per-ip"))) {
        assertThat(fourth.closedByServer()).isTrue();
      }
      assertThat(node.strata.registry().stats("per-ip").rejectedPerIp()).isPositive();
      assertThat(three.get(0).request("after")).isEqualTo("after");
    } finally {
      for (LineClient c : three) {
        c.close();
      }
    }
  }

  @Test
  void aClientThatNeverReadsIsClosedAsASlowConsumer() throws Exception {
    try (Socket s = new Socket("127.0.0.1", node.port("no-read"))) {
      byte[] line = ("y".repeat(16 * 1024) + "\n").getBytes(StandardCharsets.US_ASCII);
      Thread writer = new Thread(() -> {
        try {
          OutputStream out = s.getOutputStream();
          for (int i = 0; i < 4096; i++) { // 64 MB of requests whose replies it never reads
            out.write(line);
          }
        } catch (IOException closed) {
          // the node closed it: expected
        }
      });
      writer.start();
      node.awaitClosed("no-read", CloseReason.SLOW_CONSUMER);
      writer.join(10_000);
      assertThat(writer.isAlive()).isFalse();
    }
  }

  @Test
  void halfCloseGetsEveryReplyThenEndOfStream() throws Exception {
    try (LineClient c = new LineClient(node.port("echo"))) {
      StringBuilder requests = new StringBuilder();
      for (int i = 0; i < 1000; i++) {
        requests.append("half-").append(i).append('\n');
      }
      c.send(requests.toString());
      c.socket().shutdownOutput();
      for (int i = 0; i < 1000; i++) {
        assertThat(c.readLine()).isEqualTo("half-" + i);
      }
      assertThat(c.readLine()).as("end of stream after the last reply").isNull();
    }
  }

  @Test
  void aThousandResetsInTheMiddleOfARequestLeaveNothingBehind() throws Exception {
    long before = node.strata.registry().stats("echo").closed(CloseReason.RESET)
        + node.strata.registry().stats("echo").closed(CloseReason.CLIENT_CLOSED);
    for (int i = 0; i < 1000; i++) {
      LineClient c = new LineClient(node.port("echo"));
      c.send(i % 2 == 0 ? "half a requ" : "a whole request\nand half of the ne");
      c.reset();
    }
    await("every reset connection gone from the registry").atMost(Duration.ofSeconds(20)).until(() ->
        node.strata.registry().stats("echo").closed(CloseReason.RESET)
            + node.strata.registry().stats("echo").closed(CloseReason.CLIENT_CLOSED) - before >= 1000);
    assertThat(node.strata.registry().pendingFrames().total()).as("no partial frame held").isZero();
  }
}
