package dev.strata.connector;

import static dev.strata.support.ConnectorNodes.connector;
import static dev.strata.support.ConnectorNodes.node;
import static dev.strata.support.ConnectorNodes.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.exchange.Headers;
import dev.strata.server.Strata;
import dev.strata.support.FakeRemote;
import dev.strata.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every request to a connector gets exactly one answer, whatever the remote does: its reply, a
 * timeout, "circuit open" or "connection lost", at once when the connection drops; nothing is sent
 * twice unless marked idempotent; connections come back with backoff; a pool serves on with one
 * connection gone. The remotes are fake servers ({@link FakeRemote}, 4-byte length frames).
 */
@ExtendWith(VertxExtension.class)
class ConnectorFailureTest {

  private static final FakeRemote.Behaviour ECHO = (conn, frame) -> conn.send(frame);
  private static final FakeRemote.Behaviour SILENT = (conn, frame) -> { };

  private Strata strata;
  private final List<FakeRemote> remotes = new ArrayList<>();

  @AfterEach
  void stop() {
    if (strata != null) {
      strata.stop().await();
    }
    remotes.forEach(FakeRemote::stop);
  }

  private FakeRemote remote(Vertx vertx, FakeRemote.Behaviour behaviour) {
    FakeRemote r = FakeRemote.start(vertx, behaviour);
    remotes.add(r);
    return r;
  }

  /** A pipelined {@code length} connector {@code svc.<name>} to the remote. */
  private static JsonObject lengthConnector(String name, FakeRemote remote) {
    return connector(name, remote.hostPort(), "length");
  }

  private Connector start(Vertx vertx, JsonObject connector) {
    strata = TestNodes.start(vertx, node(connector));
    return strata.connectors().get(connector.getString("name"));
  }

  private static Future<Message<Object>> request(Vertx vertx, String address, String body) {
    return vertx.eventBus().request(address, Buffer.buffer(body), new DeliveryOptions().setSendTimeout(30_000));
  }

  private static Future<Message<Object>> idempotent(Vertx vertx, String address, String body) {
    return vertx.eventBus().request(address, Buffer.buffer(body),
        new DeliveryOptions().setSendTimeout(30_000).addHeader(Headers.IDEMPOTENT, "true"));
  }

  private static String text(Future<Message<Object>> reply) {
    return ((Buffer) within(reply, 10).body()).toString();
  }

  private static ReplyException failure(Future<?> f) {
    try {
      within(f, 30);
    } catch (ReplyException e) {
      return e;
    }
    throw new AssertionError("the request succeeded");
  }

