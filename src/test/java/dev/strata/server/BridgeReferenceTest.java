package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strata.support.BridgeClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import io.vertx.junit5.VertxExtension;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Wire compatibility, proven against the reference: the Vert.x TCP event-bus bridge 5.0.7
 * ({@code vertx-tcp-eventbus-bridge}, set up as its documentation shows) and Strata's bridge listen side
 * by side on one event bus, with the same address rules and the same consumers. Each scenario sends the
 * same frames to both, and every answer is compared field by field: Strata must send every field the
 * reference sends, with the same value; the only fields it may add are listed in {@link #ADDED}
 * (documented in docs/bridge.md). Generated reply addresses are the only values normalised.
 */
@ExtendWith(VertxExtension.class)
class BridgeReferenceTest {

  private static final String INBOUND = "dt\\.in\\..+";
  private static final String OUTBOUND = "dt\\.out\\..+";
  /** Fields Strata adds to the reference's frames, by frame type: an {@code err} names its address. */
  private static final Map<String, Set<String>> ADDED = Map.of("err", Set.of("address"));

  private Strata strata;
  private TcpEventBusBridge reference;
  private int referencePort;
  private final BlockingQueue<Message<Object>> sunk = new LinkedBlockingQueue<>();
  private final BlockingQueue<Object> askedBack = new LinkedBlockingQueue<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    vertx.eventBus().consumer("dt.in.echo", m -> m.reply(m.body(), new DeliveryOptions().setHeaders(m.headers())))
        .completion().await();
    vertx.eventBus().consumer("dt.in.fail", m -> m.fail(42, "nope")).completion().await();
    vertx.eventBus().consumer("dt.in.silent", m -> { }).completion().await();
    vertx.eventBus().consumer("dt.in.sink", sunk::add).completion().await();
    // a reply that is itself a request: the bridge client is asked back
    vertx.eventBus().<Object>consumer("dt.in.ask", m -> m.replyAndRequest("more?")
        .onSuccess(r -> askedBack.add(r.body()))).completion().await();

    JsonObject node = TestNodes.defaultNode().put("bridge", new JsonObject().put("port", 0)
        .put("inbound", new JsonArray().add(INBOUND)).put("outbound", new JsonArray().add(OUTBOUND)));
    strata = TestNodes.start(vertx, node);

    referencePort = freePort();
    reference = TcpEventBusBridge.create(vertx, new BridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddressRegex(INBOUND))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(OUTBOUND)));
    reference.listen(referencePort, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    reference.close().await();
    strata.stop().await();
  }

  /** What one client observes in a scenario: the frames it was sent, and what the event bus saw of its own. */
  private interface Scenario {
    List<JsonObject> run(BridgeClient c, Vertx vertx) throws Exception;
  }

  @Test
  void pingIsAnsweredWithPong(Vertx vertx) throws Exception {
    compare(vertx, (c, v) -> {
      c.send(new JsonObject().put("type", "ping"));
      return List.of(c.next());
    });
  }

  @Test
  void aRequestIsAnsweredAtItsReplyAddressWithTheRepliesHeaders(Vertx vertx) throws Exception {
    List<JsonObject> seen = compare(vertx, (c, v) -> {
      c.send(BridgeClient.request("dt.in.echo", new JsonObject().put("a", 1), "r1")
          .put("headers", new JsonObject().put("h", "v")));
      return until(c, "r1");
    });
    assertThat(seen).containsExactly(new JsonObject().put("type", "message").put("address", "r1")
        .put("headers", new JsonObject().put("h", "v")).put("body", new JsonObject().put("a", 1)).put("send", true));
  }

  @Test
  void everyFailedRequestIsAnErrWithTheSameFields(Vertx vertx) throws Exception {
    List<JsonObject> seen = compare(vertx, (c, v) -> {
      List<JsonObject> out = new ArrayList<>();
      c.send(BridgeClient.request("dt.in.nobody", "x", "r1"));
      out.addAll(until(c, "r1"));
      c.send(BridgeClient.request("dt.in.fail", "x", "r2"));
      out.addAll(until(c, "r2"));
      c.send(BridgeClient.request("dt.in.silent", "x", "r3").put("headers", new JsonObject().put("timeout", 100)));
      out.addAll(until(c, "r3"));
      return out;
    });
    assertThat(seen).extracting(f -> f.getString("failureType"))
        .containsExactly("NO_HANDLERS", "RECIPIENT_FAILURE", "TIMEOUT");
    assertThat(seen.get(1)).isEqualTo(new JsonObject().put("type", "err").put("address", "r2")
        .put("sourceAddress", "dt.in.fail").put("failureCode", 42).put("failureType", "RECIPIENT_FAILURE")
        .put("message", "nope"));
  }

  @Test
  void sendsAndPublishesWithoutReplyReachConsumersWithTheirHeaders(Vertx vertx) throws Exception {
    compare(vertx, (c, v) -> {
      List<JsonObject> out = new ArrayList<>();
      c.send(new JsonObject().put("type", "send").put("address", "dt.in.sink").put("body", "s")
          .put("headers", new JsonObject().put("k", "v").put("localOnly", true)));
      c.send(new JsonObject().put("type", "publish").put("address", "dt.in.sink").put("body", new JsonArray().add(1))
          .put("headers", new JsonObject().put("k", "w")));
      out.addAll(untilPong(c));
      out.add(observed(sunk.poll(5, TimeUnit.SECONDS)));
      out.add(observed(sunk.poll(5, TimeUnit.SECONDS)));
      return out;
    });
  }

  @Test
  void refusedAddressesAreAnsweredAccessDenied(Vertx vertx) throws Exception {
    List<JsonObject> seen = compare(vertx, (c, v) -> {
      c.send(BridgeClient.request("nope.x", "x", "r1"));
      c.send(new JsonObject().put("type", "send").put("address", "nope.x").put("body", "x"));
      c.send(new JsonObject().put("type", "publish").put("address", "nope.x").put("body", "x"));
      c.send(new JsonObject().put("type", "register").put("address", "nope.x"));
      c.send(new JsonObject().put("type", "unregister").put("address", "nope.x"));
      return untilPong(c);
    });
    assertThat(seen).hasSize(5).allSatisfy(f -> assertThat(f.getString("message")).isEqualTo("access_denied"));
  }

  @Test
  void framesWithoutAddressOrForAnUnknownRegistrationAreErrs(Vertx vertx) throws Exception {
    List<JsonObject> seen = compare(vertx, (c, v) -> {
      for (String type : List.of("send", "publish", "register", "unregister")) {
        c.send(new JsonObject().put("type", type).put("body", "x"));
      }
      c.send(new JsonObject().put("type", "unregister").put("address", "dt.out.never"));
      return untilPong(c);
    });
    assertThat(seen).extracting(f -> f.getString("message")).containsExactly(
        "missing_address", "missing_address", "missing_address", "missing_address", "unknown_address");
  }

  @Test
  void aRegisteredClientReceivesSendsPublishesAndRequestsAndAnswersThem(Vertx vertx) throws Exception {
    compare(vertx, (c, v) -> {
      List<JsonObject> out = new ArrayList<>();
      c.send(new JsonObject().put("type", "register").put("address", "dt.out.calc"));
      out.addAll(untilPong(c));
      DeliveryOptions headers = new DeliveryOptions().addHeader("trace", "t1");
      v.eventBus().publish("dt.out.calc", "news", headers);
      out.add(c.next());
      v.eventBus().send("dt.out.calc", new JsonObject().put("n", 1));
      out.add(c.next());

      Future<Message<Object>> answered = v.eventBus().request("dt.out.calc", new JsonObject().put("q", 2), headers);
      JsonObject asked = c.next();
      out.add(asked);
      c.send(new JsonObject().put("type", "send").put("address", asked.getString("replyAddress")).put("body", 4)
          .put("headers", new JsonObject().put("why", "sum")));
      Message<Object> reply = answered.await(5, TimeUnit.SECONDS);
      out.add(new JsonObject().put("requesterGot", reply.body()).put("headers", reply.headers().get("why")));

      Future<Message<Object>> refused = v.eventBus().request("dt.out.calc", "x");
      JsonObject second = c.next();
      out.add(second);
      c.send(new JsonObject().put("type", "send").put("address", second.getString("replyAddress"))
          .put("failureCode", 7).put("message", "cannot"));
      out.add(failureOf(refused));

      c.send(new JsonObject().put("type", "unregister").put("address", "dt.out.calc"));
      out.addAll(untilPong(c));
      out.add(failureOf(v.eventBus().request("dt.out.calc", "x")));
      return out;
    });
  }

  @Test
  void aReplyThatIsItselfARequestCanBeAnswered(Vertx vertx) throws Exception {
    compare(vertx, (c, v) -> {
      List<JsonObject> out = new ArrayList<>();
      c.send(BridgeClient.request("dt.in.ask", "q", "r1"));
      JsonObject reply = until(c, "r1").get(0);
      out.add(reply);
      c.send(new JsonObject().put("type", "send").put("address", reply.getString("replyAddress")).put("body", "yes"));
      out.add(new JsonObject().put("askedBackGot", askedBack.poll(5, TimeUnit.SECONDS)));
      return out;
    });
  }

  /**
   * Where the reference has no answer, Strata has one: text that is not JSON is logged by the reference
   * and skipped silently; Strata answers it with an {@code err}. Both go on answering.
   */
  @Test
  void badJsonIsSkippedByBothAndStrataSaysSo() throws Exception {
    byte[] notJson = "{not json".getBytes(StandardCharsets.UTF_8);
    try (BridgeClient ref = new BridgeClient(referencePort); BridgeClient ours = new BridgeClient(strata.port("bridge"))) {
      ref.sendRaw(notJson);
      ours.sendRaw(notJson);
      assertThat(untilPong(ref)).isEmpty();
      assertThat(untilPong(ours)).singleElement()
          .satisfies(f -> assertThat(f.getString("message")).startsWith("bad frame: corrupt frame: not a JSON object"));
    }
  }

  /**
   * An unknown {@code type}: the reference throws in its frame handler, leaves the frame in its buffer and
   * never answers that connection again; Strata answers {@code unknown_type} (the code the reference
   * meant to send) and goes on.
   */
  @Test
  void anUnknownTypeStopsTheReferenceButIsAnsweredByStrata() throws Exception {
    JsonObject unknown = new JsonObject().put("type", "frobnicate").put("address", "dt.in.echo");
    try (BridgeClient ours = new BridgeClient(strata.port("bridge"))) {
      ours.send(unknown);
      assertThat(untilPong(ours)).containsExactly(new JsonObject().put("type", "err").put("message", "unknown_type"));
    }
    try (BridgeClient ref = new BridgeClient(referencePort, 1_000)) {
      ref.send(unknown);
      ref.send(new JsonObject().put("type", "ping"));
      // asserting an absence needs a window: a second without its pong (it answers a ping in a millisecond)
      assertThrows(SocketTimeoutException.class, ref::next);
    }
  }

  // ---- the comparison ----

  /** Runs the scenario against the reference, then Strata, compares, and returns what the reference sent. */
  private List<JsonObject> compare(Vertx vertx, Scenario scenario) throws Exception {
    List<JsonObject> expected;
    try (BridgeClient c = new BridgeClient(referencePort)) {
      expected = scenario.run(c, vertx);
    }
    List<JsonObject> actual;
    try (BridgeClient c = new BridgeClient(strata.port("bridge"))) {
      actual = scenario.run(c, vertx);
    }
    assertThat(actual).as("Strata's answers, against the reference's %s", expected).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      JsonObject want = normalised(expected.get(i));
      JsonObject got = normalised(actual.get(i));
      for (String field : want.fieldNames()) {
        assertThat(got.getValue(field)).as("field '%s' of answer %d: reference %s, Strata %s", field, i, want, got)
            .isEqualTo(want.getValue(field));
      }
      Set<String> added = new java.util.HashSet<>(got.fieldNames());
      added.removeAll(want.fieldNames());
      assertThat(ADDED.getOrDefault(String.valueOf(want.getValue("type")), Set.of()))
          .as("fields Strata adds to answer %d: reference %s, Strata %s", i, want, got).containsAll(added);
    }
    return expected.stream().map(BridgeReferenceTest::normalised).toList();
  }

  /** Generated reply addresses differ between any two runs: only they are normalised. */
  private static JsonObject normalised(JsonObject frame) {
    return new JsonObject(frame.encode().replaceAll("__vertx\\.reply\\.[0-9A-Za-z-]+", "<reply>"));
  }

  /** Sends a ping and returns what came before its pong: the answers to what was sent before it. */
  private static List<JsonObject> untilPong(BridgeClient c) throws Exception {
    c.send(new JsonObject().put("type", "ping"));
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject f = c.next(); !"pong".equals(f.getString("type")); f = c.next()) {
      out.add(f);
    }
    return out;
  }

  /** The frames up to and including the first sent to {@code address}. */
  private static List<JsonObject> until(BridgeClient c, String address) throws Exception {
    List<JsonObject> out = new ArrayList<>();
    JsonObject f;
    do {
      f = c.next();
      out.add(f);
    } while (!address.equals(f.getString("address")));
    return out;
  }

  private static JsonObject observed(Message<Object> m) {
    JsonObject headers = new JsonObject();
    m.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
    return new JsonObject().put("consumerGot", m.body()).put("headers", headers).put("isSend", m.isSend());
  }

  private static JsonObject failureOf(Future<?> f) throws Exception {
    try {
      f.await(5, TimeUnit.SECONDS);
    } catch (ReplyException e) {
      return new JsonObject().put("failureCode", e.failureCode()).put("failureType", e.failureType().name())
          .put("message", e.getMessage());
    }
    throw new AssertionError("the request succeeded");
  }

  private static int freePort() throws Exception {
    // the reference's TcpEventBusBridge does not tell the port it bound: pick a free one first
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
