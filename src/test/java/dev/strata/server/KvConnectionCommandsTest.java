package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.RespClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * What a connection says about itself, over a real socket: HELLO with AUTH and SETNAME, CLIENT
 * SETNAME/GETNAME/ID/INFO/LIST/SETINFO (state per connection, gone when it closes), SELECT, COMMAND,
 * and AUTH when the application has a password. Byte-level checks with a raw client; redis-cli and
 * Jedis where the behaviour is theirs.
 */
@ExtendWith(VertxExtension.class)
class KvConnectionCommandsTest {

  private Strata strata;

  private Strata start(Vertx vertx, JsonObject kvConfig) {
    strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv")))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle").put("config", kvConfig)))
        .put("admin", new JsonObject().put("enabled", false)));
    return strata;
  }

  @AfterEach
  void stop() {
    if (strata != null) {
      strata.stop().await();
    }
  }

  private static String text(Object reply) {
    return RespClient.text(reply);
  }

  @Test
  void helloTakesAuthAndSetnameAndAnswersInTheVersionAsked(Vertx vertx) throws Exception {
    start(vertx, new JsonObject());
    try (RespClient c = new RespClient(strata.port("kv"))) {
      assertThat(c.call("HELLO", "x")).isEqualTo(new RespClient.Error("ERR Protocol version is not an integer or out of range"));
      assertThat(c.call("HELLO", "3", "AUTH", "bob", "pw"))
          .isEqualTo(new RespClient.Error("WRONGPASS invalid username-password pair or user is disabled."));
      assertThat(c.call("HELLO", "3", "SETNAME", "has space"))
          .isEqualTo(new RespClient.Error("ERR Client names cannot contain spaces, newlines or special characters."));
      assertThat(c.call("GET", "k")).isNull(); // the failed HELLOs changed nothing: still RESP2
      Object three = c.call("HELLO", "3", "AUTH", "default", "anything", "SETNAME", "worker-1");
      assertThat(three).isInstanceOf(Map.class);
      Map<?, ?> map = (Map<?, ?>) three;
      assertThat(map.get("proto")).isEqualTo(3L);
      long id = (Long) map.get("id");
      assertThat(c.call("CLIENT", "ID")).isEqualTo(id);
      assertThat(text(c.call("CLIENT", "GETNAME"))).isEqualTo("worker-1");
      assertThat(text(c.call("CLIENT", "INFO"))).startsWith("id=" + id + " addr=127.0.0.1:")
          .contains(" name=worker-1 ").contains(" resp=3 ").endsWith("\n");
      Object again = c.call("HELLO"); // no version: the protocol stays
      assertThat(((Map<?, ?>) again).get("proto")).isEqualTo(3L);
      Object two = c.call("HELLO", "2");
      assertThat(two).isInstanceOf(List.class);
      assertThat(((List<?>) two).stream().map(v -> v instanceof byte[] ? text(v) : v).toList())
          .containsSubsequence("proto", 2L).containsSubsequence("id", id);
    }
  }

  @Test
  void clientStateIsPerConnectionAndLeavesWithIt(Vertx vertx) throws Exception {
    start(vertx, new JsonObject());
    try (RespClient a = new RespClient(strata.port("kv")); RespClient b = new RespClient(strata.port("kv"))) {
      assertThat(a.call("CLIENT", "GETNAME")).isNull();
      assertThat(a.call("CLIENT", "SETNAME", "alpha")).isEqualTo("OK");
      assertThat(b.call("CLIENT", "SETNAME", "beta")).isEqualTo("OK");
      assertThat(b.call("CLIENT", "SETINFO", "LIB-NAME", "mylib")).isEqualTo("OK");
      assertThat(b.call("CLIENT", "SETINFO", "LIB-VER", "1.2")).isEqualTo("OK");
      assertThat(b.call("CLIENT", "SETINFO", "COLOUR", "red")).isEqualTo(new RespClient.Error("ERR Unrecognized option 'COLOUR'"));
      assertThat(text(a.call("CLIENT", "GETNAME"))).isEqualTo("alpha");
      assertThat(text(b.call("CLIENT", "GETNAME"))).isEqualTo("beta");
      long idA = (Long) a.call("CLIENT", "ID");
      long idB = (Long) b.call("CLIENT", "ID");
      assertThat(idA).isNotEqualTo(idB);
      List<String> lines = text(a.call("CLIENT", "LIST")).lines().toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0)).startsWith("id=" + Math.min(idA, idB) + " ");
      assertThat(String.join("\n", lines)).contains(" name=alpha ").contains(" name=beta ")
          .contains("lib-name=mylib lib-ver=1.2");
      assertThat(text(a.call("CLIENT", "LIST", "ID", Long.toString(idB)))).contains("name=beta").doesNotContain("alpha");
      assertThat(a.call("CLIENT", "SETNAME", "")).isEqualTo("OK"); // an empty name clears it, as in Redis
      assertThat(a.call("CLIENT", "GETNAME")).isNull();
      assertThat(a.call("CLIENT", "KILL", "x")).isEqualTo(new RespClient.Error("ERR unknown subcommand 'KILL'. Try CLIENT HELP."));
      b.close();
      await().atMost(Duration.ofSeconds(5)).until(() -> !text(a.call("CLIENT", "LIST")).contains("name=beta"));
    }
  }

  @Test
  void selectTakesOnlyDatabaseZero(Vertx vertx) throws Exception {
    start(vertx, new JsonObject());
    try (Jedis jedis = new Jedis("127.0.0.1", strata.port("kv"))) {
      assertThat(jedis.select(0)).isEqualTo("OK");
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> jedis.select(1)))
          .isInstanceOf(JedisDataException.class).hasMessage("ERR DB index is out of range");
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> jedis.sendCommand(() -> "SELECT".getBytes(), "x")))
          .hasMessage("ERR value is not an integer or out of range");
      assertThat(jedis.ping()).isEqualTo("PONG");
    }
  }

  @Test
  void commandAnswersWhatClientsProbe(Vertx vertx) throws Exception {
    start(vertx, new JsonObject());
    try (RespClient c = new RespClient(strata.port("kv"))) {
      long count = (Long) c.call("COMMAND", "COUNT");
      assertThat(count).isGreaterThan(50);
      List<?> all = (List<?>) c.call("COMMAND");
      assertThat(all).hasSize((int) count);
      List<?> info = (List<?>) c.call("COMMAND", "INFO", "get", "nosuch");
      assertThat(text(((List<?>) info.get(0)).get(0))).isEqualTo("get");
      assertThat(((List<?>) info.get(0)).get(1)).isEqualTo(2L);
      assertThat(info.get(1)).isNull();
      assertThat(((List<?>) c.call("COMMAND", "LIST")).stream().map(RespClient::text)).contains("hgetall", "scan", "client");
      assertThat(c.call("COMMAND", "DOCS")).isEqualTo(List.of()); // RESP2: an empty array
      c.call("HELLO", "3");
      assertThat(c.call("COMMAND", "DOCS")).isEqualTo(Map.of()); // RESP3: an empty map
    }
    Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(strata.port("kv")), "COMMAND", "COUNT")
        .redirectErrorStream(true).start();
    assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(cli.getInputStream().readAllBytes()).trim()).matches("\\(integer\\) \\d+|\\d+");
  }

  @Test
  void aPasswordIsAskedBeforeAnythingElse(Vertx vertx) throws Exception {
    start(vertx, new JsonObject().put("password", "s3cret"));
    try (RespClient c = new RespClient(strata.port("kv"))) {
      assertThat(c.call("GET", "k")).isEqualTo(new RespClient.Error("NOAUTH Authentication required."));
      assertThat(c.call("CLIENT", "SETNAME", "x")).isEqualTo(new RespClient.Error("NOAUTH Authentication required."));
      assertThat(c.call("HELLO", "3")).isInstanceOf(RespClient.Error.class)
          .extracting(e -> ((RespClient.Error) e).text()).asString().startsWith("NOAUTH HELLO must be called");
      assertThat(c.call("AUTH", "wrong")).isEqualTo(new RespClient.Error("WRONGPASS invalid username-password pair or user is disabled."));
      assertThat(c.call("AUTH", "default", "wrong")).isInstanceOf(RespClient.Error.class);
      assertThat(c.call("GET", "k")).isEqualTo(new RespClient.Error("NOAUTH Authentication required."));
      assertThat(c.call("AUTH", "s3cret")).isEqualTo("OK");
      assertThat(c.call("SET", "k", "v")).isEqualTo("OK");
    }
    try (RespClient c = new RespClient(strata.port("kv"))) {
      assertThat(c.call("HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "n")).isInstanceOf(Map.class);
      assertThat(text(c.call("GET", "k"))).isEqualTo("v");
    }
    // the clients' way: Jedis with a password (AUTH on connect), Jedis RESP3 (HELLO 3 AUTH), redis-cli -a
    try (Jedis jedis = new Jedis("127.0.0.1", strata.port("kv"), DefaultJedisClientConfig.builder().password("s3cret").build())) {
      assertThat(jedis.get("k")).isEqualTo("v");
    }
    try (Jedis jedis = new Jedis("127.0.0.1", strata.port("kv"),
        DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).user("default").password("s3cret").build())) {
      assertThat(jedis.get("k")).isEqualTo("v");
    }
    Process cli = new ProcessBuilder("redis-cli", "-p", Integer.toString(strata.port("kv")), "--no-auth-warning",
        "-a", "s3cret", "GET", "k").redirectErrorStream(true).start();
    assertThat(cli.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(cli.getInputStream().readAllBytes()).trim()).isEqualTo("v");
  }

  @Test
  void withoutAPasswordAuthBehavesAsAPasswordlessRedis(Vertx vertx) throws Exception {
    start(vertx, new JsonObject());
    try (RespClient c = new RespClient(strata.port("kv"))) {
      assertThat(c.call("AUTH", "pw")).isInstanceOf(RespClient.Error.class)
          .extracting(e -> ((RespClient.Error) e).text()).asString()
          .startsWith("ERR AUTH <password> called without any password configured for the default user");
      assertThat(c.call("AUTH", "default", "anything")).isEqualTo("OK");
      assertThat(c.call("AUTH", "alice", "anything"))
          .isEqualTo(new RespClient.Error("WRONGPASS invalid username-password pair or user is disabled."));
      assertThat(c.call("PING")).isEqualTo("PONG");
    }
  }
}
