package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.LineClient;
import dev.strata.support.RedisServer;
import dev.strata.support.RespClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH against a real redis-server 7: each script runs on both, over
 * raw sockets, and the replies must be the same bytes, every error text included. One difference is
 * allowed and normalized: inside an array Strata writes a status ({@code OK}, {@code PONG}) as a bulk
 * string, since the RESP encoder writes every String inside an array so (clients read the same value).
 *
 * <p>A script's steps run on the main connection, or on a second one ({@code @other ...}: another
 * client of the same store), or wait until a key has expired ({@code expired KEY}, polled with EXISTS on
 * the second connection, which neither touches nor watches it).
 */
@ExtendWith(VertxExtension.class)
class KvTransactionsTest {

  private static RedisServer redis;
  private Strata strata;

  @BeforeAll
  static void redisUp() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void redisDown() {
    redis.close();
  }

  @BeforeEach
  void start(Vertx vertx) {
    strata = TestNodes.start(vertx, TestNodes.defaultNode().put("listeners",
        new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv")).add(TestNodes.listener("kv-lines", "lines", "app.kv"))));
  }

  @AfterEach
  void stop() {
    strata.stop().await();
  }

  static Stream<Arguments> scripts() {
    return Stream.of(
        script("errors outside a transaction", "EXEC", "DISCARD", "UNWATCH", "WATCH", "MULTI x", "EXEC x"),
        script("nested MULTI and WATCH inside MULTI are refused without failing the transaction",
            "MULTI", "MULTI", "WATCH a", "SET a 1", "GET a", "EXEC", "GET a"),
        script("a command refused while queuing aborts EXEC, and none of the queue runs",
            "MULTI", "SET a 1", "GET", "FROB x y", "SET b 2", "EXEC", "EXEC", "MGET a b"),
        script("EXEC refused is EXECABORT with its reason, and ends MULTI", "MULTI", "SET a 1", "EXEC x", "EXEC", "GET a"),
        script("errors while running are replies inside the array; the other commands still run",
            "SET n 10", "MULTI", "SET a 1 BADOPT", "INCR n", "SET b x", "INCR b", "LPUSH b y", "PING", "MGET a b nokey",
            "HSET h f v", "HGETALL h", "INCRBY n nope", "GET nokey", "EXEC", "GET n"),
        script("commands are queued, never run early", "MULTI", "SET q 1", "@other GET q", "EXEC", "@other GET q"),
        script("DISCARD drops the queue", "MULTI", "SET d 1", "DISCARD", "DISCARD", "EXEC", "GET d"),
        script("an empty transaction", "MULTI", "EXEC"),
        script("UNWATCH is queued inside MULTI, and its arity checked", "MULTI", "UNWATCH", "UNWATCH x", "EXEC"),
        script("RESET ends MULTI at once", "MULTI", "SET r 1", "RESET", "EXEC", "GET r"),
        script("a key changed by another client aborts EXEC with the null array",
            "WATCH k", "@other SET k 1", "MULTI", "SET k 2", "EXEC", "GET k", "EXEC"),
        script("a key changed by the same client aborts EXEC too", "WATCH k", "SET k 2", "MULTI", "PING", "EXEC"),
        script("a key written with its own value aborts EXEC", "SET k v", "WATCH k", "@other SET k v", "MULTI", "PING", "EXEC"),
        script("reads and writes that change nothing do not abort",
            "SET k 1", "WATCH k", "@other GET k", "@other SETNX k 3", "@other LLEN k", "@other PERSIST k",
            "@other EXPIRE nokey 10", "@other DEL nokey", "MULTI", "PING", "EXEC"),
        script("a key set then deleted meanwhile aborts", "DEL e", "WATCH e", "@other SET e 1", "@other DEL e", "MULTI", "PING", "EXEC"),
        script("several keys: any of them", "WATCH a b c", "@other INCR c", "MULTI", "PING", "EXEC"),
        script("changes in place to a list or a hash abort, non-changes do not",
            "RPUSH l x", "HSET h f v", "WATCH l", "@other RPUSH l y", "MULTI", "PING", "EXEC",
            "WATCH l", "@other LPOP emptylist", "@other LRANGE l 0 -1", "MULTI", "PING", "EXEC",
            "WATCH h", "@other HSET h g w", "MULTI", "PING", "EXEC",
            "WATCH h", "@other HDEL h nofield", "@other HSETNX h f other", "@other HGETALL h", "MULTI", "PING", "EXEC",
            "WATCH h", "@other HINCRBY h n 1", "MULTI", "PING", "EXEC",
            "WATCH k", "@other APPEND k x", "MULTI", "PING", "EXEC",
            "SET t 1", "WATCH t", "@other EXPIRE t 100", "MULTI", "PING", "EXEC"),
        script("UNWATCH, EXEC and DISCARD forget the watched keys",
            "WATCH k", "UNWATCH", "@other SET k 1", "MULTI", "PING", "EXEC",
            "WATCH k", "MULTI", "EXEC", "@other SET k 2", "MULTI", "PING", "EXEC",
            "WATCH k", "@other SET k 3", "MULTI", "DISCARD", "MULTI", "PING", "EXEC"),
        script("FLUSHALL aborts the watchers of keys that held a value only",
            "DEL n", "WATCH n", "@other FLUSHALL", "MULTI", "PING", "EXEC",
            "SET n 1", "WATCH n", "@other FLUSHALL", "MULTI", "PING", "EXEC"),
        script("a watched key that expires before EXEC aborts it", "SET e 1 PX 150", "WATCH e", "expired e", "MULTI", "PING", "EXEC"),
        script("a key already expired when watched does not", "SET e 1 PX 50", "expired e", "WATCH e", "MULTI", "PING", "EXEC"),
        script("EXEC without MULTI keeps the watched keys", "WATCH k", "EXEC", "@other SET k 9", "MULTI", "PING", "EXEC"),
        script("connection commands run inside EXEC", "MULTI", "CLIENT SETNAME tx", "SELECT 0", "ECHO hi", "EXEC",
            "CLIENT GETNAME"));
  }

  private static Arguments script(String name, String... steps) {
    return Arguments.of(name, List.of(steps));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void repliesAreRedisOwn(String name, List<String> steps) throws Exception {
    List<String> expected = run(redis.port(), steps);
    List<String> actual = run(strata.port("kv"), steps);
    assertThat(actual).as(name).isEqualTo(expected);
  }

  /** The normalized replies of {@code steps} on the server at {@code port}, after FLUSHALL. */
  private static List<String> run(int port, List<String> steps) throws Exception {
    try (RespClient main = new RespClient(port); RespClient other = new RespClient(port)) {
      other.call("FLUSHALL");
      List<String> out = new ArrayList<>();
      for (String step : steps) {
        if (step.startsWith("expired ")) {
          String key = step.substring(8);
          await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
              .until(() -> Long.valueOf(0).equals(other.call("EXISTS", key)));
          continue;
        }
        RespClient c = step.startsWith("@other ") ? other : main;
        String command = step.startsWith("@other ") ? step.substring(7) : step;
        c.send((Object[]) command.split(" "));
        out.add(step + " -> " + normalized(c.readWire()));
      }
      return out;
    }
  }

  /** The wire form with every simple string inside an array written as a bulk string. */
  static String normalized(String wire) {
    StringBuilder out = new StringBuilder();
    normalize(wire, new int[] {0}, false, out);
    return out.toString();
  }

  private static void normalize(String wire, int[] at, boolean nested, StringBuilder out) {
    int eol = wire.indexOf("\r\n", at[0]);
    char type = wire.charAt(at[0]);
    String line = wire.substring(at[0] + 1, eol);
    at[0] = eol + 2;
    if (type == '+' && nested) {
      out.append('$').append(line.length()).append("\r\n").append(line).append("\r\n");
      return;
    }
    out.append(type).append(line).append("\r\n");
    if (type == '$' && !line.startsWith("-")) {
      int n = Integer.parseInt(line);
      out.append(wire, at[0], at[0] + n + 2);
      at[0] += n + 2;
    } else if ((type == '*' || type == '%') && !line.startsWith("-")) {
      int n = Integer.parseInt(line) * (type == '%' ? 2 : 1);
      for (int i = 0; i < n; i++) {
        normalize(wire, at, true, out);
      }
    }
  }

  @Test
  void aCommandTheStoreDoesNotHaveIsRefusedAtQueuingNeverRun() throws Exception {
    try (RespClient c = new RespClient(strata.port("kv"))) {
      c.call("MULTI");
      c.call("SET", "a", "1");
      assertThat(c.call("SADD", "s", "x")).isEqualTo(new RespClient.Error("ERR unknown command 'SADD', with args beginning with: 's' 'x' "));
      assertThat(c.call("EXEC")).isEqualTo(new RespClient.Error("EXECABORT Transaction discarded because of previous errors."));
      assertThat(c.call("EXISTS", "a", "s")).isEqualTo(0L);
    }
  }

  @Test
  void anAbortedExecIsTheNullArrayOnTheWire() throws Exception {
    try (RespClient c = new RespClient(strata.port("kv")); RespClient other = new RespClient(strata.port("kv"))) {
      c.call("WATCH", "k");
      other.call("SET", "k", "1");
      c.call("MULTI");
      c.call("PING");
      assertThat(c.send("EXEC").readWire()).isEqualTo("*-1\r\n");
      // RESP3: the null, as Redis writes it (redis-py's RESP3 parser reads no *-1)
      c.call("HELLO", "3");
      c.call("WATCH", "k");
      other.call("SET", "k", "2");
      c.call("MULTI");
      assertThat(c.send("EXEC").readWire()).isEqualTo("_\r\n");
    }
  }

  @Test
  void underResp3RepliesInsideExecKeepTheirTypes() throws Exception {
    try (RespClient c = new RespClient(strata.port("kv"))) {
      c.call("HSET", "h", "f", "v");
      c.call("HELLO", "3");
      c.call("MULTI");
      c.call("HGETALL", "h");
      c.call("GET", "h");
      c.call("INCR", "n");
      assertThat(c.send("EXEC").readWire()).isEqualTo("*3\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n"
          + "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n:1\r\n");
    }
  }

  @Test
  void helloInsideMultiSwitchesTheProtocolWithExecsReply() throws Exception {
    try (RespClient c = new RespClient(strata.port("kv"))) {
      c.call("HSET", "h", "f", "v");
      c.call("MULTI");
      c.call("HELLO", "3");
      c.call("HGETALL", "h");
      List<?> replies = (List<?>) c.call("EXEC");
      assertThat(replies).hasSize(2);
      assertThat(((Map<?, ?>) replies.get(0)).get("proto")).isEqualTo(3L);
      assertThat(((Map<?, ?>) replies.get(1)).containsKey("f")).isTrue();
      assertThat(c.send("HGETALL", "h").readWire()).startsWith("%1");
    }
  }

  @Test
  void aTransactionOverItsByteLimitIsRefusedAndKeepsNothing(Vertx vertx) throws Exception {
    strata.stop().await();
    strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv")))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle")
            .put("config", new JsonObject().put("maxQueuedBytes", 100))))
        .put("admin", new JsonObject().put("enabled", false)));
    try (RespClient c = new RespClient(strata.port("kv"))) {
      c.call("MULTI");
      assertThat(c.call("SET", "a", "1")).isEqualTo("QUEUED"); // 5 bytes and 16 per argument: 53 of 100
      assertThat(c.call("SET", "b", "x".repeat(60))).isEqualTo(new RespClient.Error(
          "ERR MULTI queue of 165 bytes over maxQueuedBytes 100: the transaction is discarded"));
      assertThat(c.call("SET", "c", "1")).isEqualTo("QUEUED");
      assertThat(c.call("EXEC")).isEqualTo(new RespClient.Error("EXECABORT Transaction discarded because of previous errors."));
      assertThat(c.call("MGET", "a", "b", "c")).isEqualTo(Arrays.asList(null, null, null));
    }
  }

  @Test
  void beforeAuthMultiIsRefusedAndExecAborts(Vertx vertx) throws Exception {
    strata.stop().await();
    strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv")))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle")
            .put("config", new JsonObject().put("password", "pw").put("store", "with-password"))))
        .put("admin", new JsonObject().put("enabled", false)));
    try (RespClient c = new RespClient(strata.port("kv"))) {
      // as redis-server 7.0 with requirepass answers
      assertThat(c.call("EXEC")).isEqualTo(new RespClient.Error("EXECABORT Transaction discarded because of: NOAUTH Authentication required."));
      assertThat(c.call("MULTI")).isEqualTo(new RespClient.Error("NOAUTH Authentication required."));
      assertThat(c.call("AUTH", "pw")).isEqualTo("OK");
      assertThat(c.call("MULTI")).isEqualTo("OK");
      assertThat(c.call("EXEC")).isEqualTo(List.of());
    }
  }

  @Test
  void linesConnectionsHaveTransactionsToo() throws Exception {
    try (LineClient lines = new LineClient(strata.port("kv-lines"))) {
      assertThat(lines.request("MULTI")).isEqualTo("OK");
      assertThat(lines.request("SET a 1")).isEqualTo("QUEUED");
      assertThat(lines.request("INCR a")).isEqualTo("QUEUED");
      assertThat(lines.request("LPUSH a x")).isEqualTo("QUEUED");
      assertThat(lines.request("EXEC")).isEqualTo("OK 2 (error) WRONGTYPE Operation against a key holding the wrong kind of value");
    }
  }

  @Test
  void aClientThatLeavesMidMultiLeavesNothingBehind() throws Exception {
    try (RespClient watcher = new RespClient(strata.port("kv"))) {
      watcher.call("CLIENT", "SETNAME", "watcher");
      RespClient c = new RespClient(strata.port("kv"));
      c.call("CLIENT", "SETNAME", "leaver");
      c.call("WATCH", "w");
      c.call("MULTI");
      c.call("SET", "left", "1");
      assertThat(RespClient.text(watcher.call("CLIENT", "LIST"))).contains("name=leaver").contains("multi=1 watch=1");
      c.close();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(RespClient.text(watcher.call("CLIENT", "LIST"))).doesNotContain("name=leaver"));
      assertThat(watcher.call("GET", "left")).isNull();
    }
  }

  @Test
  void requestsFromNoConnectionCannotOpenATransaction(Vertx vertx) {
    Object reply;
    try {
      reply = vertx.eventBus().request("app.kv", "MULTI").await().body();
    } catch (ReplyException e) {
      reply = e.getMessage();
    }
    assertThat(reply).isEqualTo("ERR MULTI needs a connection: this request came on none");
  }
}
