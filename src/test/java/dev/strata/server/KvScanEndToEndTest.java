package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.support.RedisServer;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * SCAN and KEYS over RESP: every key present for a whole iteration comes back (while other keys come
 * and go and the store's tables grow), MATCH with Redis's globs (checked against a real redis-server),
 * COUNT, TYPE; redis-cli's {@code --scan --pattern} run as a process; Jedis's scan loop.
 */
@ExtendWith(VertxExtension.class)
class KvScanEndToEndTest {

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

  private static void fill(Jedis j, String prefix, int n) {
    Pipeline p = j.pipelined();
    for (int i = 0; i < n; i++) {
      p.set(prefix + i, "v");
    }
    p.sync();
  }

  /** A whole SCAN iteration with Jedis, every key as returned (duplicates kept). */
  private static List<String> scanAll(Jedis j, ScanParams params, Runnable betweenPages) {
    List<String> keys = new ArrayList<>();
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = j.scan(cursor, params);
      keys.addAll(page.getResult());
      cursor = page.getCursor();
      betweenPages.run();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return keys;
  }

  @Test
  void jedisScanReturnsEveryKeyOnce() {
    fill(jedis, "k:", 10_000);
    List<String> keys = scanAll(jedis, new ScanParams().count(100), () -> { });
    assertThat(keys).hasSize(10_000).doesNotHaveDuplicates();
    assertThat(scanAll(jedis, new ScanParams(), () -> { })).hasSize(10_000); // COUNT 10, the default
  }

  @Test
  void keysPresentForTheWholeIterationComeBackWhileOthersComeAndGo() throws Exception {
    fill(jedis, "stable:", 5_000);
    fill(jedis, "doomed:", 5_000);
    AtomicBoolean scanning = new AtomicBoolean(true);
    // another connection adds keys (the store's tables grow several times) and deletes others meanwhile
    Thread churn = new Thread(() -> {
      try (Jedis other = new Jedis("127.0.0.1", strata.port("kv"))) {
        for (int round = 0; scanning.get() && round < 200; round++) {
          Pipeline p = other.pipelined();
          for (int i = 0; i < 500; i++) {
            p.set("new:" + round + ":" + i, "v");
            p.del("doomed:" + (round * 25 + i % 25));
          }
          p.sync();
        }
      }
    });
    churn.start();
    int[] pages = {0};
    List<String> keys = scanAll(jedis, new ScanParams().count(50), () -> pages[0]++);
    scanning.set(false);
    churn.join(30_000);
    Set<String> seen = new HashSet<>(keys);
    for (int i = 0; i < 5_000; i++) {
      assertThat(seen).contains("stable:" + i);
    }
    assertThat(pages[0]).isGreaterThan(10);
  }

  @Test
  void matchCountAndTypeFilterAsInRedis() {
    fill(jedis, "user:", 50);
    fill(jedis, "order:", 50);
    jedis.rpush("user:list", "a");
    jedis.hset("user:hash", Map.of("f", "v"));
    Set<String> users = new TreeSet<>(scanAll(jedis, new ScanParams().match("user:*").count(20), () -> { }));
    assertThat(users).hasSize(52).allMatch(k -> k.startsWith("user:"));
    assertThat(scanAll(jedis, new ScanParams().match("user:?"), () -> { })).hasSize(10);
    assertThat(scanAll(jedis, new ScanParams().match("user:[1-2]?").count(1000), () -> { })).hasSize(20);
    ScanParams hashes = new ScanParams().count(1000);
    assertThat(scanAll(jedis, hashes, () -> { })).hasSize(102);
    assertThat(jedis.scan("0", new ScanParams().count(1_000_000), "hash").getResult()).containsExactly("user:hash");
    assertThat(jedis.scan("0", new ScanParams().count(1_000_000), "list").getResult()).containsExactly("user:list");
    assertThat(jedis.scan("0", new ScanParams().count(1_000_000), "string").getResult()).hasSize(100);
    assertThat(jedis.scan("0", new ScanParams().count(1_000_000), "zset").getResult()).isEmpty();
    assertThat(new TreeSet<>(jedis.keys("user:*"))).isEqualTo(users);
    assertThat(jedis.keys("order:4?")).hasSize(10);
  }

  @Test
  void badArgumentsAreRedisErrors() {
    assertThatThrownBy(() -> jedis.scan("x")).hasMessage("ERR invalid cursor");
    assertThatThrownBy(() -> jedis.scan("0", new ScanParams().count(0))).hasMessage("ERR syntax error");
    assertThatThrownBy(() -> jedis.sendCommand(() -> "SCAN".getBytes(), "0", "MATCH")).hasMessage("ERR syntax error");
    assertThatThrownBy(() -> jedis.sendCommand(() -> "SCAN".getBytes(), "0", "FOO", "1")).hasMessage("ERR syntax error");
    ScanResult<String> past = jedis.scan("999999999");
    assertThat(past.getCursor()).isEqualTo("0");
    assertThat(past.getResult()).isEmpty();
  }

  @Test
  void redisCliScanWithAPatternListsTheMatchingKeys() throws Exception {
    fill(jedis, "user:", 300);
    fill(jedis, "session:", 300);
    Process p = new ProcessBuilder("redis-cli", "-p", Integer.toString(strata.port("kv")), "--scan", "--pattern", "user:*")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      expected.add("user:" + i);
    }
    assertThat(out.lines().toList()).hasSize(300).containsExactlyInAnyOrderElementsOf(expected);
  }

  /** The same keys in Strata and in a real redis-server: KEYS and SCAN MATCH agree for every pattern. */
  @Test
  void patternsMatchWhatRedisServerMatches() {
    List<byte[]> keys = new ArrayList<>();
    for (String k : List.of("hello", "hallo", "hxllo", "hllo", "heeeello", "a*b", "axb", "a?", "ab", "]", "-", "[abc",
        "user:1", "user:12", "user:", "usr:1", "a\\", "ABC", "abc", "b", "[", "^", "xaxbxcx", "xcxbxa")) {
      keys.add(k.getBytes(StandardCharsets.UTF_8));
    }
    keys.add(new byte[] {'k', (byte) 0xff});
    keys.add(new byte[] {'k', (byte) 0xfe});
    keys.add(new byte[] {'k', (byte) 0x80});
    List<String> patterns = List.of("*", "h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-f]llo", "h[f-a]llo", "a\\*b",
        "a\\?", "[\\]]", "[\\-]", "[a-]", "[abc", "[^", "user:*", "user:?", "user:[0-9]*", "a\\\\", "*a*b*c*", "?",
        "[", "k?", "k\\xff", "*\\**", "[^a-z]*");
    try (RedisServer redis = RedisServer.start(); Jedis real = redis.jedis()) {
      for (byte[] k : keys) {
        real.set(k, new byte[] {1});
        jedis.set(k, new byte[] {1});
      }
      List<byte[]> binaryPatterns = new ArrayList<>();
      for (String p : patterns) {
        binaryPatterns.add(p.getBytes(StandardCharsets.UTF_8));
      }
      binaryPatterns.add(new byte[] {'k', '[', (byte) 0xf0, '-', (byte) 0xfe, ']'});
      binaryPatterns.add(new byte[] {'k', (byte) 0xff});
      for (byte[] pattern : binaryPatterns) {
        Set<String> expected = hex(real.keys(pattern));
        assertThat(hex(jedis.keys(pattern))).as("KEYS %s", new String(pattern, StandardCharsets.ISO_8859_1))
            .isEqualTo(expected);
        ScanResult<byte[]> page = jedis.scan("0".getBytes(), new ScanParams().match(pattern).count(1_000_000));
        assertThat(hex(new HashSet<>(page.getResult()))).as("SCAN MATCH %s", new String(pattern, StandardCharsets.ISO_8859_1))
            .isEqualTo(expected);
      }
    }
  }

  private static Set<String> hex(Set<byte[]> keys) {
    Set<String> out = new TreeSet<>();
    for (byte[] k : keys) {
      out.add(java.util.HexFormat.of().formatHex(k));
    }
    return out;
  }
}
