package dev.strata.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.cluster.ClusterNode;
import dev.strata.config.ClusterConfig;
import dev.strata.server.Strata;
import dev.strata.support.LineClient;
import dev.strata.support.TestClusters;
import dev.strata.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Member routes without their links: a member whose lanes refuse connections (its route entry still
 * lists their ports) is reached over the event bus's dispatch lanes, every request answered.
 */
class MemberRouteLinksTest {

  @Test
  void aLinkThatCannotBeMadeLeavesTheBatchesToTheEventBusLanes() throws Exception {
    String name = "strata-test-" + UUID.randomUUID();
    Vertx a = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, 5921)).await();
    Vertx b = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, 5921)).await();
    Strata strata = null;
    try {
      b.deployVerticle(new VerticleBase() {
        @Override
        public Future<?> start() {
          return Endpoint.serve(vertx, "app.echo", m -> m.reply(m.body()));
        }
      }).await();
      MemberRoutes.of(b).closeLinkServers().await();
      strata = TestNodes.start(a, new JsonObject()
          .put("listeners", new JsonArray().add(TestNodes.listener("echo", "lines", "app.echo").put("requestTimeout", "3s")))
          .put("admin", new JsonObject().put("enabled", false)));
      // member A routes app.echo to member B, whose entry lists link ports
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        MemberRoutes.Member m = MemberRoutes.of(a).pick("app.echo", 0);
        return m != null && m.ports().length > 0;
      });
      try (LineClient c = new LineClient(strata.port("echo"))) {
        for (int i = 0; i < 200; i++) {
          c.send("hello " + i + "\n");
        }
        for (int i = 0; i < 200; i++) {
          assertThat(c.readLine()).isEqualTo("hello " + i);
        }
        for (int i = 0; i < 20; i++) {
          assertThat(c.request("again " + i)).isEqualTo("again " + i);
        }
      }
      assertThat(MemberRoutes.of(a).links()).isZero();
    } finally {
      if (strata != null) {
        strata.stop().await();
      }
      b.close().await();
      a.close().await();
    }
  }
}
