package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.RespClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Over the event bus ({@code dispatch: event-bus}), an application with several instances sees one
 * connection's requests in the order sent, as on the fast path. The event bus alone serves an address's
 * consumers round-robin: before the node had one consumer per address, pipelined {@code RPUSH}es ran on
 * four event loops at once and the list came out shuffled (every round of this test did).
 */
@ExtendWith(VertxExtension.class)
class EventBusOrderTest {

  @Test
  void pipelinedRequestsOfOneConnectionRunInOrderOnSeveralInstances(Vertx vertx) throws Exception {
    Strata strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv").put("dispatch", "event-bus")))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle").put("instances", 4)))
        .put("admin", new JsonObject().put("enabled", false)));
    try (RespClient c = new RespClient(strata.port("kv")); RespClient other = new RespClient(strata.port("kv"))) {
      for (int round = 0; round < 10; round++) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(RespClient.command("DEL", "l"));
        for (int i = 0; i < 300; i++) {
          b.writeBytes(RespClient.command("RPUSH", "l", i));
        }
        b.writeBytes(RespClient.command("LRANGE", "l", 0, -1));
        c.write(b.toByteArray());
        for (int i = 0; i < 301; i++) {
          c.read();
        }
        List<String> list = new ArrayList<>();
        for (Object v : (List<?>) c.read()) {
          list.add(RespClient.text(v));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          expected.add(Integer.toString(i));
        }
        assertThat(list).as("round %d", round).isEqualTo(expected);
      }
      // requests from other connections still reach the application meanwhile
      assertThat(other.call("PING")).isEqualTo("PONG");
    } finally {
      strata.stop().await();
    }
  }
}
