package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.exchange.Headers;
import dev.strata.exchange.ValueList;
import dev.strata.server.ContractNodes.Deployed;
import dev.strata.support.LineClient;
import dev.strata.support.RespClient;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of {@code Endpoint} (its class Javadoc), checked by running the same application over
 * every {@link ContractPath}: the handler's context, the request's shape and headers, reply addresses,
 * and the Java types of request and reply bodies. Failures and pushes: {@link ServiceContractAnswersTest}.
 */
class ServiceContractTest {

  private static ContractNodes nodes;

  @BeforeAll
  static void nodes() {
    nodes = new ContractNodes();
  }

  @AfterAll
  static void close() {
    nodes.close();
  }

  /** What the handler saw of its context, and of the context a timer it set fired on. */
  record ContextSeen(Context handler, String deployment, String marker, boolean eventLoop, boolean worker,
      Thread thread, Context timer, String timerDeployment, Thread timerThread) {
  }

  private static Deployed contextApp(ContractPath path, String marker, ThreadingModel model,
      AtomicReference<ContextSeen> seen) {
    DeploymentOptions o = new DeploymentOptions().setThreadingModel(model)
        .setConfig(new JsonObject().put("marker", marker));
    return nodes.deploy(path, "lines", (app, msg) -> {
      Context c = Vertx.currentContext();
      String deployment = c.deploymentID();
      String m = c.config().getString("marker");
      boolean loop = c.isEventLoopContext();
      boolean worker = c.isWorkerContext();
      Thread thread = Thread.currentThread();
      app.vertx().setTimer(1, t -> {
        Context tc = Vertx.currentContext();
        seen.set(new ContextSeen(c, deployment, m, loop, worker, thread, tc, tc.deploymentID(), Thread.currentThread()));
        msg.reply("ok");
      });
    }, o, new JsonObject());
  }

