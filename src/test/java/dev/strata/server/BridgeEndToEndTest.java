package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event-bus bridge over real sockets, speaking the Vert.x TCP event-bus bridge protocol: requests
 * to applications and every way they can fail, clients that register and answer like a verticle,
 * the access rules, and bad input answered with {@code err} without losing the connection. One test
 * drives it from Node.js, a client in another language.
 */
@ExtendWith(VertxExtension.class)
class BridgeEndToEndTest {

  private Strata strata;

  @BeforeEach
  void start(Vertx vertx) {
    JsonObject node = TestNodes.defaultNode()
        .put("bridge", new JsonObject().put("port", 0).put("maxFrameBytes", 1024).put("replyTimeout", "2s"));
    strata = TestNodes.start(vertx, node);
  }

  @AfterEach
  void stop() {
    strata.stop().await();
  }

  private BridgeClient client() throws IOException {
    return new BridgeClient(strata.port("bridge"));
  }

  @Test
  void requestsReachApplicationsAndRepliesComeBackByReplyAddress() throws Exception {
    try (BridgeClient c = client()) {
      c.send(new JsonObject().put("type", "ping"));
      assertThat(c.next().getString("type")).isEqualTo("pong");

      c.send(request("app.echo", "hello", "r1"));
      assertThat(c.next()).isEqualTo(new JsonObject().put("type", "message").put("address", "r1")
          .put("headers", new JsonObject()).put("body", "hello").put("send", true));

      // the kv application, the same store the RESP and lines listeners serve
      c.send(request("app.kv", "SET greeting hi", "r2"));
      c.send(request("app.kv", "GET greeting", "r3"));
      JsonObject set = c.next();
      JsonObject get = c.next();
      assertThat(set.getString("address")).isEqualTo("r2");
      assertThat(get.getString("address")).isEqualTo("r3");
      assertThat(get.getString("body")).isEqualTo(java.util.Base64.getEncoder().encodeToString("hi".getBytes()));

      // a command as a JSON array of strings: its words as text, never base64-decoded ("SET" is valid base64)
      c.send(request("app.kv", new io.vertx.core.json.JsonArray().add("SET").add("arr").add("text"), "r4"));
      assertThat(c.next().getString("address")).isEqualTo("r4");
      c.send(request("app.kv", new io.vertx.core.json.JsonArray().add("GET").add("arr"), "r5"));
      assertThat(c.next().getString("body")).isEqualTo(java.util.Base64.getEncoder().encodeToString("text".getBytes()));
    }
  }

