package dev.strata.exchange;

import static dev.strata.support.ConnectorNodes.onContext;
import static dev.strata.support.ConnectorNodes.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.framing.JsonCodec;
import dev.strata.framing.LineCodec;
import dev.strata.framing.Resp;
import dev.strata.framing.RespCodec;
import dev.strata.framing.RespError;
import dev.strata.framing.Transport;
import dev.strata.support.FakeRemote;
import dev.strata.support.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/**
 * The plain Java {@link Client}, no event bus: against a real redis-server (pipelined), and over a
 * {@link Transport} to a JSON server that answers out of order (multiplexed by {@code id}).
 */
@ExtendWith(VertxExtension.class)
class ClientTest {

  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void flush() {
    try (Jedis j = redis.jedis()) {
      j.flushAll();
    }
  }

  private static Client<Object, Object> connect(Vertx vertx, ClientOptions options) {
    NetClient net = vertx.createNetClient();
    return within(Client.connect(vertx, net, "127.0.0.1", redis.port(), RespCodec.create(), options), 5);
  }

  private static Throwable failure(Future<?> f) {
    try {
      within(f, 10);
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the request succeeded");
  }

  @Test
  void setThenGetAgainstRedis(Vertx vertx) {
    Client<Object, Object> c = connect(vertx, ClientOptions.defaults());
    assertThat(within(c.request(Resp.command("SET", "k", "v")), 5)).isEqualTo("OK");
    assertThat(within(c.request(Resp.command("GET", "k")), 5)).isEqualTo(Buffer.buffer("v"));
    assertThat(within(c.request(Resp.command("INCR", "n")), 5)).isEqualTo(1L);
    assertThat(within(c.request(Resp.command("GET", "missing")), 5)).isEqualTo(Resp.NULL);
    // an error reply is a response like any other: the Client leaves its meaning to the caller
    assertThat(within(c.request(Resp.command("INCR", "k")), 5)).isInstanceOf(RespError.class);
    within(c.close(), 5);
  }

  @Test
  void tenThousandPipelinedRequestsInOneGoEachGetTheirOwnResponse(Vertx vertx) {
    int n = 10_000;
    ClientOptions options = new ClientOptions(Correlation.PIPELINED, 512, n, 10_000);
    List<Object> replies = onContext(vertx, () -> {
      NetClient net = vertx.createNetClient();
      return Client.connect(vertx, net, "127.0.0.1", redis.port(), RespCodec.create(), options).compose(c -> {
        List<Future<Object>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) { // one event-loop task: written in one go, 512 in flight, the rest waiting
          all.add(c.request(Resp.command("ECHO", "value-" + i)));
        }
        assertThat(c.inFlight()).isEqualTo(512);
        assertThat(c.waiting()).isEqualTo(n - 512);
        return Future.all(all).map(cf -> {
          List<Object> out = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            out.add(cf.resultAt(i));
          }
          c.close();
          return out;
        });
      });
    });
    for (int i = 0; i < n; i++) {
      assertThat(replies.get(i)).as("reply %d", i).isEqualTo(Buffer.buffer("value-" + i));
    }
  }

  /** BLPOP on an empty list holds the connection: requests stay in flight, then wait, then are refused. */
  @Test
  void beyondMaxInFlightRequestsWaitAndBeyondMaxWaitingTheyAreRefusedAtOnce(Vertx vertx) {
    Client<Object, Object> c = connect(vertx, new ClientOptions(Correlation.PIPELINED, 2, 3, 10_000));
    List<Future<Object>> accepted = new ArrayList<>();
    accepted.add(c.request(Resp.command("BLPOP", "q", "0")));
    accepted.add(c.request(Resp.command("BLPOP", "q", "0")));
    for (int i = 0; i < 3; i++) {
      accepted.add(c.request(Resp.command("ECHO", "w" + i)));
    }
    Future<Object> refused = c.request(Resp.command("PING"));
    assertThat(failure(refused)).isInstanceOf(ExchangeException.Unavailable.class).hasMessageContaining("maxWaiting");
    await().atMost(Duration.ofSeconds(5)).until(() -> c.inFlight() == 2 && c.waiting() == 3);
    try (Jedis j = redis.jedis()) {
      j.rpush("q", "a", "b");
    }
    assertThat(((JsonArray) within(accepted.get(0), 5)).getList()).containsExactly(Buffer.buffer("q"), Buffer.buffer("a"));
    assertThat(((JsonArray) within(accepted.get(1), 5)).getList()).containsExactly(Buffer.buffer("q"), Buffer.buffer("b"));
    for (int i = 0; i < 3; i++) {
      assertThat(within(accepted.get(2 + i), 5)).isEqualTo(Buffer.buffer("w" + i));
    }
    within(c.close(), 5);
  }

  @Test
  void aRequestWithNoResponseWithinItsTimeoutFailsWithTimeout(Vertx vertx) {
    Client<Object, Object> c = connect(vertx, ClientOptions.defaults().withRequestTimeout(200));
    long t0 = System.nanoTime();
    Throwable t = failure(c.request(Resp.command("BLPOP", "never", "0")));
    assertThat(t).isInstanceOf(ExchangeException.Timeout.class)
        .hasMessage("timeout: no response from 127.0.0.1:" + redis.port() + " within 200 ms");
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(150L, 5_000L);
    within(c.close(), 5);
  }

  @Test
  void closingFailsRequestsInFlightWithConnectionLostAndRefusesNewOnes(Vertx vertx) {
    Client<Object, Object> c = connect(vertx, ClientOptions.defaults().withRequestTimeout(30_000));
    List<Throwable> closedWith = new ArrayList<>();
    c.closeHandler(closedWith::add);
    Future<Object> blocked = c.request(Resp.command("BLPOP", "never", "0"));
    await().atMost(Duration.ofSeconds(5)).until(() -> c.inFlight() == 1);
    within(c.close(), 5);
    assertThat(failure(blocked)).isInstanceOf(ExchangeException.ConnectionLost.class)
        .hasMessage("connection lost: closed by this side");
    assertThat(c.isOpen()).isFalse();
    assertThat(failure(c.request(Resp.command("PING")))).isInstanceOf(ExchangeException.Unavailable.class);
    await().atMost(Duration.ofSeconds(2)).until(() -> closedWith.size() == 1);
  }

  @Test
  void requestsInFlightFailAtOnceWhenRedisDropsTheConnection(Vertx vertx) {
    Client<Object, Object> c = connect(vertx, ClientOptions.defaults().withRequestTimeout(30_000));
    Future<Object> blocked = c.request(Resp.command("BLPOP", "never", "0"));
    await().atMost(Duration.ofSeconds(5)).until(() -> c.inFlight() == 1);
    try (Jedis j = redis.jedis()) {
      j.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "normal", "SKIPME", "yes");
    }
    long t0 = System.nanoTime();
    assertThat(failure(blocked)).isInstanceOf(ExchangeException.ConnectionLost.class).hasMessageContaining("connection");
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms, against a 30 s timeout").isLessThan(2_000);
    assertThat(c.isOpen()).isFalse();
  }

  /**
   * {@code Client.over} a {@code Transport} on a socket, multiplexed by the JSON codec's {@code id}
   * field, against a server that answers the last request first.
   */
  @Test
  void overATransportMultiplexedByIdAnswersMatchWhenTheServerReversesThem(Vertx vertx) {
    int n = 20;
    List<FakeRemote.Conn> conns = new ArrayList<>();
    List<JsonObject> held = new ArrayList<>();
    FakeRemote remote = FakeRemote.start(vertx, (conn, frame) -> {
      held.add(new JsonObject(frame));
      if (held.size() == n) {
        for (int i = n - 1; i >= 0; i--) {
          JsonObject req = held.get(i);
          conn.send(new JsonObject().put("id", req.getValue("id")).put("echo", req.getString("op")));
        }
      }
    });
    NetClient net = vertx.createNetClient(); // held: Vert.x 5 closes an unreachable client and its connections
    try {
      List<Object> replies = onContext(vertx, () -> net.connect(remote.port(), "127.0.0.1")
          .compose(socket -> {
            JsonCodec codec = JsonCodec.create();
            Client<JsonObject, JsonObject> c = Client.over(Transport.over(socket, socket, codec), codec,
                ClientOptions.defaults().withCorrelation(Correlation.MULTIPLEXED), "fake json server");
            List<Future<JsonObject>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
              all.add(c.request(new JsonObject().put("op", "op-" + i)));
            }
            return Future.all(all).map(cf -> {
              List<Object> out = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                out.add(cf.resultAt(i));
              }
              socket.close();
              return out;
            });
          }));
      for (int i = 0; i < n; i++) {
        // the tag the client chose does not show: the request had no id, so neither has its answer
        assertThat(replies.get(i)).isEqualTo(new JsonObject().put("echo", "op-" + i));
      }
      assertThat(held).extracting(o -> o.getValue("id")).doesNotHaveDuplicates().doesNotContainNull();
    } finally {
      net.close();
      remote.stop();
    }
  }

  @Test
  void multiplexedCorrelationNeedsACodecWithTags(Vertx vertx) {
    assertThatThrownBy(() -> onContext(vertx, () -> vertx.createNetClient().connect(redis.port(), "127.0.0.1")
        .map(socket -> {
          try {
            return Client.over(Transport.over(socket, socket, LineCodec.create()), LineCodec.create(),
                ClientOptions.defaults().withCorrelation(Correlation.MULTIPLEXED), "lines");
          } finally {
            socket.close();
          }
        })))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("multiplexed correlation needs a codec whose frames carry a tag; lines has none");
  }
}
