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
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code idleTimeout: 300ms} is 300 milliseconds, not "0 seconds", which meant never. */
class SubSecondIdleTimeoutTest {

  @Test
  void aSubSecondIdleTimeoutClosesAnIdleConnection() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Strata strata = TestNodes.start(vertx, new JsonObject()
          .put("listeners", new JsonArray().add(TestNodes.listener("echo", "lines", "app.echo").put("idleTimeout", "300ms")))
          .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.EchoVerticle")))
          .put("admin", new JsonObject().put("enabled", false)));
      try (LineClient c = new LineClient(strata.port("echo"))) {
        assertThat(c.request("alive")).isEqualTo("alive");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(strata.registry().recentlyClosed())
            .extracting(ClosedConnection::closeReason).containsExactly(CloseReason.IDLE));
        assertThat(c.closedByServer()).isTrue();
      }
    } finally {
      vertx.close().await();
    }
  }
}