  @Test
  void everyFailedRequestIsAnsweredWithAnErrNamingItsReplyAddress(Vertx vertx) throws Exception {
    vertx.eventBus().consumer("app.silent", m -> { }).completion().await();
    vertx.eventBus().consumer("app.failing", m -> m.fail(42, "nope")).completion().await();
    try (BridgeClient c = client()) {
      c.send(request("app.nobody", "x", "a"));
      JsonObject none = c.next();
      assertThat(none.getString("type")).isEqualTo("err");
      assertThat(none.getString("address")).isEqualTo("a");
      assertThat(none.getString("failureType")).isEqualTo("NO_HANDLERS");

      c.send(request("app.failing", "x", "b"));
      JsonObject failed = c.next();
      assertThat(failed.getString("address")).isEqualTo("b");
      assertThat(failed.getInteger("failureCode")).isEqualTo(42);
      assertThat(failed.getString("failureType")).isEqualTo("RECIPIENT_FAILURE");
      assertThat(failed.getString("message")).isEqualTo("nope");

      c.send(request("app.silent", "x", "c").put("headers", new JsonObject().put("timeout", 200)));
      JsonObject late = c.next();
      assertThat(late.getString("address")).isEqualTo("c");
      assertThat(late.getString("failureType")).isEqualTo("TIMEOUT");
      // headers arrive as strings from Vert.x clients: "200" is 200 ms
      c.send(request("app.silent", "x", "c2").put("headers", new JsonObject().put("timeout", "200")));
      JsonObject lateToo = c.next();
      assertThat(lateToo.getString("address")).isEqualTo("c2");
      assertThat(lateToo.getString("failureType")).isEqualTo("TIMEOUT");
      c.send(request("app.silent", "x", "c3").put("headers", new JsonObject().put("timeout", "soon")));
      assertThat(c.next()).isEqualTo(new JsonObject().put("type", "err").put("address", "c3")
          .put("message", "timeout header 'soon' is not a positive number of milliseconds"));
      // codecName picks the event-bus codec, as in the Vert.x bridge; an unknown one is refused at once
      c.send(request("app.echo", "x", "c4").put("headers", new JsonObject().put("codecName", "nosuch")));
      c.send(request("app.nobody", "x", "c5").put("headers", new JsonObject().put("codecName", "nosuch")));
      for (String replyAddress : java.util.List.of("c4", "c5")) {
        JsonObject refused = c.next();
        assertThat(refused.getString("type")).isEqualTo("err");
        assertThat(refused.getString("address")).isEqualTo(replyAddress);
        assertThat(refused.getString("message")).startsWith("No message codec");
      }
      // without a timeout header the bridge's replyTimeout (2 s here) applies: nothing waits forever
      c.send(request("app.silent", "x", "d"));
      assertThat(c.next().getString("failureType")).isEqualTo("TIMEOUT");
    }
  }

