package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.connector.Connector;
import dev.strata.support.LineClient;
import dev.strata.support.RedisServer;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * The seed's example end to end, in the default node's shape against a real redis-server: the
 * connector {@code redis} on {@code svc.redis}; {@code CacheVerticle} on {@code app.cache} behind the
 * {@code cache} lines listener (requests in on lines, out on RESP); the {@code gateway} lines listener
 * whose address is the connector's, so each line goes to redis as a command.
 */
@ExtendWith(VertxExtension.class)
class CacheGatewayTest {

  private static RedisServer redis;
  private Strata strata;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void start(Vertx vertx) {
    redis.restart(); // a test may have stopped it
    try (Jedis j = redis.jedis()) {
      j.flushAll();
    }
    // as conf/strata.yaml has it, on free ports and with one instance per listener
    JsonObject node = new JsonObject()
        .put("listeners", new JsonArray()
            .add(TestNodes.listener("cache", "lines", "app.cache"))
            .add(TestNodes.listener("gateway", "lines", "svc.redis")))
        .put("connectors", new JsonArray().add(new JsonObject()
            .put("name", "redis").put("address", "svc.redis").put("hosts", new JsonArray().add(redis.hostPort()))
            .put("codec", "resp").put("reconnect", new JsonObject().put("initial", "50ms").put("max", "500ms"))))
        .put("apps", new JsonArray().add(new JsonObject().put("name", "cache").put("verticle", "dev.strata.apps.CacheVerticle")))
        .put("admin", new JsonObject().put("enabled", false));
    strata = TestNodes.start(vertx, node);
  }

  @AfterEach
  void stop() {
    strata.stop().await();
  }

  private LineClient gateway() throws Exception {
    return new LineClient(strata.port("gateway"));
  }

  private LineClient cache() throws Exception {
    return new LineClient(strata.port("cache"));
  }

  @Test
  void theGatewaySendsEachLineToRedisAsACommand() throws Exception {
    try (LineClient c = gateway()) {
      assertThat(c.request("SET a 1")).isEqualTo("OK");
      assertThat(c.request("GET a")).isEqualTo("1");
      assertThat(c.request("INCR a")).isEqualTo("2");
      assertThat(c.request("MGET a b")).isEqualTo("2 (nil)");
      assertThat(c.request("SET \"two words\" \"hello world\"")).isEqualTo("OK");
      assertThat(c.request("GET \"two words\"")).isEqualTo("hello world");
      assertThat(c.request("FROBNICATE x")).startsWith("-ERR unknown command 'FROBNICATE'");
      assertThat(c.request("PING")).isEqualTo("PONG"); // the connection stays after an error reply
    }
    try (Jedis j = redis.jedis()) {
      assertThat(j.get("a")).isEqualTo("2");
    }
  }

  /** 1,000 INCRs pipelined on one connection, written in several bursts (so several reads). */
  @Test
  void pipelinedCommandsThroughTheGatewayKeepTheirOrder() throws Exception {
    int n = 1_000;
    JsonArray before = strata.connectors().get("redis").toJson().getJsonArray("connections");
    try (LineClient c = gateway()) {
      for (int burst = 0; burst < 10; burst++) {
        c.send("INCR c\n".repeat(n / 10));
      }
      for (int i = 1; i <= n; i++) {
        String line = c.readLine();
        if (!Integer.toString(i).equals(line)) {
          throw new AssertionError("reply " + i + " was " + line);
        }
      }
    }
    // all on one of the pool's connections, whichever instance each read reached
    JsonArray after = strata.connectors().get("redis").toJson().getJsonArray("connections");
    java.util.List<Long> sent = new java.util.ArrayList<>();
    for (int i = 0; i < after.size(); i++) {
      sent.add(after.getJsonObject(i).getLong("requestsSent") - before.getJsonObject(i).getLong("requestsSent"));
    }
    assertThat(sent).containsOnlyOnce((long) n).containsOnly((long) n, 0L);
  }

  @Test
  void theCacheReadsThroughToRedisThenAnswersFromItself() throws Exception {
    try (Jedis j = redis.jedis()) {
      j.set("k", "from redis");
    }
    try (LineClient c = cache()) {
      assertThat(c.request("GET k")).isEqualTo("from redis"); // a miss: read from redis
      try (Jedis j = redis.jedis()) {
        j.set("k", "changed behind the cache's back");
      }
      assertThat(c.request("GET k")).isEqualTo("from redis"); // a hit: redis was not asked
      assertThat(c.request("CACHESTATS")).isEqualTo("hits 1 misses 1 entries 1");
      assertThat(c.request("GET nothing")).isEqualTo("(nil)");
      assertThat(c.request("SET k new")).isEqualTo("OK"); // a write goes to redis and drops the entry
      assertThat(c.request("GET k")).isEqualTo("new");
      assertThat(c.request("CACHESTATS")).isEqualTo("hits 1 misses 3 entries 1");
    }
  }

  @Test
  void whileRedisIsDownRequestsFailNamingSvcRedisAndAfterItRestartsTheySucceed() throws Exception {
    Connector connector = strata.connectors().get("redis");
    try (LineClient gw = gateway(); LineClient cache = cache()) {
      assertThat(gw.request("SET up yes")).isEqualTo("OK");
      redis.stop();
      await().atMost(Duration.ofSeconds(5)).until(() -> connector.open() == 0);
      assertThat(gw.request("GET up")).startsWith("-ERR svc.redis: no open connection to " + redis.hostPort());
      assertThat(cache.request("GET up")).startsWith("-ERR svc.redis: no open connection to " + redis.hostPort());

      redis.restart();
      await().atMost(Duration.ofSeconds(10)).until(() -> connector.open() == connector.options().pool());
      assertThat(gw.request("SET again yes")).isEqualTo("OK");
      assertThat(cache.request("GET again")).isEqualTo("yes");
      assertThat(connector.state()).isEqualTo("up");
    }
  }
}
