package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.support.ChildNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/reload} and SIGHUP re-read the node's file: listeners are added, removed and changed
 * while the connections of the others go on; a bad file changes nothing and names the key.
 */
class ReloadTest {

  private static final String TOKEN = "reload-secret";

  @Test
  void listenersChangeWithoutTouchingTheOthers() throws Exception {
    int echo = ChildNode.freePort();
    int kv = ChildNode.freePort();
    int kvMoved = ChildNode.freePort();
    int echo2 = ChildNode.freePort();
    String apps = """
        apps:
          - {name: echo, verticle: dev.strata.apps.EchoVerticle}
          - {name: kv, verticle: dev.strata.apps.KvVerticle}
        """;
    ChildNode node = ChildNode.start("reload", """
        listeners:
          - {name: echo, port: %d, codec: lines, address: app.echo}
          - {name: kv, port: %d, codec: resp, address: app.kv}
        """.formatted(echo, kv) + apps, List.of("-Dstrata.admin.token=" + TOKEN));
    String admin = Files.readString(node.confFile()).substring(Files.readString(node.confFile()).indexOf("\nadmin:"));
    try (Line kept = new Line(echo); Line kvOld = new Line(kv)) {
      assertThat(kept.ask("before")).isEqualTo("before");
      kvOld.send("*1\r\n$4\r\nPING\r\n");
      assertThat(kvOld.in.readLine()).isEqualTo("+PONG");

      // kv moves and gets a limit, echo2 appears, echo stays as it is
      Files.writeString(node.confFile(), """
          listeners:
            - {name: echo, port: %d, codec: lines, address: app.echo}
            - {name: kv, port: %d, codec: resp, address: app.kv, maxInFlight: 8}
            - {name: echo2, port: %d, codec: lines, address: app.echo}
          """.formatted(echo, kvMoved, echo2) + apps + admin);
      assertThat(node.post("/api/reload", null).statusCode()).isEqualTo(401);
      HttpResponse<String> r = node.post("/api/reload", TOKEN);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonObject report = new JsonObject(r.body());
      assertThat(report.getJsonArray("added")).isEqualTo(new JsonArray().add("echo2"));
      assertThat(report.getJsonArray("changed")).isEqualTo(new JsonArray().add("kv"));
      assertThat(report.getJsonArray("unchanged")).isEqualTo(new JsonArray().add("echo"));
      assertThat(report.getJsonArray("removed")).isEmpty();
      assertThat(report.getJsonArray("restartNeeded")).isEmpty();

      assertThat(kept.ask("after")).as("the unchanged listener's connection goes on").isEqualTo("after");
      assertThat(kvOld.in.readLine()).as("the changed listener's old connection is drained: end of stream").isNull();
      try (Line moved = new Line(kvMoved); Line added = new Line(echo2)) {
        moved.send("*1\r\n$4\r\nPING\r\n");
        assertThat(moved.in.readLine()).isEqualTo("+PONG");
        assertThat(added.ask("new")).isEqualTo("new");
      }
      assertThatThrownBy(() -> new Line(kv).close()).isInstanceOf(ConnectException.class);
      JsonArray listeners = node.get("/api/listeners").getJsonArray("listeners");
      assertThat(listeners.stream().map(l -> ((JsonObject) l).getString("name"))).containsExactly("echo", "kv", "echo2");

      // a bad file: nothing changes, the key is named
      String good = Files.readString(node.confFile());
      Files.writeString(node.confFile(), good.replace("port: " + echo2, "port: 70000"));
      HttpResponse<String> bad = node.post("/api/reload", TOKEN);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(bad.body()).contains("listeners[2].port").contains("70000 is out of range");
      try (Line added = new Line(echo2)) {
        assertThat(added.ask("still")).isEqualTo("still");
      }

      // SIGHUP: echo2 goes
      Files.writeString(node.confFile(), """
          listeners:
            - {name: echo, port: %d, codec: lines, address: app.echo}
            - {name: kv, port: %d, codec: resp, address: app.kv, maxInFlight: 8}
          """.formatted(echo, kvMoved) + apps + admin);
      Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(node.pid())).start();
      assertThat(hup.waitFor()).isZero();
      await("echo2 removed by SIGHUP").atMost(Duration.ofSeconds(20)).until(() -> node.logged("strata: reloaded"));
      assertThat(node.logged("\"removed\":[\"echo2\"]")).isTrue();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThatThrownBy(() -> new Line(echo2).close()).isInstanceOf(ConnectException.class));
      assertThat(kept.ask("through it all")).isEqualTo("through it all");
    } finally {
      node.close();
    }
  }

  /** A line-oriented client. */
  private static final class Line implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final OutputStream out;

    Line(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
    }

    void send(String s) throws IOException {
      out.write(s.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    String ask(String line) throws IOException {
      send(line + "\n");
      return in.readLine();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
