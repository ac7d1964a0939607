package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.support.LineClient;
import dev.strata.support.RespClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * Hashes over RESP as Redis answers them: HSET/HGET/HMGET/HGETALL/HDEL/HEXISTS/HLEN/HKEYS/HVALS/
 * HSTRLEN/HINCRBY/HSETNX/HMSET, WRONGTYPE both ways, TYPE, HGETALL as a flat array under RESP2 and a
 * map under RESP3 (checked on the bytes).
 */
@ExtendWith(VertxExtension.class)
class KvHashesEndToEndTest {

  private Strata strata;
  private Jedis jedis;

  @BeforeEach
  void start(Vertx vertx) {
    strata = TestNodes.start(vertx, TestNodes.defaultNode().put("listeners",
        new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv")).add(TestNodes.listener("kv-lines", "lines", "app.kv"))));
    jedis = new Jedis("127.0.0.1", strata.port("kv"));
  }

  @AfterEach
  void stop() {
    jedis.close();
    strata.stop().await();
  }

  @Test
  void hashCommandsAnswerAsRedis() {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", "ada");
    fields.put("lang", "en");
    assertThat(jedis.hset("u", fields)).isEqualTo(2);
    assertThat(jedis.hset("u", Map.of("name", "grace", "age", "36"))).isEqualTo(1); // one added, one updated
    assertThat(jedis.hget("u", "name")).isEqualTo("grace");
    assertThat(jedis.hget("u", "nope")).isNull();
    assertThat(jedis.hget("nokey", "name")).isNull();
    assertThat(jedis.hmget("u", "name", "nope", "lang")).containsExactly("grace", null, "en");
    assertThat(jedis.hmget("nokey", "a", "b")).containsExactly(null, null);
    assertThat(jedis.hgetAll("u")).isEqualTo(Map.of("name", "grace", "lang", "en", "age", "36"));
    assertThat(jedis.hgetAll("nokey")).isEmpty();
    assertThat(jedis.hkeys("u")).containsExactlyInAnyOrder("name", "lang", "age");
    assertThat(jedis.hvals("u")).containsExactlyInAnyOrder("grace", "en", "36");
    assertThat(jedis.hlen("u")).isEqualTo(3);
    assertThat(jedis.hlen("nokey")).isZero();
    assertThat(jedis.hexists("u", "lang")).isTrue();
    assertThat(jedis.hexists("u", "nope")).isFalse();
    assertThat(jedis.hstrlen("u", "name")).isEqualTo(5);
    assertThat(jedis.hsetnx("u", "name", "x")).isZero();
    assertThat(jedis.hsetnx("u", "city", "paris")).isEqualTo(1);
    assertThat(jedis.hincrBy("u", "age", 4)).isEqualTo(40);
    assertThat(jedis.hincrBy("u", "visits", -2)).isEqualTo(-2);
    assertThat(jedis.hincrBy("fresh", "n", 1)).isEqualTo(1);
    assertThat(jedis.hmset("m", Map.of("a", "1", "b", "2"))).isEqualTo("OK");
    assertThat(jedis.type("u")).isEqualTo("hash");
    assertThat(jedis.hdel("u", "name", "nope", "lang")).isEqualTo(2);
    assertThat(jedis.hdel("nokey", "a")).isZero();
    assertThat(jedis.hdel("m", "a", "b")).isEqualTo(2);
    assertThat(jedis.exists("m")).isFalse(); // a hash left empty is gone
    assertThat(jedis.type("m")).isEqualTo("none");
  }

  @Test
  void typeMismatchesAreWrongTypeErrorsBothWays() {
    jedis.set("s", "text");
    jedis.rpush("l", "a");
    jedis.hset("h", "f", "v");
    for (String key : List.of("s", "l")) {
      assertThatThrownBy(() -> jedis.hget(key, "f")).hasMessageStartingWith("WRONGTYPE Operation against a key");
      assertThatThrownBy(() -> jedis.hset(key, "f", "v")).hasMessageStartingWith("WRONGTYPE");
      assertThatThrownBy(() -> jedis.hgetAll(key)).hasMessageStartingWith("WRONGTYPE");
      assertThatThrownBy(() -> jedis.hincrBy(key, "f", 1)).hasMessageStartingWith("WRONGTYPE");
      assertThatThrownBy(() -> jedis.hdel(key, "f")).hasMessageStartingWith("WRONGTYPE");
      assertThatThrownBy(() -> jedis.hlen(key)).hasMessageStartingWith("WRONGTYPE");
    }
    assertThatThrownBy(() -> jedis.get("h")).hasMessageStartingWith("WRONGTYPE");
    assertThatThrownBy(() -> jedis.incr("h")).hasMessageStartingWith("WRONGTYPE");
    assertThatThrownBy(() -> jedis.append("h", "x")).hasMessageStartingWith("WRONGTYPE");
    assertThatThrownBy(() -> jedis.lpush("h", "x")).hasMessageStartingWith("WRONGTYPE");
    assertThatThrownBy(() -> jedis.lrange("h", 0, -1)).hasMessageStartingWith("WRONGTYPE");
    assertThat(jedis.mget("h", "s")).containsExactly(null, "text");
    assertThat(jedis.set("h", "now a string")).isEqualTo("OK"); // SET replaces whatever was there
    assertThat(jedis.type("h")).isEqualTo("string");
  }

  @Test
  void badArgumentsAreRedisErrors() {
    jedis.hset("h", "word", "abc");
    assertThatThrownBy(() -> jedis.sendCommand(() -> "HSET".getBytes(), "h", "f", "v", "g"))
        .hasMessage("ERR wrong number of arguments for 'hset' command");
    assertThatThrownBy(() -> jedis.sendCommand(() -> "HSET".getBytes(), "h", "f"))
        .hasMessage("ERR wrong number of arguments for 'hset' command");
    assertThatThrownBy(() -> jedis.hincrBy("h", "word", 1)).hasMessage("ERR hash value is not an integer");
    assertThatThrownBy(() -> jedis.sendCommand(() -> "HINCRBY".getBytes(), "h", "n", "x"))
        .hasMessage("ERR value is not an integer or out of range");
    jedis.hset("h", "big", Long.toString(Long.MAX_VALUE));
    assertThatThrownBy(() -> jedis.hincrBy("h", "big", 1)).hasMessage("ERR increment or decrement would overflow");
    assertThat(jedis.hget("h", "big")).isEqualTo(Long.toString(Long.MAX_VALUE));
  }

  @Test
  void hgetallIsAFlatArrayUnderResp2AndAMapUnderResp3() throws Exception {
    jedis.hset("h", "f1", "v1");
    jedis.hset("h", "f2", "v2");
    try (RespClient c = new RespClient(strata.port("kv"))) {
      c.write(RespClient.command("HGETALL", "h"));
      assertThat(new String(c.readBytes(36))).isEqualTo("*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n");
      c.call("HELLO", "3");
      c.write(RespClient.command("HGETALL", "h"));
      assertThat(new String(c.readBytes(36))).isEqualTo("%2\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n");
      c.write(RespClient.command("HGETALL", "nokey"));
      assertThat(new String(c.readBytes(4))).isEqualTo("%0\r\n");
      c.write(RespClient.command("HKEYS", "h")); // a list stays an array
      assertThat(new String(c.readBytes(4))).isEqualTo("*2\r\n");
    }
    try (LineClient lines = new LineClient(strata.port("kv-lines"))) {
      assertThat(lines.request("HGETALL h")).isEqualTo("f1 v1 f2 v2");
    }
  }
}