  /** Requests to an application on this node skip the event bus (as listeners' do) and are answered the same. */
  @Test
  void requestsToALocalApplicationSkipTheEventBusWithTheSameAnswers(Vertx vertx) throws Exception {
    java.util.concurrent.atomic.AtomicInteger overTheBus = new java.util.concurrent.atomic.AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if (ctx.message().address().startsWith("app.local.")) {
        overTheBus.incrementAndGet();
      }
      ctx.next();
    });
    vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public Future<?> start() {
        return Future.all(
            dev.strata.exchange.Endpoint.serve(vertx, "app.local.echo",
                m -> m.reply(m.body(), new io.vertx.core.eventbus.DeliveryOptions().setHeaders(m.headers()))),
            dev.strata.exchange.Endpoint.serve(vertx, "app.local.fail", m -> m.fail(42, "nope")),
            dev.strata.exchange.Endpoint.serve(vertx, "app.local.silent", m -> { }));
      }
    }).await();
    try (BridgeClient c = client()) {
      c.send(request("app.local.echo", new JsonObject().put("a", 1), "r1").put("headers", new JsonObject().put("h", "v")));
      assertThat(c.next()).isEqualTo(new JsonObject().put("type", "message").put("address", "r1")
          .put("headers", new JsonObject().put("h", "v")).put("body", new JsonObject().put("a", 1)).put("send", true));
      c.send(request("app.local.fail", "x", "r2"));
      assertThat(c.next()).isEqualTo(new JsonObject().put("type", "err").put("address", "r2")
          .put("sourceAddress", "app.local.fail").put("failureCode", 42).put("failureType", "RECIPIENT_FAILURE")
          .put("message", "nope"));
      c.send(request("app.local.silent", "x", "r3").put("headers", new JsonObject().put("timeout", 200)));
      JsonObject late = c.next();
      assertThat(late.getString("address")).isEqualTo("r3");
      assertThat(late.getString("sourceAddress")).isEqualTo("app.local.silent");
      assertThat(late.getString("failureType")).isEqualTo("TIMEOUT");
      assertThat(late.getInteger("failureCode")).isEqualTo(-1);
    }
    assertThat(overTheBus.get()).as("requests that went over the event bus").isZero();
  }

  @Test
  void aClientRegistersAndAnswersRequestsLikeAVerticle(Vertx vertx) throws Exception {
    try (BridgeClient c = client()) {
      c.send(new JsonObject().put("type", "register").put("address", "app.calc"));
      c.send(new JsonObject().put("type", "ping"));
      assertThat(c.next().getString("type")).isEqualTo("pong"); // frames are handled in order

      Future<io.vertx.core.eventbus.Message<Object>> answer = vertx.eventBus().request("app.calc",
          new JsonObject().put("op", "add").put("a", 2).put("b", 2));
      JsonObject asked = c.next();
      assertThat(asked.getString("type")).isEqualTo("message");
      assertThat(asked.getString("address")).isEqualTo("app.calc");
      assertThat(asked.getJsonObject("body").getInteger("a")).isEqualTo(2);
      c.send(new JsonObject().put("type", "send").put("address", asked.getString("replyAddress")).put("body", 4));
      assertThat(answer.await(5, TimeUnit.SECONDS).body()).isEqualTo(4);

      vertx.eventBus().publish("app.calc", "news");
      assertThat(c.next().getString("body")).isEqualTo("news");

      Future<io.vertx.core.eventbus.Message<Object>> refused = vertx.eventBus().request("app.calc", "x");
      JsonObject second = c.next();
      c.send(new JsonObject().put("type", "send").put("address", second.getString("replyAddress"))
          .put("failureCode", 7).put("message", "cannot"));
      assertThat(failureOf(refused)).isInstanceOf(ReplyException.class);

      c.send(new JsonObject().put("type", "unregister").put("address", "app.calc"));
      c.send(new JsonObject().put("type", "ping"));
      assertThat(c.next().getString("type")).isEqualTo("pong");
      assertThat(failureOf(vertx.eventBus().request("app.calc", "x")))
          .isInstanceOf(ReplyException.class);
    }
  }

  @Test
  void aClientThatHalfClosesStillGetsItsReplies(Vertx vertx) throws Exception {
    vertx.eventBus().consumer("app.later", m -> vertx.setTimer(100, t -> m.reply("late " + m.body()))).completion().await();
    try (BridgeClient c = client()) {
      c.send(request("app.later", "a", "r1"));
      c.send(request("app.later", "b", "r2"));
      c.shutdownOutput();
      assertThat(java.util.List.of(c.next().getString("body"), c.next().getString("body")))
          .containsExactlyInAnyOrder("late a", "late b");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aRequestHeldByAClientThatLeavesFailsAtOnce(Vertx vertx) throws Exception {
    Future<io.vertx.core.eventbus.Message<Object>> answer;
    try (BridgeClient c = client()) {
      c.send(new JsonObject().put("type", "register").put("address", "app.flaky"));
      c.send(new JsonObject().put("type", "ping"));
      c.next();
      answer = vertx.eventBus().request("app.flaky", "x");
      c.next(); // the request reached the client, which now goes away without answering
    }
    Throwable failure = failureOf(answer);
    assertThat(failure).isInstanceOf(ReplyException.class).hasMessageContaining("bridge client disconnected");
  }

  @Test
  void accessRulesAndBadInputAreAnsweredAndTheConnectionStays() throws Exception {
    try (BridgeClient c = client()) {
      c.send(request("strata.internal", "x", "r"));
      assertThat(c.next()).as("a refused request is answered at its reply address")
          .isEqualTo(new JsonObject().put("type", "err").put("message", "access_denied").put("address", "r"));
      c.send(new JsonObject().put("type", "send").put("address", "strata.internal").put("body", "x"));
      assertThat(c.next()).isEqualTo(new JsonObject().put("type", "err").put("message", "access_denied")
          .put("address", "strata.internal"));
      c.send(new JsonObject().put("type", "register").put("address", "private.stuff"));
      assertThat(c.next().getString("message")).isEqualTo("access_denied");
      // a frame tap shows a connection's bytes: the admin token guards it, so the bridge refuses it
      c.send(new JsonObject().put("type", "register").put("address", "strata.events.tap.1"));
      assertThat(c.next().getString("message")).isEqualTo("access_denied");
      c.send(new JsonObject().put("type", "frobnicate"));
      assertThat(c.next().getString("message")).isEqualTo("unknown_type");
      c.send(new JsonObject().put("type", "send").put("body", 1));
      assertThat(c.next().getString("message")).isEqualTo("missing_address");
      c.sendRaw("{not json".getBytes(StandardCharsets.UTF_8));
      assertThat(c.next().getString("message")).startsWith("bad frame");
      c.sendRaw(("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(2000) + "\"}").getBytes(StandardCharsets.UTF_8));
      assertThat(c.next().getString("message")).startsWith("bad frame: frame too long");

      c.send(request("app.echo", "still here", "r"));
      assertThat(c.next().getString("body")).isEqualTo("still here");

      c.sendLength(-1); // a corrupt length: the stream has no boundary left, so the connection ends
      assertThat(c.next().getString("message")).startsWith("bad frame");
      assertThat(c.closedByServer()).isTrue();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> strata.registry().open().isEmpty());
  }

  @Test
  void aNodeJsClientTalksToTheEventBus() throws Exception {
    Path script = Files.createTempFile("bridge-client", ".js");
    Files.writeString(script, """
        const net = require('net');
        const sock = net.connect(+process.argv[2], '127.0.0.1');
        const frame = o => { const b = Buffer.from(JSON.stringify(o)); const h = Buffer.alloc(4); h.writeInt32BE(b.length); return Buffer.concat([h, b]); };
        let buf = Buffer.alloc(0); const seen = [];
        sock.on('data', d => {
          buf = Buffer.concat([buf, d]);
          while (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
            seen.push(JSON.parse(buf.subarray(4, 4 + buf.readInt32BE(0)).toString()));
            buf = buf.subarray(4 + buf.readInt32BE(0));
          }
          if (seen.length === 2) { console.log(JSON.stringify(seen)); sock.end(); }
        });
        sock.write(frame({type: 'ping'}));
        sock.write(frame({type: 'send', address: 'app.echo', body: {from: 'node'}, replyAddress: 'n1'}));
        """);
    Process node = new ProcessBuilder("node", script.toString(), String.valueOf(strata.port("bridge")))
        .redirectErrorStream(true).start();
    assertThat(node.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(node.exitValue()).as(out).isZero();
    assertThat(new JsonArray(out)).containsExactly(
        new JsonObject().put("type", "pong"),
        new JsonObject().put("type", "message").put("address", "n1").put("headers", new JsonObject())
            .put("body", new JsonObject().put("from", "node")).put("send", true));
  }

  private static Throwable failureOf(Future<?> f) throws Exception {
    try {
      f.await(5, TimeUnit.SECONDS);
    } catch (ReplyException e) {
      return e;
    }
    throw new AssertionError("the request succeeded");
  }

  private static JsonObject request(String address, Object body, String replyAddress) {
    return new JsonObject().put("type", "send").put("address", address).put("body", body).put("replyAddress", replyAddress);
  }

  /** The bridge's framing: a 4-byte big-endian length, then UTF-8 JSON. */
  private static final class BridgeClient implements AutoCloseable {
    private final Socket socket = new Socket();
    private final DataInputStream in;
    private final OutputStream out;

    BridgeClient(int port) throws IOException {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    void send(JsonObject msg) throws IOException {
      sendRaw(msg.encode().getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] json) throws IOException {
      out.write(ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array());
      out.flush();
    }

    void sendLength(int length) throws IOException {
      out.write(ByteBuffer.allocate(4).putInt(length).array());
      out.flush();
    }

    JsonObject next() throws IOException {
      byte[] frame = new byte[in.readInt()];
      in.readFully(frame);
      return new JsonObject(new String(frame, StandardCharsets.UTF_8));
    }

    void shutdownOutput() throws IOException {
      socket.shutdownOutput();
    }

    boolean closedByServer() throws IOException {
      try {
        return in.read() == -1;
      } catch (IOException reset) {
        return true;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
