package dev.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.ChildNode;
import dev.strata.support.LineClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An application marked {@code ha: true} survives its member's {@code kill -9}: Vert.x HA redeploys it
 * on the surviving member, and the listener there answers again. Two member processes started from
 * the shipped {@code conf/cluster.xml} (2 s failure detector), with this test's own name and ports.
 */
class HaFailoverTest {

  @Test
  void anHaApplicationMovesToTheSurvivorWhenItsMemberIsKilled() throws Exception {
    String cluster = "cluster:\n  name: ha-" + UUID.randomUUID() + "\n  port: " + (6200 + (int) (Math.random() * 600)) + "\n";
    int port = ChildNode.freePort();
    try (ChildNode front = ChildNode.start("ha-front", """
            listeners:
              - {name: lines, host: 127.0.0.1, port: %d, codec: lines, address: app.ha, requestTimeout: 1s}
            """.formatted(port) + cluster, List.of("-Xmx256m"), List.of("--cluster"));
        ChildNode doomed = ChildNode.start("ha-doomed", """
            apps:
              - {name: echo-ha, verticle: dev.strata.apps.EchoVerticle, ha: true, config: {address: app.ha}}
            """ + cluster, List.of("-Xmx256m"), List.of("--cluster"))) {
      await("served by the member that will die").atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .untilAsserted(() -> {
            try (LineClient c = new LineClient(port)) {
              assertThat(c.request("before")).isEqualTo("before");
            }
          });
      long killed = System.nanoTime();
      doomed.kill();
      await("served again, by the survivor").atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .untilAsserted(() -> {
            try (LineClient c = new LineClient(port)) {
              assertThat(c.request("after")).isEqualTo("after");
            }
          });
      System.out.printf("ha: answered again %d ms after kill -9%n", (System.nanoTime() - killed) / 1_000_000);

      // the survivor lists it with its own applications (Vert.x deployed it there, not Strata): source "ha"
      List<JsonObject> moved = front.get("/api/deployments").getJsonArray("deployments").stream()
          .map(o -> (JsonObject) o).filter(d -> "ha".equals(d.getString("source"))).toList();
      assertThat(moved).singleElement().satisfies(d -> {
        assertThat(d.getString("verticle")).isEqualTo("dev.strata.apps.EchoVerticle");
        assertThat(d.getJsonObject("config").getString("address")).isEqualTo("app.ha");
        assertThat(d.getString("id")).isEqualTo(d.getString("node") + "-EchoVerticle");
      });
      assertThat(front.isAlive()).isTrue();
    }
  }
}
