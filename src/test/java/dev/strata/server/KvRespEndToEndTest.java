package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.support.LineClient;
import dev.strata.support.RespClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/** The kv application over RESP, driven by real Redis clients: Jedis, and redis-cli when installed. */
@ExtendWith(VertxExtension.class)
class KvRespEndToEndTest {

  private Strata strata;
  private Jedis jedis;

  @BeforeEach
  void start(Vertx vertx) {
    strata = TestNodes.start(vertx, TestNodes.defaultNode().put("listeners",
        new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv"))
            .add(TestNodes.listener("kv-lines", "lines", "app.kv"))));
    jedis = new Jedis("127.0.0.1", strata.port("kv"));
    jedis.flushDB();
  }

  @AfterEach
  void stop() {
    jedis.close();
    strata.stop().await();
  }

  @Test
  void jedisSpeaksTheBasicCommands() {
    assertThat(jedis.ping()).isEqualTo("PONG");
    assertThat(jedis.echo("hi")).isEqualTo("hi");
    assertThat(jedis.set("a", "1")).isEqualTo("OK");
    assertThat(jedis.get("a")).isEqualTo("1");
    assertThat(jedis.get("missing")).isNull();
    assertThat(jedis.incr("a")).isEqualTo(2);
    assertThat(jedis.incrBy("a", 10)).isEqualTo(12);
    assertThat(jedis.decr("a")).isEqualTo(11);
    assertThat(jedis.exists("a", "missing")).isEqualTo(1);
    assertThat(jedis.mset("x", "1", "y", "2")).isEqualTo("OK");
    assertThat(jedis.mget("x", "nope", "y")).containsExactly("1", null, "2");
    assertThat(jedis.dbSize()).isEqualTo(3);
    assertThat(jedis.del("x", "y", "nope")).isEqualTo(2);
    assertThat(jedis.flushDB()).isEqualTo("OK");
    assertThat(jedis.dbSize()).isZero();
  }

  @Test
  void setOptionsAndExpiryFollowRedis() {
    assertThat(jedis.set("k", "v", SetParams.setParams().nx())).isEqualTo("OK");
    assertThat(jedis.set("k", "w", SetParams.setParams().nx())).isNull();
    assertThat(jedis.set("none", "w", SetParams.setParams().xx())).isNull();
    assertThat(jedis.set("k", "w", SetParams.setParams().xx().ex(100))).isEqualTo("OK");
    assertThat(jedis.ttl("k")).isBetween(99L, 100L);
    assertThat(jedis.set("p", "v", SetParams.setParams().px(50_000))).isEqualTo("OK");
    assertThat(jedis.pttl("p")).isBetween(49_000L, 50_000L);
    assertThat(jedis.expire("k", 5)).isEqualTo(1);
    assertThat(jedis.ttl("k")).isBetween(4L, 5L);
    assertThat(jedis.ttl("nothing")).isEqualTo(-2);
    assertThat(jedis.expire("nothing", 5)).isZero();
  }

  @Test
  void errorsReadAsRedisErrorsAndTheConnectionGoesOn() {
    jedis.rpush("list", "a");
    assertThatThrownBy(() -> jedis.get("list")).isInstanceOf(JedisDataException.class)
        .hasMessageStartingWith("WRONGTYPE");
    jedis.set("word", "abc");
    assertThatThrownBy(() -> jedis.incr("word")).hasMessage("ERR value is not an integer or out of range");
    assertThatThrownBy(() -> jedis.sendCommand(() -> "FROB".getBytes(), "x"))
        .hasMessageStartingWith("ERR unknown command 'FROB'");
    assertThatThrownBy(() -> jedis.sendCommand(() -> "GET".getBytes()))
        .hasMessage("ERR wrong number of arguments for 'get' command");
    assertThat(jedis.ping()).isEqualTo("PONG");
  }

