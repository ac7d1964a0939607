package dev.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.config.ClusterConfig;
import dev.strata.exchange.Headers;
import dev.strata.exchange.MemberRoutes;
import dev.strata.server.Strata;
import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import dev.strata.support.TestClusters;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * Two cluster members in one JVM: member A holds the listeners and no application, member B runs the
 * kv application. Every request crosses to member B (the fast path is per member), over member A's
 * direct links to B's lanes (member routes).
 */
class ClusteredExchangeTest {

  @Test
  void aListenerOnOneMemberServesAnApplicationOnAnother() throws Exception {
    String name = "strata-test-" + UUID.randomUUID();
    Vertx a = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, 5901)).await();
    Vertx b = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, 5901)).await();
    Strata strata = null;
    try {
      b.deployVerticle("dev.strata.apps.KvVerticle").await();
      strata = TestNodes.start(a, new JsonObject()
          .put("listeners", new JsonArray()
              .add(TestNodes.listener("kv", "resp", "app.kv").put("requestTimeout", "2s"))
              .add(TestNodes.listener("kv-lines", "lines", "app.kv")))
          .put("admin", new JsonObject().put("enabled", false)));
      try (Jedis jedis = new Jedis("127.0.0.1", strata.port("kv"))) {
        assertThat(jedis.ping()).isEqualTo("PONG");
        byte[] binary = {0, 1, 2, (byte) 0xff, '\r', '\n'};
        jedis.set("bin".getBytes(), binary);
        assertThat(jedis.get("bin".getBytes())).isEqualTo(binary);
        jedis.set("a", "1");
        assertThat(jedis.incr("a")).isEqualTo(2);
        assertThat(jedis.mget("a", "missing")).containsExactly("2", null);
        jedis.hset("h", Map.of("f1", "v1", "f2", "v2"));
        assertThat(jedis.hgetAll("h")).isEqualTo(Map.of("f1", "v1", "f2", "v2"));
        try (Jedis resp3 = new Jedis("127.0.0.1", strata.port("kv"),
            DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build())) {
          // the reply's pairs cross the cluster as pairs: a RESP3 map on the listener's member
          assertThat(resp3.hgetAll("h")).isEqualTo(Map.of("f1", "v1", "f2", "v2"));
        }
        assertThatThrownBy(() -> jedis.sendCommand(() -> "FROB".getBytes())).hasMessageStartingWith("ERR unknown command");

        try (LineClient lines = new LineClient(strata.port("kv-lines"))) {
          assertThat(lines.request("GET a")).isEqualTo("2");
          long id = strata.registry().open().stream()
              .filter(c -> c.listener().equals("kv-lines")).findFirst().orElseThrow().id();
          b.eventBus().request(Headers.pushAddress(id), "pushed from member B").await();
          assertThat(lines.readLine()).isEqualTo("pushed from member B");
          // the push address is member A's local consumer: no entry in the cluster's subscription map
          // (where B's application address is), routed to by the id's member number instead
          com.hazelcast.multimap.MultiMap<Object, Object> subs = ((io.vertx.spi.cluster.hazelcast.HazelcastClusterManager)
              ((io.vertx.core.internal.VertxInternal) b).clusterManager()).getHazelcastInstance().getMultiMap("__vertx.subs");
          assertThat(subs.containsKey("app.kv")).isTrue();
          assertThat(subs.containsKey(Headers.pushAddress(id))).isFalse();
        }
        // the requests went over member A's direct links to member B's lanes, not the event bus
        assertThat(MemberRoutes.of(a).links()).isPositive();

        b.close().await();
        b = null;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThatThrownBy(jedis::ping).hasMessageMatching("ERR (no application at app.kv|timeout.*)"));
        assertThatThrownBy(jedis::ping).hasMessage("ERR no application at app.kv");
      }
    } finally {
      if (strata != null) {
        strata.stop().await();
      }
      if (b != null) {
        b.close().await();
      }
      a.close().await();
    }
  }
}
