package dev.strata.connector;

import static dev.strata.support.ConnectorNodes.connector;
import static dev.strata.support.ConnectorNodes.node;
import static dev.strata.support.ConnectorNodes.within;
import static dev.strata.support.ConnectorNodes.onContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.exchange.Service;
import dev.strata.exchange.ValueList;
import dev.strata.server.Strata;
import dev.strata.support.BridgeClient;
import dev.strata.support.RedisServer;
import dev.strata.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * {@code svc.redis} in front of a real redis-server: the same answers for a verticle calling it
 * through {@code Service.at}, for a plain event-bus request and for a client of the event-bus bridge,
 * with RESP's reply types; and pipelined correlation under many concurrent requests.
 */
@ExtendWith(VertxExtension.class)
class ConnectorRedisTest {

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
    try (Jedis j = redis.jedis()) {
      j.flushAll();
    }
    JsonObject node = node(connector("redis", redis.hostPort(), "resp").put("pool", 2).put("maxWaiting", 4096))
        .put("bridge", new JsonObject().put("port", 0));
    strata = TestNodes.start(vertx, node);
  }

  @AfterEach
  void stop() {
    strata.stop().await();
  }

  @Test
  void aVerticleCallsSvcRedisThroughServiceAtAndGetsRespReplyTypesWithoutTheEventBus(Vertx vertx) {
    AtomicInteger onTheBus = new AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if ("svc.redis".equals(ctx.message().address())) {
        onTheBus.incrementAndGet();
      }
      ctx.next();
    });
    List<Object> replies = onContext(vertx, () -> {
      Service<Object, Object> redisService = Service.at(vertx, "svc.redis");
      List<Object> out = new ArrayList<>();
      // the bodies the kv application receives: a ValueList of Buffers; a command line works too
      return redisService.request(ValueList.of(Buffer.buffer("SET"), Buffer.buffer("a"), Buffer.buffer("1")))
          .compose(r -> add(out, r, redisService.request("GET a")))
          .compose(r -> add(out, r, redisService.request("INCR a")))
          .compose(r -> add(out, r, redisService.request(ValueList.of("MGET", "a", "missing"))))
          .compose(r -> add(out, r, redisService.request("GET missing")))
          .compose(r -> {
            out.add(r);
            return Future.succeededFuture(out);
          });
    });
    assertThat(replies.get(0)).isEqualTo("OK");
    assertThat(replies.get(1)).isInstanceOf(Buffer.class).hasToString("1");
    assertThat(replies.get(2)).isEqualTo(2L);
    assertThat(replies.get(3)).isInstanceOf(ValueList.class);
    ValueList mget = (ValueList) replies.get(3);
    assertThat(mget.buffer(0)).hasToString("2");
    assertThat(mget.get(1)).isNull();
    assertThat(replies.get(4)).isNull();
    assertThat(onTheBus.get()).as("requests sent over the event bus").isZero();
    try (Jedis j = redis.jedis()) {
      assertThat(j.get("a")).isEqualTo("2"); // it really is redis-server that answered
    }
  }

  @Test
  void redisErrorRepliesAreFailuresWithRedisOwnText(Vertx vertx) {
    Throwable failure = onContext(vertx, () -> Service.at(vertx, "svc.redis").request("NOSUCHCOMMAND x")
        .transform(ar -> Future.succeededFuture(ar.cause())));
    assertThat(failure).isInstanceOf(ReplyException.class).hasMessageStartingWith("ERR unknown command 'NOSUCHCOMMAND'");
    try (Jedis j = redis.jedis()) {
      j.lpush("list", "x");
    }
    assertThatThrownBy(() -> within(vertx.eventBus().request("svc.redis", "INCR list"), 5))
        .isInstanceOf(ReplyException.class).hasMessageStartingWith("WRONGTYPE");
  }

  @Test
  void plainEventBusRequestsGetTheSameAnswers(Vertx vertx) {
    assertThat(request(vertx, new JsonArray().add("SET").add("b").add("hello"))).isEqualTo("OK");
    assertThat(request(vertx, ValueList.of(Buffer.buffer("GET"), Buffer.buffer("b")))).isEqualTo(Buffer.buffer("hello"));
    assertThat(request(vertx, "APPEND b !")).isEqualTo(6L);
    assertThat(request(vertx, "STRLEN b")).isEqualTo(6L);
    assertThat(request(vertx, "GET nothing")).isNull();
    Object keys = request(vertx, "KEYS *");
    assertThat(keys).isInstanceOf(ValueList.class);
    assertThat(((ValueList) keys).buffer(0)).hasToString("b");
  }

  @Test
  void aBridgeClientReachesSvcRedis() throws Exception {
    try (BridgeClient c = new BridgeClient(strata.port("bridge"))) {
      c.send(BridgeClient.request("svc.redis", "SET greeting hi", "r1"));
      JsonObject set = c.next();
      // event-bus requests are spread over the connector's instances: a GET sent before the SET's
      // reply could overtake it, so wait for it (as with any event-bus service of several instances)
      c.send(BridgeClient.request("svc.redis", new JsonArray().add("GET").add("greeting"), "r2"));
      c.send(BridgeClient.request("svc.redis", "INCR counter", "r3"));
      c.send(BridgeClient.request("svc.redis", "HGET", "r4")); // redis refuses: wrong number of arguments
      // the bridge answers as replies come, each to its reply address
      java.util.Map<String, JsonObject> byAddress = new java.util.HashMap<>();
      for (int i = 0; i < 3; i++) {
        JsonObject m = c.next();
        byAddress.put(m.getString("address"), m);
      }
      JsonObject get = byAddress.get("r2");
      JsonObject incr = byAddress.get("r3");
      JsonObject err = byAddress.get("r4");
      assertThat(set).isEqualTo(new JsonObject().put("type", "message").put("address", "r1").put("headers", new JsonObject())
          .put("body", "OK").put("send", true)); // the reference bridge's fields (BridgeReferenceTest)
      assertThat(get.getString("address")).isEqualTo("r2");
      assertThat(new String(Base64.getDecoder().decode(get.getString("body")), StandardCharsets.UTF_8)).isEqualTo("hi");
      assertThat(incr.getLong("body")).isEqualTo(1L);
      assertThat(err.getString("type")).isEqualTo("err");
      assertThat(err.getString("address")).isEqualTo("r4");
      assertThat(err.getString("message")).contains("wrong number of arguments");
    }
  }

  /**
   * 2,000 requests in flight at once, from one verticle, over a pool of two pipelined connections:
   * every INCR gets the value of its own key (each key starts at a different value), so a reply given
   * to the wrong request would show.
   */
  @Test
  void pipelinedCorrelationGivesEachOfTwoThousandConcurrentRequestsItsOwnAnswer(Vertx vertx) {
    int n = 2_000;
    try (Jedis j = redis.jedis()) {
      Pipeline p = j.pipelined();
      for (int i = 0; i < n; i++) {
        p.set("k" + i, Integer.toString(i * 10));
      }
      p.sync();
    }
    List<Object> incr = onContext(vertx, () -> all(vertx, n, i -> "INCR k" + i));
    for (int i = 0; i < n; i++) {
      assertThat(incr.get(i)).as("INCR k%d", i).isEqualTo(i * 10 + 1L);
    }
    List<Object> get = onContext(vertx, () -> all(vertx, n, i -> ValueList.of("GET", "k" + i)));
    for (int i = 0; i < n; i++) {
      assertThat(get.get(i)).as("GET k%d", i).isEqualTo(Buffer.buffer(Integer.toString(i * 10 + 1)));
    }
    Connector c = strata.connectors().get("redis");
    assertThat(c.count(Connector.Outcome.OK)).isEqualTo(2L * n);
    assertThat(c.requests()).isEqualTo(2L * n);
    assertThat(c.inFlight()).isZero();
  }

  /**
   * What one verticle sends without waiting reaches redis in the order sent, over a pool of two
   * connections held by two instances: 1,000 RPUSHes leave the list in order.
   */
  @Test
  void requestsAVerticleSendsWithoutWaitingReachRedisInTheOrderSent(Vertx vertx) {
    int n = 1_000;
    List<Object> pushed = onContext(vertx, () -> all(vertx, n, i -> "RPUSH order " + i));
    assertThat(pushed).last().isEqualTo((long) n);
    try (Jedis j = redis.jedis()) {
      List<String> order = j.lrange("order", 0, -1);
      for (int i = 0; i < n; i++) {
        assertThat(order.get(i)).as("element %d", i).isEqualTo(Integer.toString(i));
      }
    }
  }

  /** Sends every request at once through Service.at; the replies in request order. */
  private static Future<List<Object>> all(Vertx vertx, int n, java.util.function.IntFunction<Object> body) {
    Service<Object, Object> s = Service.at(vertx, "svc.redis");
    List<Future<Object>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      futures.add(s.request(body.apply(i)));
    }
    return Future.all(futures).map(cf -> {
      List<Object> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(cf.resultAt(i));
      }
      return out;
    });
  }

  private static Object request(Vertx vertx, Object body) {
    Message<Object> m = within(vertx.eventBus().request("svc.redis", body), 5);
    return m.body();
  }

  private static Future<Object> add(List<Object> out, Object reply, Future<Object> next) {
    out.add(reply);
    return next;
  }
}