  @Test
  void binaryValuesRoundTrip() {
    byte[] value = new byte[256];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) i;
    }
    jedis.set("bin".getBytes(), value);
    assertThat(jedis.get("bin".getBytes())).isEqualTo(value);
  }

  @Test
  void pipelinedCommandsComeBackInOrder() {
    Pipeline p = jedis.pipelined();
    List<Response<Long>> r = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      r.add(p.incr("counter"));
    }
    p.sync();
    for (int i = 0; i < r.size(); i++) {
      assertThat(r.get(i).get()).isEqualTo(i + 1L);
    }
  }

  @Test
  void oneStoreServesBothProtocols() throws Exception {
    jedis.set("shared", "from resp");
    try (LineClient lines = new LineClient(strata.port("kv-lines"))) {
      assertThat(lines.request("GET shared")).isEqualTo("from resp");
      lines.request("SET back \"from lines\"");
    }
    assertThat(jedis.get("back")).isEqualTo("from lines");
  }

  @Test
  void helloNegotiatesResp2OrResp3AndRefusesOtherVersions() throws Exception {
    try (RespClient c = new RespClient(strata.port("kv"))) {
      assertThat(c.call("HELLO", "4")).isEqualTo(new RespClient.Error("NOPROTO unsupported protocol version"));
      assertThat(c.call("HELLO", "3", "AUTH", "default")).isInstanceOf(RespClient.Error.class)
          .extracting(e -> ((RespClient.Error) e).text()).asString().startsWith("ERR Syntax error in HELLO option");
      Object two = c.call("HELLO", "2");
      assertThat(two).isInstanceOf(List.class); // RESP2: a flat array of names and values
      assertThat(RespClient.text(((List<?>) two).get(4))).isEqualTo("proto");
      Object three = c.call("HELLO", "3", "AUTH", "default", "any", "SETNAME", "me");
      assertThat(three).isInstanceOf(java.util.Map.class); // RESP3 from this reply on: a map
      assertThat(((java.util.Map<?, ?>) three).get("proto")).isEqualTo(3L);
      assertThat(c.call("GET", "missing")).isNull();
      assertThat(c.call("SET", "k", "v")).isEqualTo("OK");
    }
  }

  @Test
  void inlineCommandsAndQuitWorkAsRedisCliSendsThem() throws Exception {
    try (LineClient raw = new LineClient(strata.port("kv"))) {
      assertThat(raw.request("PING")).isEqualTo("+PONG");
      assertThat(raw.request("SET inline 5")).isEqualTo("+OK");
      assertThat(raw.request("GET inline")).isEqualTo("$1");
      assertThat(raw.readLine()).isEqualTo("5");
      assertThat(raw.request("QUIT")).isEqualTo("+OK");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void aMissingValueIsTheResp3NullAfterHello3AndTheResp2NullBefore() throws Exception {
    try (LineClient raw = new LineClient(strata.port("kv"))) {
      assertThat(raw.request("GET never-set")).isEqualTo("$-1");
      raw.request("HELLO 3");
      while (!raw.readLine().equals("proto")) {
        // the rest of HELLO's map
      }
      raw.readLine(); // :3
      while (true) { // up to the map's last value, the modules array (empty)
        if (raw.readLine().equals("*0")) {
          break;
        }
      }
      assertThat(raw.request("GET never-set")).isEqualTo("_");
    }
  }

  @Test
  void redisCliWorksInPipesWhenInstalled() throws Exception {
    Assumptions.assumeTrue(new java.io.File("/usr/bin/redis-cli").canExecute(),
        "redis-cli not installed (apt-get install redis-tools); skipping");
    Process p = new ProcessBuilder("redis-cli", "-p", Integer.toString(strata.port("kv")))
        .redirectErrorStream(true).start();
    p.getOutputStream().write("SET cli yes\nGET cli\nINCR n\nCOMMAND COUNT\nFROB\n".getBytes());
    p.getOutputStream().close();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(out.lines().toList()).startsWith("OK", "yes", "1");
    assertThat(out).contains("ERR unknown command 'FROB'");
  }
}
