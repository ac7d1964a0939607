package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.config.ConfigException;
import dev.strata.config.ConfigLoader;
import dev.strata.stream.CloseReason;
import dev.strata.stream.ClosedConnection;
import dev.strata.stream.PendingFrames;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code limits.pendingFrameBytes}: the node's budget for unfinished frames, shed from the largest holder. */
class PendingFrameBudgetTest {

  private static final int KB = 1024;
  private Vertx vertx;
  private Strata strata;
  private int port;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv").put("maxFrameBytes", 8 << 20)))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle")))
        .put("limits", new JsonObject().put("pendingFrameBytes", "4MB"))
        .put("admin", new JsonObject().put("enabled", false)));
    port = strata.boundPort("kv");
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void theLargestHolderIsClosedForMemoryAndTheOthersFinishTheirFrames() throws IOException {
    PendingFrames budget = strata.registry().pendingFrames();
    assertThat(budget.limit()).isEqualTo(4L << 20);
    try (Socket canary = new Socket("127.0.0.1", port);
        Socket large = new Socket("127.0.0.1", port);
        Socket small = new Socket("127.0.0.1", port);
        Socket medium = new Socket("127.0.0.1", port)) {
      roundTrip(canary, "one");
      startSet(large, "large", 3 << 20, 3000 * KB);
      startSet(small, "small", 200 * KB, 100 * KB);
      await().atMost(Duration.ofSeconds(5)).until(() -> budget.total() > 3000 * KB);
      roundTrip(canary, "two");
      // 3000 KB + 100 KB + 1500 KB held > 4 MB: the largest holder goes.
      startSet(medium, "medium", 2 << 20, 1500 * KB);

      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(strata.registry().recentlyClosed())
          .extracting(ClosedConnection::closeReason).contains(CloseReason.MEMORY));
      assertThat(large.getInputStream().read()).as("the largest holder is closed without a reply").isEqualTo(-1);
      assertThat(budget.shed()).isEqualTo(1);
      assertThat(strata.registry().stats("kv").closedForMemory()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> budget.total() < 2 << 20);

      finishSet(small, 200 * KB - 100 * KB);
      finishSet(medium, (2 << 20) - 1500 * KB);
      assertThat(readLine(small)).isEqualTo("+OK");
      assertThat(readLine(medium)).isEqualTo("+OK");
      roundTrip(canary, "three");
      await().atMost(Duration.ofSeconds(5)).until(() -> budget.total() == 0);
    }
  }

  @Test
  void aCanaryWithSmallFramesIsNeverChosen() throws IOException {
    try (Socket canary = new Socket("127.0.0.1", port)) {
      java.util.List<Socket> holders = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 20; i++) {
          Socket s = new Socket("127.0.0.1", port);
          holders.add(s);
          try {
            startSet(s, "h" + i, 1 << 20, 900 * KB);
          } catch (IOException closedWhileWriting) {
            // the node may close a holder before its last bytes are written
          }
          roundTrip(canary, "c" + i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> strata.registry().pendingFrames().total() <= 4L << 20);
        assertThat(strata.registry().pendingFrames().shed()).isGreaterThanOrEqualTo(15);
      } finally {
        for (Socket s : holders) {
          s.close();
        }
      }
      roundTrip(canary, "end");
    }
  }

  @Test
  void theKeyTakesBytesSizesOrAShareOfTheHeapAndNamesItselfWhenWrong() {
    assertThat(bind("67108864").limits().pendingFrameBytes(1L << 30)).isEqualTo(64L << 20);
    assertThat(bind("64MB").limits().pendingFrameBytes(1L << 30)).isEqualTo(64L << 20);
    assertThat(bind("10%").limits().pendingFrameBytes(1000)).isEqualTo(100);
    assertThat(bind(null).limits().pendingFrameBytes(1000)).isEqualTo(250);
    assertThatThrownBy(() -> bind("lots")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.pendingFrameBytes").hasMessageContaining("'lots' is not a size");
    assertThatThrownBy(() -> bind("0%")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("limits.pendingFrameBytes");
  }

  private static dev.strata.config.StrataConfig bind(String value) {
    JsonObject limits = new JsonObject();
    if (value != null) {
      limits.put("pendingFrameBytes", value);
    }
    return ConfigLoader.bind(new JsonObject().put("limits", limits), Map.of(), Map.of());
  }

  /** SET key with a bulk of {@code size} bytes, of which only {@code sent} are written. */
  private static void startSet(Socket s, String key, int size, int sent) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + size + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.write(new byte[sent]);
    out.flush();
  }

  private static void finishSet(Socket s, int rest) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(new byte[rest]);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String readLine(Socket s) throws IOException {
    s.setSoTimeout(10_000);
    InputStream in = s.getInputStream();
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new IOException("closed after " + b);
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static void roundTrip(Socket s, String value) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(("*3\r\n$3\r\nSET\r\n$6\r\ncanary\r\n$" + value.length() + "\r\n" + value + "\r\n"
        + "*2\r\n$3\r\nGET\r\n$6\r\ncanary\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    assertThat(readLine(s)).isEqualTo("+OK");
    assertThat(readLine(s)).isEqualTo("$" + value.length());
    assertThat(readLine(s)).isEqualTo(value);
  }
}
