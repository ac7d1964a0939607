package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.support.TestNodes;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.ClientAttributeOption;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The kv application as users of the two most used Java clients meet it, in their default settings:
 * Lettuce (which opens with {@code HELLO 3} and speaks RESP3 from then on) and Jedis (RESP2), plus
 * Jedis told to speak RESP3.
 */
@ExtendWith(VertxExtension.class)
class KvClientLibrariesTest {

  private Strata strata;
  private RedisClient lettuce;

  @BeforeEach
  void start(Vertx vertx) {
    strata = TestNodes.start(vertx, TestNodes.defaultNode().put("listeners",
        new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv"))));
    lettuce = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(strata.port("kv"))
        .withTimeout(Duration.ofSeconds(10)).build());
  }

  @AfterEach
  void stop() {
    lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    strata.stop().await();
  }

  @Test
  void lettuceInDefaultSettingsNegotiatesResp3AndWorks() {
    try (StatefulRedisConnection<String, String> c = lettuce.connect()) {
      RedisCommands<String, String> r = c.sync();
      assertThat(r.clientInfo()).contains("resp=3"); // Lettuce's default: HELLO 3 on connect
      assertThat(r.ping()).isEqualTo("PONG");
      assertThat(r.set("a", "1")).isEqualTo("OK");
      assertThat(r.get("a")).isEqualTo("1");
      assertThat(r.get("missing")).isNull();
      assertThat(r.incr("a")).isEqualTo(2L);
      assertThat(r.incrby("a", 10)).isEqualTo(12L);
      assertThat(r.exists("a", "missing")).isEqualTo(1L);
      assertThat(r.del("a", "missing")).isEqualTo(1L);
      assertThat(r.get("a")).isNull();
      assertThat(r.clientId()).isPositive();
      assertThat(r.clientSetname("lettuce-test")).isEqualTo("OK");
      assertThat(r.clientGetname()).isEqualTo("lettuce-test");
      assertThat(r.clientInfo()).contains("name=lettuce-test").contains("resp=3");
      assertThat(r.select(0)).isEqualTo("OK");
      assertThat(r.configGet("databases")).containsEntry("databases", "1");
    }
  }

  @Test
  void lettuceReadsHashesAsMapsAndWrongTypeAsAnError() {
    try (StatefulRedisConnection<String, String> c = lettuce.connect()) {
      RedisCommands<String, String> r = c.sync();
      assertThat(r.hset("h", Map.of("f1", "v1", "f2", "v2"))).isEqualTo(2L);
      assertThat(r.hget("h", "f1")).isEqualTo("v1");
      assertThat(r.hgetall("h")).isEqualTo(Map.of("f1", "v1", "f2", "v2"));
      assertThat(r.hincrby("h", "n", 5)).isEqualTo(5L);
      assertThat(r.hlen("h")).isEqualTo(3L);
      assertThat(r.type("h")).isEqualTo("hash");
      assertThatThrownBy(() -> r.get("h")).isInstanceOf(RedisCommandExecutionException.class)
          .hasMessageStartingWith("WRONGTYPE");
      assertThat(r.hdel("h", "f1", "f2", "n")).isEqualTo(3L);
      assertThat(r.exists("h")).isZero();
    }
  }

  @Test
  void lettuceScansEveryKeyAndKeepsBinaryKeysApart() {
    try (StatefulRedisConnection<byte[], byte[]> c = lettuce.connect(ByteArrayCodec.INSTANCE)) {
      RedisCommands<byte[], byte[]> r = c.sync();
      r.set(new byte[] {'k', (byte) 0xff}, new byte[] {1});
      r.set(new byte[] {'k', (byte) 0xfe}, new byte[] {2});
      assertThat(r.get(new byte[] {'k', (byte) 0xff})).containsExactly(1);
      assertThat(r.get(new byte[] {'k', (byte) 0xfe})).containsExactly(2);
      assertThat(r.dbsize()).isEqualTo(2L);
    }
    try (StatefulRedisConnection<String, String> c = lettuce.connect()) {
      RedisCommands<String, String> r = c.sync();
      for (int i = 0; i < 500; i++) {
        r.set("user:" + i, "x");
      }
      Set<String> seen = new HashSet<>();
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches("user:*").limit(50));
        seen.addAll(page.getKeys());
        cursor = page;
      } while (!cursor.isFinished());
      assertThat(seen).hasSize(500);
    }
  }

  @Test
  void jedisInDefaultSettingsWorks() {
    try (Jedis jedis = new Jedis("127.0.0.1", strata.port("kv"))) {
      assertThat(jedis.set("a", "1")).isEqualTo("OK");
      assertThat(jedis.get("a")).isEqualTo("1");
      assertThat(jedis.incr("a")).isEqualTo(2L);
      assertThat(jedis.del("a")).isEqualTo(1L);
      assertThat(jedis.clientInfo()).contains("resp=2");
      assertThat(jedis.clientSetInfo(ClientAttributeOption.LIB_NAME, "app")).isEqualTo("OK");
      assertThat(jedis.clientList()).contains("lib-name=app");
      jedis.hset("h", Map.of("f", "v"));
      assertThat(jedis.hgetAll("h")).isEqualTo(Map.of("f", "v")); // RESP2: a flat array, paired by Jedis
    }
  }

  @Test
  void jedisSpeakingResp3ReadsTheSameAnswers() {
    try (Jedis jedis = new Jedis("127.0.0.1", strata.port("kv"),
        DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).clientName("j3").build())) {
      assertThat(jedis.set("a", "1")).isEqualTo("OK");
      assertThat(jedis.get("a")).isEqualTo("1");
      assertThat(jedis.incr("a")).isEqualTo(2L);
      jedis.hset("h", Map.of("f1", "v1", "f2", "v2"));
      assertThat(jedis.hgetAll("h")).isEqualTo(Map.of("f1", "v1", "f2", "v2")); // RESP3: a map
      assertThat(jedis.clientGetname()).isEqualTo("j3");
      List<String> keys = new ArrayList<>();
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor);
        keys.addAll(page.getResult());
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      assertThat(keys).containsExactlyInAnyOrder("a", "h");
    }
  }
}