  @Test
  void aRequestTheRemoteNeverAnswersFailsWithATimeoutNamingTheAddress(Vertx vertx) {
    Connector c = start(vertx, lengthConnector("silent", remote(vertx, SILENT)).put("requestTimeout", "300ms"));
    long t0 = System.nanoTime();
    ReplyException e = failure(request(vertx, "svc.silent", "hello?"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(e.getMessage()).startsWith("ERR svc.silent: timeout").contains("within 300 ms");
    assertThat(e.failureCode()).isEqualTo(504);
    assertThat(ms).isBetween(250L, 5_000L);
    assertThat(c.count(Connector.Outcome.TIMEOUT)).isEqualTo(1);
  }

  @Test
  void afterTheConfiguredFailuresTheCircuitOpensAndRequestsFailFastWithoutBeingSent(Vertx vertx) {
    FakeRemote silent = remote(vertx, SILENT);
    Connector c = start(vertx, lengthConnector("silent", silent).put("requestTimeout", "200ms")
        .put("circuitBreaker", new JsonObject().put("failures", 3).put("reset", "30s")));
    List<Future<Message<Object>>> tries = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tries.add(request(vertx, "svc.silent", "try " + i));
    }
    for (Future<Message<Object>> f : tries) {
      assertThat(failure(f).getMessage()).startsWith("ERR svc.silent: timeout");
    }
    assertThat(c.circuit()).isEqualTo("open");
    int sent = silent.frames();
    long t0 = System.nanoTime();
    ReplyException open = failure(request(vertx, "svc.silent", "once more"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(open.getMessage()).startsWith("ERR svc.silent: circuit open");
    assertThat(open.failureCode()).isEqualTo(503);
    assertThat(ms).as("failed fast, well before the 200 ms timeout").isLessThan(150L);
    assertThat(silent.frames()).as("not sent to the remote").isEqualTo(sent);
    assertThat(c.count(Connector.Outcome.CIRCUIT_OPEN)).isEqualTo(1);
    assertThat(c.state()).isEqualTo("circuit-open");
  }

  @Test
  void failsRequestsInFlightAtOnceWhenTheConnectionDrops(Vertx vertx) {
    int n = 5;
    FakeRemote dropper = remote(vertx, (conn, frame) -> {
      if (conn.received.size() == n) {
        conn.close(); // every request read, none answered
      }
    });
    start(vertx, lengthConnector("dropper", dropper).put("requestTimeout", "10s"));
    long t0 = System.nanoTime();
    List<Future<Message<Object>>> inFlight = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inFlight.add(request(vertx, "svc.dropper", "r" + i));
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> inFlight.stream().allMatch(Future::isComplete));
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms, against a 10 s request timeout").isLessThan(2_000);
    for (Future<Message<Object>> f : inFlight) {
      assertThat(failure(f).getMessage()).startsWith("ERR svc.dropper: connection lost");
    }
    assertThat(strata.connectors().get("dropper").count(Connector.Outcome.CONNECTION_LOST)).isEqualTo(n);
  }

  /** The remote drops its first connection after reading the first request; later ones echo. */
  private static FakeRemote.Behaviour dropsFirstConnection() {
    return (conn, frame) -> {
      if (conn.index == 0) {
        conn.close();
      } else {
        conn.send(frame);
      }
    };
  }

  @Test
  void aRequestNotMarkedIdempotentFailsWhenItsConnectionDropsAndIsNeverResent(Vertx vertx) {
    FakeRemote remote = remote(vertx, dropsFirstConnection());
    Connector c = start(vertx, lengthConnector("pay", remote).put("retries", 1)
        .put("reconnect", new JsonObject().put("initial", "20ms").put("max", "100ms")));
    ReplyException e = failure(request(vertx, "svc.pay", "charge 10"));
    assertThat(e.getMessage()).startsWith("ERR svc.pay: connection lost");
    await().atMost(Duration.ofSeconds(5)).until(() -> c.open() == 1);
    assertThat(text(request(vertx, "svc.pay", "balance"))).isEqualTo("balance");
    long charges = remote.connections().stream().flatMap(k -> k.received.stream())
        .filter(b -> b.toString().equals("charge 10")).count();
    assertThat(charges).as("times the remote received the charge").isEqualTo(1);
    assertThat(c.toJson().getLong("retried")).isZero();
  }

  @Test
  void aRequestMarkedIdempotentIsSentAgainOnANewConnection(Vertx vertx) {
    FakeRemote remote = remote(vertx, dropsFirstConnection());
    Connector c = start(vertx, lengthConnector("kv", remote).put("retries", 1).put("requestTimeout", "5s")
        .put("reconnect", new JsonObject().put("initial", "20ms").put("max", "100ms")));
    assertThat(text(idempotent(vertx, "svc.kv", "GET a"))).isEqualTo("GET a");
    assertThat(remote.connections()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(remote.connections().get(0).received).extracting(Buffer::toString).containsExactly("GET a");
    assertThat(remote.connections().get(1).received).extracting(Buffer::toString).containsExactly("GET a");
    assertThat(c.toJson().getLong("retried")).isEqualTo(1);
  }

  @Test
  void reconnectsAfterTheRemoteRestartsAndServesAgain(Vertx vertx) {
    FakeRemote remote = remote(vertx, ECHO);
    Connector c = start(vertx, lengthConnector("echo", remote)
        .put("reconnect", new JsonObject().put("initial", "50ms").put("max", "400ms")));
    assertThat(text(request(vertx, "svc.echo", "before"))).isEqualTo("before");
    remote.stop();
    await().atMost(Duration.ofSeconds(5)).until(() -> c.open() == 0);
    assertThat(c.state()).isEqualTo("down");
    ReplyException down = failure(request(vertx, "svc.echo", "while down"));
    assertThat(down.getMessage()).startsWith("ERR svc.echo: no open connection to " + remote.hostPort());
    remote.restart();
    await().atMost(Duration.ofSeconds(5)).until(() -> c.open() == 1);
    assertThat(text(request(vertx, "svc.echo", "after"))).isEqualTo("after");
    assertThat(c.state()).isEqualTo("up");
    assertThat(c.connectionsLost()).isEqualTo(1);
  }

  /**
   * A remote that accepts connections and drops them at once (as a server at its client limit does):
   * the delays between attempts keep doubling, rather than starting again from {@code initial} at
   * each short-lived connection.
   */
  @Test
  void backsOffWhileTheRemoteKeepsDroppingNewConnections(Vertx vertx) {
    FakeRemote remote = remote(vertx, ECHO);
    remote.onAccept(FakeRemote.Conn::close);
    start(vertx, lengthConnector("flaky", remote)
        .put("reconnect", new JsonObject().put("initial", "20ms").put("max", "5s")));
    await().atMost(Duration.ofSeconds(10)).until(() -> remote.connections().size() >= 6);
    List<FakeRemote.Conn> conns = remote.connections();
    long ms = (conns.get(5).acceptedAt - conns.get(0).acceptedAt) / 1_000_000;
    // five delays doubling from 20 ms, each at least half its base: >= 10 + 20 + 40 + 80 + 160 ms
    // (starting again from 20 ms at every connection, the five take 50-100 ms)
    assertThat(ms).as("ms from the first connection to the sixth").isGreaterThanOrEqualTo(310);
  }

  @Test
  void aPoolOfTwoKeepsServingWhenOneOfItsConnectionsIsKilled(Vertx vertx) {
    FakeRemote remote = remote(vertx, ECHO);
    Connector c = start(vertx, lengthConnector("pool", remote).put("pool", 2)
        .put("reconnect", new JsonObject().put("initial", "20s").put("max", "20s")));
    await().atMost(Duration.ofSeconds(5)).until(() -> remote.open() == 2 && c.open() == 2);
    remote.connections().get(0).close();
    await().atMost(Duration.ofSeconds(5)).until(() -> c.open() == 1);
    assertThat(c.state()).isEqualTo("degraded");
    List<Future<Message<Object>>> replies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      replies.add(request(vertx, "svc.pool", "r" + i));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(text(replies.get(i))).isEqualTo("r" + i);
    }
    assertThat(remote.connections().get(1).received).hasSize(100);
  }
}
