package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.ChildNode;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under pipelined load loses nothing: 20 clients pipeline INCR on their own keys while the
 * node is stopped; each gets a reply for every increment the application applied (the application
 * writes what it applied when it is undeployed, after the listeners have drained), then end of stream,
 * never a reset.
 */
class GracefulShutdownTest {

  private static final int CLIENTS = 20;

  @Test
  void sigtermAnswersEveryRequestReadAndRunsNoOther() throws Exception {
    int port = ChildNode.freePort();
    Path applied = Files.createTempFile("strata-applied", ".json");
    String yaml = """
        shutdownGrace: 20s
        listeners:
          - name: count
            port: %d
            codec: resp
            address: app.count
        apps:
          - name: count
            verticle: dev.strata.server.AppliedCounter
            instances: 1
            config: {file: "%s"}
        """.formatted(port, applied);
    ChildNode node = ChildNode.start("graceful-shutdown", yaml, List.of("-Xmx256m"));
    List<Client> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(new Client("c" + i, port));
      }
      await("every client answered 200 times").atMost(Duration.ofSeconds(30))
          .until(() -> clients.stream().allMatch(c -> c.received >= 200));

      node.terminate();

      for (Client c : clients) {
        c.reader.join(30_000);
        assertThat(c.reader.isAlive()).as(c.key + " reader still running").isFalse();
      }
      JsonObject counts = new JsonObject(Files.readString(applied));
      for (Client c : clients) {
        assertThat(c.error).as(c.key + ": " + c.error).isNull();
        assertThat(c.endOfStream).as(c.key + " ended with end of stream").isTrue();
        assertThat(counts.getLong(c.key)).as(c.key + ": increments applied == replies received")
            .isEqualTo(c.received);
      }
      assertThat(clients.stream().mapToLong(c -> c.sent - c.received).sum())
          .as("requests sent and never run (the node stopped reading them)").isPositive();
      String log = node.log();
      assertThat(log).contains("drained " + CLIENTS + " connections").contains("0 cut at the deadline");
      Matcher m = Pattern.compile("\\(([\\d,]+) requests answered after the stop began\\)").matcher(log);
      assertThat(m.find()).as(log).isTrue();
      assertThat(Long.parseLong(m.group(1).replace(",", ""))).as("requests in flight when the stop began")
          .isPositive();
    } finally {
      clients.forEach(Client::close);
      node.close();
      Files.deleteIfExists(applied);
    }
  }

  @Test
  void theDeadlineCutsWhatIsStillUnansweredAndSaysSo() throws Exception {
    int port = ChildNode.freePort();
    Path applied = Files.createTempFile("strata-applied", ".json");
    String yaml = """
        shutdownGrace: 500ms
        listeners:
          - name: count
            port: %d
            codec: resp
            address: app.count
            requestTimeout: 60s
        apps:
          - name: count
            verticle: dev.strata.server.AppliedCounter
            config: {file: "%s"}
        """.formatted(port, applied);
    ChildNode node = ChildNode.start("graceful-deadline", yaml, List.of("-Xmx256m"));
    try (Socket held = new Socket("127.0.0.1", port); Socket idle = new Socket("127.0.0.1", port)) {
      held.getOutputStream().write("*2\r\n$4\r\nINCR\r\n$4\r\nheld\r\n".getBytes(StandardCharsets.US_ASCII));
      await("the request is in flight").atMost(Duration.ofSeconds(10)).until(() ->
          node.get("/api/connections").getJsonArray("connections").stream()
              .anyMatch(c -> ((JsonObject) c).getInteger("inFlight", 0) == 1));
      long start = System.nanoTime();
      node.terminate();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
      assertThat(node.log()).contains("drained 1 connections (0 requests answered after the stop began); "
          + "1 cut at the deadline (shutdownGrace 500 ms) with 1 requests unanswered");
      assertThat(idle.getInputStream().read()).as("the idle client gets end of stream").isEqualTo(-1);
    } finally {
      node.close();
      Files.deleteIfExists(applied);
    }
  }

  /** Pipelines {@code INCR key} (up to 256 unanswered) and checks each reply is the next value. */
  private static final class Client {
    final String key;
    final Socket socket;
    final Thread writer;
    final Thread reader;
    volatile long sent;
    volatile long received;
    volatile boolean endOfStream;
    volatile String error;

    Client(String key, int port) throws IOException {
      this.key = key;
      socket = new Socket("127.0.0.1", port);
      byte[] one = ("*2\r\n$4\r\nINCR\r\n$" + key.length() + "\r\n" + key + "\r\n").getBytes(StandardCharsets.US_ASCII);
      byte[] batch = new byte[one.length * 16];
      for (int i = 0; i < 16; i++) {
        System.arraycopy(one, 0, batch, i * one.length, one.length);
      }
      writer = new Thread(() -> {
        try {
          OutputStream out = socket.getOutputStream();
          while (!endOfStream) {
            if (sent - received < 256) {
              out.write(batch);
              sent += 16;
            } else {
              LockSupport.parkNanos(50_000);
            }
          }
        } catch (IOException e) {
          // the node closed: what it did not read, it did not run
        }
      }, key + "-writer");
      reader = new Thread(this::read, key + "-reader");
      reader.start();
      writer.start();
    }

    private void read() {
      try {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
          if (b == '\n') {
            String reply = line.toString().trim();
            line.setLength(0);
            if (!reply.equals(":" + (received + 1))) {
              error = "reply " + (received + 1) + " was '" + reply + "'";
              return;
            }
            received++;
          } else {
            line.append((char) b);
          }
        }
        endOfStream = true;
      } catch (IOException e) {
        error = "after " + received + " replies: " + e;
      } finally {
        close();
      }
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