  @ParameterizedTest
  @EnumSource(ContractPath.class)
  void handlerRunsOnTheApplicationsOwnContext(ContractPath path) throws Exception {
    String marker = UUID.randomUUID().toString();
    AtomicReference<ContextSeen> seen = new AtomicReference<>();
    try (Deployed d = contextApp(path, marker, ThreadingModel.EVENT_LOOP, seen); LineClient c = new LineClient(d.port())) {
      assertThat(c.request("where am I")).isEqualTo("ok");
      ContextSeen s = seen.get();
      assertThat(s.deployment()).as("Vertx.currentContext().deploymentID() in the handler").isEqualTo(d.appDeployment);
      assertThat(((ContextInternal) s.handler()).unwrap()).as("the handler's context, unwrapped")
          .isSameAs(d.app.context());
      assertThat(s.marker()).as("context.config() in the handler").isEqualTo(marker);
      assertThat(s.eventLoop()).isTrue();
      assertThat(s.timerDeployment()).as("a timer set in the handler fires in the app's deployment").isEqualTo(d.appDeployment);
      assertThat(((ContextInternal) s.timer()).unwrap()).isSameAs(d.app.context());
      assertThat(s.timerThread()).isSameAs(s.thread());
      if (path.local()) {
        // the path really is what its name says: in place on the connection's loop, or a hop to another
        assertThat(d.onConnectionLoop(s.thread())).as("called on the connection's event loop")
            .isEqualTo(path == ContractPath.LOCAL_IN_PLACE);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ContractPath.class)
  void workerApplicationHandlerRunsOnItsWorkerThreads(ContractPath path) throws Exception {
    String marker = UUID.randomUUID().toString();
    AtomicReference<ContextSeen> seen = new AtomicReference<>();
    try (Deployed d = contextApp(path, marker, ThreadingModel.WORKER, seen); LineClient c = new LineClient(d.port())) {
      c.send("one\ntwo\n");
      assertThat(c.readLine()).isEqualTo("ok");
      assertThat(c.readLine()).isEqualTo("ok");
      ContextSeen s = seen.get();
      assertThat(s.deployment()).isEqualTo(d.appDeployment);
      assertThat(s.marker()).isEqualTo(marker);
      assertThat(s.worker()).as("a worker context").isTrue();
      assertThat(s.eventLoop()).isFalse();
      assertThat(s.thread().getName()).startsWith("vert.x-worker-thread");
      assertThat(s.timerDeployment()).isEqualTo(d.appDeployment);
    }
  }

  /** What the handler saw of a request. */
  record RequestSeen(String address, boolean isSend, String replyAddress, Map<String, String> headers, Object body) {
  }

  private static RequestSeen seen(io.vertx.core.eventbus.Message<Object> msg) {
    Map<String, String> h = new TreeMap<>();
    msg.headers().forEach(e -> h.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
    return new RequestSeen(msg.address(), msg.isSend(), msg.replyAddress(), h, msg.body());
  }

  @ParameterizedTest
  @EnumSource(ContractPath.class)
  void requestHasTheSameShapeAndHeadersOnEveryPath(ContractPath path) throws Exception {
    ConcurrentLinkedQueue<RequestSeen> requests = new ConcurrentLinkedQueue<>();
    try (Deployed d = nodes.deploy(path, "lines", (app, msg) -> {
      requests.add(seen(msg));
      msg.reply("ok");
    }); LineClient c = new LineClient(d.port())) {
      c.send("first\nsecond\n");
      assertThat(c.readLine()).isEqualTo("ok");
      assertThat(c.readLine()).isEqualTo("ok");
      String connection = Long.toString(d.connection().id());
      String remote = "127.0.0.1:" + c.socket().getLocalPort();
      List<RequestSeen> all = new ArrayList<>(requests);
      assertThat(all).hasSize(2);
      for (int i = 0; i < 2; i++) {
        RequestSeen r = all.get(i);
        assertThat(r.address()).isEqualTo(d.address);
        assertThat(r.isSend()).as("isSend()").isTrue();
        assertThat(r.replyAddress()).as("replyAddress() when a reply is expected").isNotNull();
        assertThat(r.headers()).as("headers, names and values").containsExactlyInAnyOrderEntriesOf(Map.of(
            Headers.CONNECTION, connection,
            Headers.LISTENER, ContractNodes.LISTENER,
            Headers.SEQ, Integer.toString(i),
            Headers.REMOTE, remote));
        assertThat(r.body()).isEqualTo(i == 0 ? "first" : "second");
      }
      assertThat(all.get(0).replyAddress()).as("one reply address per request").isNotEqualTo(all.get(1).replyAddress());
    }
  }

  @ParameterizedTest
  @EnumSource(ContractPath.class)
  void aReplySentToTheReplyAddressAnswersTheRequest(ContractPath path) throws Exception {
    try (Deployed d = nodes.deploy(path, "lines",
        (app, msg) -> app.vertx().eventBus().send(msg.replyAddress(), "via the address: " + msg.body()));
        LineClient c = new LineClient(d.port())) {
      c.send("a\nb\n");
      assertThat(c.readLine()).isEqualTo("via the address: a");
      assertThat(c.readLine()).isEqualTo("via the address: b");
      assertThat(c.request("c")).isEqualTo("via the address: c");
    }
  }

  /** The local paths of a clustered node: its event bus routes a plain send through the cluster's registry. */
  @ParameterizedTest
  @ValueSource(strings = {"local-first", "event-bus"})
  void aReplySentToTheReplyAddressAnswersTheRequestOnAClusteredNode(String dispatch) throws Exception {
    try (Deployed d = nodes.deployOnOneMember(dispatch, "lines",
        (app, msg) -> app.vertx().eventBus().send(msg.replyAddress(), "via the address: " + msg.body()));
        LineClient c = new LineClient(d.port())) {
      c.send("a\nb\n");
      assertThat(c.readLine()).isEqualTo("via the address: a");
      assertThat(c.readLine()).isEqualTo("via the address: b");
    }
  }

  /** The Java types of a body: the class of the body, then of each element when it is a list. */
  private static List<String> types(Object body) {
    List<String> out = new ArrayList<>();
    out.add(body == null ? "null" : body.getClass().getName());
    if (body instanceof List<?> l) {
      for (Object v : l) {
        out.add(v == null ? "null" : v instanceof Buffer ? Buffer.class.getName() : v.getClass().getName());
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(ContractPath.class)
  void respCommandArrivesAsAValueListOfBuffers(ContractPath path) throws Exception {
    ConcurrentLinkedQueue<Object> bodies = new ConcurrentLinkedQueue<>();
    try (Deployed d = nodes.deploy(path, "resp", (app, msg) -> {
      bodies.add(msg.body());
      msg.reply(String.join(" ", types(msg.body())));
    }); RespClient c = new RespClient(d.port())) {
      String expected = ValueList.class.getName() + " " + Buffer.class.getName() + " " + Buffer.class.getName();
      assertThat(c.call("SET", "k")).isEqualTo(expected);
      c.write("GET k\r\n".getBytes()); // an inline command: the same body
      assertThat(c.read()).isEqualTo(expected);
      byte[] binary = allBytes();
      assertThat(c.call("ECHO", binary)).isEqualTo(expected);
      List<Object> received = new ArrayList<>(bodies);
      assertThat(received).hasSize(3);
      assertThat(((ValueList) received.get(2)).buffer(1).getBytes()).as("binary argument intact").isEqualTo(binary);
    }
  }

  private static byte[] allBytes() {
    byte[] b = new byte[256];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  @ParameterizedTest
  @EnumSource(ContractPath.class)
  void arrayRepliesAreBinarySafe(ContractPath path) throws Exception {
    byte[] binary = allBytes();
    try (Deployed d = nodes.deploy(path, "resp", (app, msg) -> msg.reply(ValueList.of(
        Buffer.buffer(binary), "OK", 42L, null, ValueList.of(Buffer.buffer("nested\r\n"), 7L), Buffer.buffer())));
        RespClient c = new RespClient(d.port())) {
      Object reply = c.call("MGET", "a", "b");
      assertThat(reply).isInstanceOf(List.class);
      List<?> items = (List<?>) reply;
      assertThat(items).hasSize(6);
      assertThat((byte[]) items.get(0)).isEqualTo(binary);
      assertThat((byte[]) items.get(1)).as("a String in an array: a bulk string, as Redis writes one").isEqualTo("OK".getBytes());
      assertThat(items.get(2)).isEqualTo(42L);
      assertThat(items.get(3)).isNull();
      List<?> nested = (List<?>) items.get(4);
      assertThat((byte[]) nested.get(0)).isEqualTo("nested\r\n".getBytes());
      assertThat(nested.get(1)).isEqualTo(7L);
      assertThat((byte[]) items.get(5)).isEmpty();
    }
  }

  /**
   * A plain {@code ArrayList} reply. Vert.x's local event bus carries any Serializable body (as a
   * serialized copy), so both local dispatch modes answer alike: a list of Strings is an array, a list
   * holding Buffers (not Serializable) is refused the same way. The clustered event bus has no codec
   * for an ArrayList at all (that is what {@link ValueList} is for): one error frame per request there.
   */
  @Test
  void aPlainArrayListReplyIsAnsweredAlikeOnBothLocalDispatchModes() throws Exception {
    Map<ContractPath, List<Object>> answers = new EnumMap<>(ContractPath.class);
    for (ContractPath path : ContractPath.values()) {
      try (Deployed d = nodes.deploy(path, "resp", (app, msg) -> msg.reply(switch (RespClient.text(((List<?>) msg.body()).get(0))) {
        case "STRINGS" -> new ArrayList<>(List.of("a", "b"));
        default -> new ArrayList<>(List.of(Buffer.buffer("x"), Buffer.buffer("y")));
      })); RespClient c = new RespClient(d.port())) {
        List<Object> got = new ArrayList<>();
        got.add(normalise(c.call("STRINGS")));
        got.add(normalise(c.call("BUFFERS")));
        got.add(normalise(c.call("STRINGS")));
        answers.put(path, got);
      }
    }
    RespClient.Error notSerializable = new RespClient.Error(
        "ERR reply not sendable: java.io.NotSerializableException: io.vertx.core.buffer.impl.BufferImpl");
    List<Object> local = List.of(List.of("$a", "$b"), notSerializable, List.of("$a", "$b"));
    assertThat(answers.get(ContractPath.EVENT_BUS)).isEqualTo(local);
    assertThat(answers.get(ContractPath.LOCAL_FIRST)).isEqualTo(local);
    assertThat(answers.get(ContractPath.LOCAL_IN_PLACE)).isEqualTo(local);
    RespClient.Error noCodec = new RespClient.Error("ERR reply not sendable: No message codec for type: class java.util.ArrayList");
    assertThat(answers.get(ContractPath.CLUSTER)).containsExactly(noCodec, noCodec, noCodec);
  }

  /** Bulk strings as text, so that replies compare with equals. */
  private static Object normalise(Object v) {
    if (v instanceof byte[] b) {
      return "$" + new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(normalise(x)));
      return out;
    }
    return v;
  }
}
