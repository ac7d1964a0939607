package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code rateLimit}: a connection's requests beyond its bucket are answered with an error in their
 * place and not run; the connection stays open, refills, and no other connection is affected.
 */
class RateLimitTest {

  @Test
  void requestsBeyondTheBurstAreRefusedInOrderAndTheBucketRefills() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Strata strata = TestNodes.start(vertx, new JsonObject()
          .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv")
              .put("rateLimit", new JsonObject().put("perSecond", 5).put("burst", 5))))
          .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle")))
          .put("admin", new JsonObject().put("enabled", false)));
      int port = strata.port("kv");
      try (LineClient flood = new LineClient(port); LineClient other = new LineClient(port)) {
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 20; i++) {
          pipeline.append("INCR counter\r\n");
        }
        flood.send(pipeline.toString());
        int ok = 0;
        int refused = 0;
        for (int i = 0; i < 20; i++) {
          String line = flood.readLine();
          if (line.startsWith(":")) {
            assertThat(refused).as("refusals come after the burst, in order").isZero();
            ok++;
            assertThat(line).isEqualTo(":" + ok);
          } else {
            assertThat(line).isEqualTo("-ERR rate limit: more than 5 requests per second on this connection (rateLimit); request not run");
            refused++;
          }
        }
        assertThat(ok).isEqualTo(5);
        assertThat(refused).isEqualTo(15);
        assertThat(strata.registry().stats("kv").rateLimited()).isEqualTo(15);
        assertThat(other.request("GET counter")).as("refused requests were not run").isEqualTo("$1");
        assertThat(other.readLine()).isEqualTo("5");
        await().atMost(Duration.ofSeconds(5)).until(() -> flood.request("PING").equals("+PONG"));
      }
    } finally {
      vertx.close().await();
    }
  }
}
