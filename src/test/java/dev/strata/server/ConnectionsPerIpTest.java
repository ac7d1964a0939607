package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code maxConnectionsPerIp}: one address cannot take a listener's connections; others still can. */
class ConnectionsPerIpTest {

  @Test
  void theFourthConnectionFromOneAddressIsRefusedAndAnotherAddressIsServed() throws Exception {
    Vertx vertx = Vertx.vertx();
    List<LineClient> held = new ArrayList<>();
    try {
      Strata strata = TestNodes.start(vertx, new JsonObject()
          .put("listeners", new JsonArray().add(TestNodes.listener("echo", "lines", "app.echo").put("maxConnectionsPerIp", 3)))
          .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.EchoVerticle")))
          .put("admin", new JsonObject().put("enabled", false)));
      int port = strata.port("echo");
      for (int i = 0; i < 3; i++) {
        LineClient c = new LineClient(port);
        held.add(c);
        assertThat(c.request("ok " + i)).isEqualTo("ok " + i);
      }
      try (Socket fourth = new Socket("127.0.0.1", port)) {
        fourth.setSoTimeout(5_000);
        InputStream in = fourth.getInputStream();
        assertThat(in.read()).as("closed at once, nothing read").isEqualTo(-1);
      }
      assertThat(strata.registry().stats("echo").rejectedPerIp()).isEqualTo(1);
      try (Socket other = new Socket()) { // 127.0.0.2 is another address of the loopback interface
        other.bind(new InetSocketAddress("127.0.0.2", 0));
        other.connect(new InetSocketAddress("127.0.0.1", port));
        other.getOutputStream().write("from .2\n".getBytes());
        other.setSoTimeout(5_000);
        byte[] reply = other.getInputStream().readNBytes(8);
        assertThat(new String(reply)).isEqualTo("from .2\n");
      }
      held.remove(0).close();
      await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
        try (LineClient again = new LineClient(port)) {
          assertThat(again.request("again")).isEqualTo("again");
        }
      });
      for (LineClient c : held) {
        assertThat(c.request("still")).isEqualTo("still");
      }
    } finally {
      for (LineClient c : held) {
        c.close();
      }
      vertx.close().await();
    }
  }
}
