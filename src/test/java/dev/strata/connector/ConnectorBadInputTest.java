package dev.strata.connector;

import static dev.strata.support.ConnectorNodes.connector;
import static dev.strata.support.ConnectorNodes.within;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.server.Strata;
import dev.strata.support.FakeRemote;
import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A remote that sends what its codec cannot read (garbage, a frame over {@code maxFrameBytes}) has
 * its connection closed and replaced; the requests in flight on it fail at once with a reason naming
 * the bad frame; other connectors and the node's listeners carry on as if nothing happened.
 */
@ExtendWith(VertxExtension.class)
class ConnectorBadInputTest {

  private Strata strata;
  private final List<FakeRemote> remotes = new ArrayList<>();
  private NetServer rawServer;

  @AfterEach
  void stop() {
    if (strata != null) {
      strata.stop().await();
    }
    remotes.forEach(FakeRemote::stop);
    if (rawServer != null) {
      rawServer.close().await();
    }
  }

  private FakeRemote remote(Vertx vertx, FakeRemote.Behaviour behaviour) {
    FakeRemote r = FakeRemote.start(vertx, behaviour);
    remotes.add(r);
    return r;
  }

  /**
   * A remote that holds requests "hold ...", answers "bad" with {@code bad} (only on its first
   * connection) and echoes everything else.
   */
  private FakeRemote misbehaving(Vertx vertx, Buffer bad) {
    return remote(vertx, (conn, frame) -> {
      String text = frame.toString();
      if (text.startsWith("hold")) {
        return;
      }
      if (text.equals("bad")) {
        conn.sendRaw(bad);
      } else {
        conn.send(frame);
      }
    });
  }

  /** The bad connector beside a good one, an echo listener with a client connected, all on one node. */
  private Connector startNode(Vertx vertx, FakeRemote bad, FakeRemote good) {
    JsonObject node = new JsonObject()
        .put("connectors", new JsonArray()
            .add(connector("bad", bad.hostPort(), "length").put("maxFrameBytes", 64).put("requestTimeout", "10s")
                .put("reconnect", new JsonObject().put("initial", "20ms").put("max", "100ms")))
            .add(connector("good", good.hostPort(), "length")))
        .put("listeners", new JsonArray().add(TestNodes.listener("echo", "lines", "app.echo")))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.EchoVerticle")))
        .put("admin", new JsonObject().put("enabled", false));
    strata = TestNodes.start(vertx, node);
    return strata.connectors().get("bad");
  }

  private static Future<Message<Object>> request(Vertx vertx, String address, String body) {
    return vertx.eventBus().request(address, Buffer.buffer(body), new DeliveryOptions().setSendTimeout(30_000));
  }

  private static String text(Future<Message<Object>> f) {
    return within(f, 10).body().toString();
  }

  private static ReplyException failure(Future<?> f) {
    try {
      within(f, 30);
    } catch (ReplyException e) {
      return e;
    }
    throw new AssertionError("the request succeeded");
  }

  /** Sends two requests the remote holds, then the one it answers badly; checks every outcome. */
  private void badAnswerFailsInFlightAndIsReplaced(Vertx vertx, FakeRemote bad, FakeRemote good, Connector c,
      String reason) throws Exception {
    try (LineClient lines = new LineClient(strata.port("echo"))) {
      assertThat(lines.request("before")).isEqualTo("before");
      List<Future<Message<Object>>> inFlight = List.of(request(vertx, "svc.bad", "hold 1"),
          request(vertx, "svc.bad", "hold 2"), request(vertx, "svc.bad", "bad"));
      await().atMost(Duration.ofSeconds(2)).until(() -> inFlight.stream().allMatch(Future::isComplete));
      for (Future<Message<Object>> f : inFlight) {
        assertThat(failure(f).getMessage())
            .startsWith("ERR svc.bad: connection lost: bad frame from " + bad.hostPort() + ": " + reason);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> bad.connections().size() == 2 && c.open() == 1);
      assertThat(bad.connections().get(0).isClosed()).isTrue();
      assertThat(text(request(vertx, "svc.bad", "after"))).isEqualTo("after");
      assertThat(c.connectionsLost()).isEqualTo(1);

      // nothing else noticed
      assertThat(text(request(vertx, "svc.good", "fine"))).isEqualTo("fine");
      assertThat(strata.connectors().get("good").connectionsLost()).isZero();
      assertThat(good.connections()).hasSize(1);
      assertThat(lines.request("after")).isEqualTo("after");
    }
  }

  @Test
  void anOversizedResponseClosesAndReplacesTheConnectionAndFailsItsRequestsNamingTheFrame(Vertx vertx)
      throws Exception {
    Buffer oversized = Buffer.buffer().appendInt(1000).appendBuffer(Buffer.buffer(new byte[1000]));
    FakeRemote bad = misbehaving(vertx, oversized);
    FakeRemote good = remote(vertx, (conn, frame) -> conn.send(frame));
    Connector c = startNode(vertx, bad, good);
    badAnswerFailsInFlightAndIsReplaced(vertx, bad, good, c, "frame too long: 1000 bytes > max 64");
  }

  @Test
  void garbageFromTheRemoteClosesAndReplacesTheConnectionAndFailsItsRequestsNamingTheFrame(Vertx vertx)
      throws Exception {
    Buffer garbage = Buffer.buffer(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'j', 'u', 'n', 'k'});
    FakeRemote bad = misbehaving(vertx, garbage);
    FakeRemote good = remote(vertx, (conn, frame) -> conn.send(frame));
    Connector c = startNode(vertx, bad, good);
    badAnswerFailsInFlightAndIsReplaced(vertx, bad, good, c, "corrupt frame: negative length -1");
  }

  /**
   * A RESP connector pointed at something that is not Redis (here a server answering a text line):
   * the line is garbage, not an inline command taken for a reply to GET.
   */
  @Test
  void aRespConnectorTakesATextLineForGarbageNotForAReply(Vertx vertx) {
    rawServer = vertx.createNetServer();
    rawServer.connectHandler(socket -> socket.handler(data -> socket.write("HTTP/1.0 400 Bad Request\r\n")));
    int port = rawServer.listen(0, "127.0.0.1").await().actualPort();
    strata = TestNodes.start(vertx, new JsonObject()
        .put("connectors", new JsonArray().add(connector("notredis", "127.0.0.1:" + port, "resp")))
        .put("admin", new JsonObject().put("enabled", false)));
    ReplyException e = failure(vertx.eventBus().request("svc.notredis", "GET k"));
    assertThat(e.getMessage()).startsWith("ERR svc.notredis: connection lost: bad frame from 127.0.0.1:" + port
        + ": corrupt frame: unexpected byte 0x48");
  }
}
