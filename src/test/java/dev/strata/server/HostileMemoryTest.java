package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.ChildNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Memory no client can exhaust, tried against a node in its own JVM with a 256 MB heap, as issue 14
 * found it: before the fix, both scenarios ended in OutOfMemoryError (the recently-closed ring kept
 * each connection's socket and partial frame; nothing bounded partial frames across connections).
 */
class HostileMemoryTest {

  private static final int MB = 1 << 20;
  private static ChildNode node;
  private static int respPort;
  private static int bridgePort;

  @BeforeAll
  static void start() {
    respPort = ChildNode.freePort();
    bridgePort = ChildNode.freePort();
    node = ChildNode.start("hostile-memory", """
        listeners:
          - name: kv
            host: 127.0.0.1
            port: %d
            codec: resp
            address: app.kv
            instances: 1
        apps:
          - name: kv
            verticle: dev.strata.apps.KvVerticle
        bridge:
          host: 127.0.0.1
          port: %d
        """.formatted(respPort, bridgePort), List.of("-Xmx256m", "-XX:+UseSerialGC"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  /**
   * 250 RESP connections one after another, each sending most of a 1 MB bulk string and closing, then
   * 100 bridge connections doing the same with a 1,000,000-byte frame: what closed connections leave
   * behind is their summaries, so the heap after a full collection stays under twice its baseline.
   */
  @Test
  void closedConnectionsLeaveOnlySummaries(TestInfo info) throws IOException {
    try (Socket canary = new Socket("127.0.0.1", respPort)) {
      roundTrip(canary, "warm");
      long baseline = node.heapAfterGcMb();
      byte[] body = new byte[1_000_000];
      for (int i = 0; i < 250; i++) {
        try (Socket s = new Socket("127.0.0.1", respPort)) {
          OutputStream out = s.getOutputStream();
          out.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048000\r\n".getBytes(StandardCharsets.US_ASCII));
          out.write(body);
          out.flush();
        }
      }
      for (int i = 0; i < 100; i++) {
        try (Socket s = new Socket("127.0.0.1", bridgePort)) {
          OutputStream out = s.getOutputStream();
          out.write(ByteBuffer.allocate(4).putInt(1_000_000).array());
          out.write(body, 0, 900_000);
          out.flush();
        }
      }
      roundTrip(canary, "after");
      await("every half-sent connection read and closed").atMost(Duration.ofSeconds(30))
          .until(() -> node.get("/api/connections?state=open").getInteger("total") == 1
              && node.text("/metrics").contains("strata_pending_frame_bytes 0.0"));
      long after = node.heapAfterGcMb();
      System.out.printf("%s: heap after GC %d MB at baseline, %d MB after 250 RESP and 100 bridge half-sent 1 MB frames%n",
          info.getDisplayName(), baseline, after);
      assertThat(node.isAlive()).as(node.logTail()).isTrue();
      assertThat(after).as("heap after GC (MB), baseline %d", baseline).isLessThan(2 * Math.max(baseline, 8));
      assertThat(node.logged("OutOfMemoryError")).isFalse();
      JsonArray closed = node.get("/api/connections?state=closed&limit=500").getJsonArray("connections");
      assertThat(closed.size()).as("the ring keeps summaries of the last closed connections").isGreaterThan(200);
    }
  }

  /**
   * 300 connections each holding an unfinished 1 MB bulk string at once, on a node whose budget for
   * partial frames is its default (25% of 256 MB): the largest holders are closed with reason memory,
   * the node stays UP and a canary doing round trips between the openings never fails.
   */
  @Test
  void stalledFramesAreShedBeforeTheHeapRunsOut(TestInfo info) throws IOException {
    List<Socket> stalled = new ArrayList<>();
    int refused = 0;
    try (Socket canary = new Socket("127.0.0.1", respPort)) {
      byte[] piece = new byte[1_000_000];
      for (int i = 0; i < 300; i++) {
        Socket s = new Socket("127.0.0.1", respPort);
        stalled.add(s);
        try {
          OutputStream out = s.getOutputStream();
          out.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048000\r\n".getBytes(StandardCharsets.US_ASCII));
          out.write(piece);
          out.flush();
        } catch (IOException closedByTheNode) {
          refused++;
        }
        roundTrip(canary, "c" + i);
      }
      JsonObject kv = listener("kv");
      await("the node's partial frames counted").atMost(Duration.ofSeconds(10))
          .until(() -> listener("kv").getJsonObject("connections").getLong("closedForMemory") > 0);
      long shed = listener("kv").getJsonObject("connections").getLong("closedForMemory");
      JsonObject heap = node.healthCheck("heap");
      System.out.printf("%s: %d of 300 stalled connections closed for memory (%d saw it while writing); heap %s%n",
          info.getDisplayName(), shed, refused, heap.getJsonObject("data"));
      assertThat(shed).as("closed for memory; listener %s", kv).isGreaterThanOrEqualTo(200);
      assertThat(heap.getString("status")).isEqualTo("UP");
      assertThat(node.text("/metrics")).contains("strata_connections_closed_memory_total{listener=\"kv\"}")
          .contains("strata_pending_frame_bytes_limit_bytes");
      roundTrip(canary, "end");
      try (Socket fresh = new Socket("127.0.0.1", respPort)) {
        roundTrip(fresh, "fresh");
      }
      JsonArray closed = node.get("/api/connections?state=closed&limit=500").getJsonArray("connections");
      assertThat(closed.stream().map(o -> ((JsonObject) o).getString("closeReason"))).contains("memory");
      assertThat(node.logged("OutOfMemoryError")).isFalse();
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
  }

  private static JsonObject listener(String name) {
    JsonArray all = node.get("/api/listeners").getJsonArray("listeners");
    for (int i = 0; i < all.size(); i++) {
      if (name.equals(all.getJsonObject(i).getString("name"))) {
        return all.getJsonObject(i);
      }
    }
    throw new IllegalStateException("no listener " + name + " in " + all);
  }

  /** SET then GET of a small value on {@code s}: the node still answers this connection. */
  private static void roundTrip(Socket s, String value) throws IOException {
    OutputStream out = s.getOutputStream();
    String cmd = "*3\r\n$3\r\nSET\r\n$6\r\ncanary\r\n$" + value.length() + "\r\n" + value + "\r\n"
        + "*2\r\n$3\r\nGET\r\n$6\r\ncanary\r\n";
    out.write(cmd.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String expected = "+OK\r\n$" + value.length() + "\r\n" + value + "\r\n";
    byte[] got = new byte[expected.length()];
    s.setSoTimeout(10_000);
    InputStream in = s.getInputStream();
    int n = 0;
    while (n < got.length) {
      int r = in.read(got, n, got.length - n);
      if (r < 0) {
        throw new IOException("canary closed after " + n + " bytes");
      }
      n += r;
    }
    assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo(expected);
  }
}
