package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.BridgeClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code bridge.token}: nothing but a ping until the client has shown it; the token is not forwarded. */
class BridgeTokenTest {

  private Vertx vertx;
  private Strata strata;
  private final AtomicReference<String> seenToken = new AtomicReference<>("unset");

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    vertx.eventBus().<Object>consumer("app.hello", m -> {
      seenToken.set(m.headers().get("token"));
      m.reply("hello " + m.body());
    });
    strata = TestNodes.start(vertx, new JsonObject().put("listeners", new JsonArray())
        .put("bridge", new JsonObject().put("port", 0).put("token", "s3cret"))
        .put("admin", new JsonObject().put("enabled", false)));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void withoutTheTokenOnlyPingIsAnsweredAndWithItEverything() throws Exception {
    try (BridgeClient c = new BridgeClient(strata.port("bridge"))) {
      c.send(new JsonObject().put("type", "ping"));
      assertThat(c.next().getString("type")).isEqualTo("pong");
      c.send(BridgeClient.request("app.hello", "x", "r1"));
      assertThat(c.next()).isEqualTo(new JsonObject().put("type", "err").put("address", "r1")
          .put("message", "access_denied: this bridge needs a token (bridge.token), sent as the header 'token'"));
      c.send(BridgeClient.request("app.hello", "y", "r2").put("headers", new JsonObject().put("token", "wrong")));
      assertThat(c.next().getString("message")).startsWith("access_denied");
      c.send(BridgeClient.request("app.hello", "z", "r3").put("headers", new JsonObject().put("token", "s3cret")));
      JsonObject reply = c.next();
      assertThat(reply.getString("address")).isEqualTo("r3");
      assertThat(reply.getString("body")).isEqualTo("hello z");
      assertThat(seenToken.get()).as("the token header is not forwarded").isNull();
      c.send(BridgeClient.request("app.hello", "again", "r4")); // shown once: the connection is trusted
      assertThat(c.next().getString("body")).isEqualTo("hello again");
    }
  }
}
