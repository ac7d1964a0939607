package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;

/**
 * Keys, hash fields and values are bytes, not text: keys that differ only in bytes that are not UTF-8
 * ({@code k\xff}, {@code k\xfe}, which a UTF-8 decoder turns into the same replacement character)
 * are different keys for every command, and come back from KEYS and SCAN byte for byte. With Jedis's
 * byte[] API.
 */
@ExtendWith(VertxExtension.class)
class KvBinaryKeysEndToEndTest {

  private static final byte[] FF = {'k', (byte) 0xff};
  private static final byte[] FE = {'k', (byte) 0xfe};
  private static final byte[] BAD_UTF8 = {(byte) 0xc3, (byte) 0x28, 0, '\r', '\n', ' '}; // invalid sequence, NUL, CRLF, space

  private Strata strata;
  private Jedis jedis;

  @BeforeEach
  void start(Vertx vertx) {
    strata = TestNodes.start(vertx, TestNodes.defaultNode().put("listeners",
        new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv"))));
    jedis = new Jedis("127.0.0.1", strata.port("kv"));
  }

  @AfterEach
  void stop() {
    jedis.close();
    strata.stop().await();
  }

  private static byte[] b(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void keysDifferingInNonUtf8BytesAreDifferentKeys() {
    jedis.set(FF, b("ff"));
    jedis.set(FE, b("fe"));
    jedis.set(BAD_UTF8, b("bad"));
    assertThat(jedis.dbSize()).isEqualTo(3);
    assertThat(jedis.get(FF)).isEqualTo(b("ff"));
    assertThat(jedis.get(FE)).isEqualTo(b("fe"));
    assertThat(jedis.get(BAD_UTF8)).isEqualTo(b("bad"));
    assertThat(jedis.get(new byte[] {'k', (byte) 0xfd})).isNull();
    assertThat(jedis.exists(FF)).isTrue();
    assertThat(jedis.incr(new byte[] {'n', (byte) 0xff})).isEqualTo(1);
    assertThat(jedis.incr(new byte[] {'n', (byte) 0xfe})).isEqualTo(1);
    assertThat(jedis.rpush(new byte[] {'l', (byte) 0xff}, b("a"))).isEqualTo(1);
    assertThat(jedis.rpush(new byte[] {'l', (byte) 0xfe}, b("b"))).isEqualTo(1);
    assertThat(jedis.expire(FE, 100)).isEqualTo(1);
    assertThat(jedis.ttl(FF)).isEqualTo(-1);
    assertThat(jedis.del(FF)).isEqualTo(1);
    assertThat(jedis.get(FF)).isNull();
    assertThat(jedis.get(FE)).isEqualTo(b("fe"));
    assertThat(jedis.type(FE)).isEqualTo("string");
  }

  @Test
  void hashFieldsAndValuesAreBytesToo() {
    byte[] key = {'h', (byte) 0x80};
    assertThat(jedis.hset(key, Map.of(FF, new byte[] {(byte) 0xff}, FE, new byte[] {(byte) 0xfe}))).isEqualTo(2);
    assertThat(jedis.hget(key, FF)).containsExactly(0xff);
    assertThat(jedis.hget(key, FE)).containsExactly(0xfe);
    assertThat(jedis.hlen(key)).isEqualTo(2);
    Map<byte[], byte[]> all = jedis.hgetAll(key);
    Set<String> pairs = new HashSet<>();
    all.forEach((f, v) -> pairs.add(hex(f) + "=" + hex(v)));
    assertThat(pairs).containsExactlyInAnyOrder("6bff=ff", "6bfe=fe");
    assertThat(jedis.hdel(key, FF)).isEqualTo(1);
    assertThat(jedis.hexists(key, FE)).isTrue();
    assertThat(jedis.hexists(key, FF)).isFalse();
  }

  @Test
  void keysAndScanReturnTheExactBytes() {
    jedis.set(FF, b("1"));
    jedis.set(FE, b("2"));
    jedis.set(BAD_UTF8, b("3"));
    Set<String> expected = Set.of(hex(FF), hex(FE), hex(BAD_UTF8));
    assertThat(hexes(jedis.keys(b("*")))).isEqualTo(expected);
    assertThat(hexes(new HashSet<>(jedis.scan(b("0"), new ScanParams().count(1_000_000)).getResult()))).isEqualTo(expected);
    assertThat(hexes(jedis.keys(b("k?")))).isEqualTo(Set.of(hex(FF), hex(FE)));
    assertThat(hexes(jedis.keys(FF))).isEqualTo(Set.of(hex(FF)));
    List<byte[]> values = jedis.mget(FF, FE, BAD_UTF8);
    assertThat(values).extracting(KvBinaryKeysEndToEndTest::hex).containsExactly("31", "32", "33");
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static Set<String> hexes(Iterable<byte[]> keys) {
    Set<String> out = new HashSet<>();
    keys.forEach(k -> out.add(hex(k)));
    return out;
  }
}
