package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.stream.CloseReason;
import dev.strata.stream.Connection;
import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import dev.strata.support.UdpClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** UDP listeners over real datagram sockets: the same codecs and applications as TCP, one datagram at a time. */
@ExtendWith(VertxExtension.class)
class UdpEndToEndTest {

  private Strata strata;

  private static JsonObject udp(String name, String codec, String address) {
    return TestNodes.listener(name, codec, address).put("transport", "udp");
  }

  private void start(Vertx vertx, JsonObject... listeners) {
    strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray(List.of((Object[]) listeners)))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.EchoVerticle"))
            .add(TestNodes.app("dev.strata.apps.KvVerticle"))));
  }

  @AfterEach
  void stop() {
    if (strata != null) {
      strata.stop().await();
    }
  }

  private List<Connection> senders(String listener) {
    return strata.registry().open().stream().filter(c -> c.listener().equals(listener)).collect(Collectors.toList());
  }

  @Test
  void echoesALinePerDatagram(Vertx vertx) {
    start(vertx, udp("echo-udp", "lines", "app.echo"));
    try (UdpClient c = new UdpClient(strata.port("echo-udp"))) {
      assertThat(c.request("hello\n")).isEqualTo("hello\n");
      assertThat(c.request("crlf too\r\n")).isEqualTo("crlf too\n");
    }
  }

  @Test
  void severalFramesInOneDatagramAreSeveralRequestsAnsweredInOrder(Vertx vertx) {
    start(vertx, udp("echo-udp", "lines", "app.echo"));
    try (UdpClient c = new UdpClient(strata.port("echo-udp"))) {
      c.send("one\ntwo\nthree\n");
      assertThat(lines(c, 3)).isEqualTo("one\ntwo\nthree\n");
    }
  }

  @Test
  void servesTheKvApplicationOverRespInADatagram(Vertx vertx) {
    start(vertx, udp("kv-udp", "resp", "app.kv"));
    try (UdpClient c = new UdpClient(strata.port("kv-udp"))) {
      assertThat(c.request("*3\r\n$3\r\nSET\r\n$5\r\ncolor\r\n$4\r\nteal\r\n")).isEqualTo("+OK\r\n");
      assertThat(c.request("*2\r\n$3\r\nGET\r\n$5\r\ncolor\r\n")).isEqualTo("$4\r\nteal\r\n");
      assertThat(c.request("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n")).isEqualTo(":1\r\n");
    }
  }

  @Test
  void udpAndTcpListenersShareOnePortNumberAndOneStore(Vertx vertx) throws Exception {
    JsonObject tcp = TestNodes.listener("kv-lines", "lines", "app.kv");
    start(vertx, tcp, udp("kv-udp", "lines", "app.kv"));
    try (UdpClient u = new UdpClient(strata.port("kv-udp")); LineClient t = new LineClient(strata.port("kv-lines"))) {
      assertThat(u.request("SET shared from-udp\n")).isEqualTo("OK\n");
      assertThat(t.request("GET shared")).isEqualTo("from-udp");
    }
  }

  @Test
  void repliesGoToTheirSenderWhenSendersInterleave(Vertx vertx) {
    start(vertx, udp("echo-udp", "lines", "app.echo"));
    int port = strata.port("echo-udp");
    try (UdpClient a = new UdpClient(port); UdpClient b = new UdpClient(port)) {
      for (int i = 0; i < 100; i++) {
        a.send("a " + i + "\n");
        b.send("b " + i + "\n");
      }
      // replies ready at once may share a datagram (whole lines each): compare the streams of lines
      assertThat(lines(a, 100)).isEqualTo(expected("a", 100));
      assertThat(lines(b, 100)).isEqualTo(expected("b", 100));
      assertThat(senders("echo-udp")).extracting(c -> c.remoteAddress().port())
          .containsExactlyInAnyOrder(a.localPort(), b.localPort());
    }
  }

  private static String lines(UdpClient c, int n) {
    StringBuilder got = new StringBuilder();
    while (got.chars().filter(ch -> ch == '\n').count() < n) {
      got.append(c.receiveText());
    }
    return got.toString();
  }

  private static String expected(String who, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(who).append(' ').append(i).append('\n');
    }
    return s.toString();
  }

  @Test
  void aMalformedDatagramIsAnsweredWithAnErrorAndTheNextWorks(Vertx vertx) {
    start(vertx, udp("kv-udp", "resp", "app.kv"));
    try (UdpClient c = new UdpClient(strata.port("kv-udp"))) {
      // a frame cut at the datagram's end: frames never span datagrams
      assertThat(c.request("*2\r\n$3\r\nGET\r\n$5\r\nco")).startsWith("-ERR ").contains("truncated");
      // an array header whose elements never come: nothing of it may leak into the next datagram
      assertThat(c.request("*2\r\n")).startsWith("-ERR ").contains("truncated");
      // corrupt: not RESP
      assertThat(c.request("*x\r\n")).startsWith("-ERR ");
      assertThat(c.request("*1\r\n$4\r\nPING\r\n")).isEqualTo("+PONG\r\n");
      Connection sender = senders("kv-udp").get(0);
      assertThat(sender.frameErrors()).isEqualTo(3);
      assertThat(sender.isOpen()).isTrue();
    }
  }

  @Test
  void aLineWithoutItsNewlineIsATruncatedFrame(Vertx vertx) {
    start(vertx, udp("echo-udp", "lines", "app.echo"));
    try (UdpClient c = new UdpClient(strata.port("echo-udp"))) {
      assertThat(c.request("no newline")).startsWith("-ERR ").contains("truncated");
      assertThat(c.request("with newline\n")).isEqualTo("with newline\n");
    }
  }

  @Test
  void aReplyLargerThanMaxDatagramBytesIsAnsweredWithAnError(Vertx vertx) {
    start(vertx, udp("echo-udp", "lines", "app.echo").put("maxDatagramBytes", 100));
    try (UdpClient c = new UdpClient(strata.port("echo-udp"))) {
      String big = "x".repeat(150);
      assertThat(c.request(big + "\n")).isEqualTo("-ERR reply too large (maxDatagramBytes 100)\n");
      assertThat(c.request("small\n")).isEqualTo("small\n");
      assertThat(senders("echo-udp").get(0).sender().oversized()).isEqualTo(1);
      assertThat(strata.registry().stats("echo-udp").repliesOversized()).isEqualTo(1);
    }
  }

  @Test
  void repliesToOneDatagramSplitAtFrameBoundariesToFitMaxDatagramBytes(Vertx vertx) {
    start(vertx, udp("echo-udp", "lines", "app.echo").put("maxDatagramBytes", 100));
    try (UdpClient c = new UdpClient(strata.port("echo-udp"))) {
      StringBuilder req = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        req.append("line-").append(i).append('-').append("y".repeat(20)).append('\n'); // 28 bytes each
      }
      c.send(req.toString());
      StringBuilder got = new StringBuilder();
      List<Integer> sizes = new ArrayList<>();
      while (got.length() < req.length()) {
        byte[] d = c.receive();
        sizes.add(d.length);
        got.append(new String(d, java.nio.charset.StandardCharsets.UTF_8));
      }
      assertThat(got.toString()).isEqualTo(req.toString());
      assertThat(sizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(100).isEqualTo(n / 28 * 28));
    }
  }

  @Test
  void manyDistinctSendersStayBoundedByMaxSenders(Vertx vertx) {
    start(vertx, udp("echo-udp", "lines", "app.echo").put("maxSenders", 20));
    int port = strata.port("echo-udp");
    List<UdpClient> clients = new ArrayList<>(); // all open at once: 100 distinct source ports
    try {
      for (int i = 0; i < 100; i++) {
        UdpClient c = new UdpClient(port);
        clients.add(c);
        assertThat(c.request("from " + i + "\n")).isEqualTo("from " + i + "\n");
        assertThat(senders("echo-udp").size()).isLessThanOrEqualTo(20);
      }
    } finally {
      clients.forEach(UdpClient::close);
    }
    assertThat(senders("echo-udp")).hasSize(20);
    assertThat(strata.registry().stats("echo-udp").closed(CloseReason.EVICTED)).isEqualTo(80);
    assertThat(strata.registry().stats("echo-udp").accepted()).isEqualTo(100);
  }

  @Test
  void anApplicationPushesToASenderThroughItsConnectionAddress(Vertx vertx) {
    start(vertx, udp("echo-udp", "lines", "app.echo"));
    try (UdpClient c = new UdpClient(strata.port("echo-udp"))) {
      assertThat(c.request("hi\n")).isEqualTo("hi\n");
      long id = senders("echo-udp").get(0).id();
      vertx.eventBus().request(dev.strata.exchange.Headers.pushAddress(id), "pushed").await();
      assertThat(c.receiveText()).isEqualTo("pushed\n");
    }
  }

  @Test
  void quitForgetsTheSenderAndItsNextDatagramStartsAfresh(Vertx vertx) {
    start(vertx, udp("kv-udp", "resp", "app.kv"));
    try (UdpClient c = new UdpClient(strata.port("kv-udp"))) {
      assertThat(c.request("*1\r\n$4\r\nPING\r\n")).isEqualTo("+PONG\r\n");
      long first = senders("kv-udp").get(0).id();
      assertThat(c.request("*1\r\n$4\r\nQUIT\r\n")).isEqualTo("+OK\r\n");
      await().until(() -> senders("kv-udp").isEmpty());
      assertThat(c.request("*1\r\n$4\r\nPING\r\n")).isEqualTo("+PONG\r\n");
      assertThat(senders("kv-udp").get(0).id()).isNotEqualTo(first);
    }
  }

  @Test
  void aStopAnswersWhatWasReadBeforeTheSocketCloses(Vertx vertx) {
    // answers 300 ms after each request: the stop comes while one is in flight
    vertx.eventBus().<Object>consumer("app.later", m -> vertx.setTimer(300, id -> m.reply(m.body())));
    start(vertx, udp("later-udp", "lines", "app.later").put("dispatch", "event-bus"));
    try (UdpClient c = new UdpClient(strata.port("later-udp"))) {
      c.send("owed\n");
      await().until(() -> !senders("later-udp").isEmpty() && senders("later-udp").get(0).inFlight() == 1);
      io.vertx.core.Future<Void> stopped = strata.stop();
      assertThat(c.receiveText()).isEqualTo("owed\n");
      stopped.await();
      assertThat(senders("later-udp")).isEmpty();
      assertThat(strata.registry().stats("later-udp").closed(CloseReason.SHUTDOWN)).isEqualTo(1);
      strata = null;
    }
  }

  @Test
  void aSenderNotHeardFromForIdleTimeoutIsForgotten(Vertx vertx) {
    start(vertx, udp("echo-udp", "lines", "app.echo").put("idleTimeout", "200ms"));
    try (UdpClient c = new UdpClient(strata.port("echo-udp"))) {
      assertThat(c.request("hi\n")).isEqualTo("hi\n");
      long first = senders("echo-udp").get(0).id();
      await().until(() -> senders("echo-udp").isEmpty());
      assertThat(strata.registry().stats("echo-udp").closed(CloseReason.IDLE)).isEqualTo(1);
      assertThat(c.request("again\n")).isEqualTo("again\n");
      assertThat(senders("echo-udp").get(0).id()).isNotEqualTo(first);
    }
  }

  @Test
  void datagramsBeyondMaxInFlightAreDroppedAndCounted(Vertx vertx) {
    // an address nobody answers in time: requests stay in flight until requestTimeout
    vertx.eventBus().consumer("app.silent", m -> { });
    start(vertx, udp("silent-udp", "lines", "app.silent").put("maxInFlight", 2).put("requestTimeout", "2s")
        .put("dispatch", "event-bus"));
    try (UdpClient c = new UdpClient(strata.port("silent-udp"))) {
      for (int i = 0; i < 5; i++) {
        c.send("r" + i + "\n");
      }
      await().until(() -> strata.registry().stats("silent-udp").datagramsDropped() == 3);
      assertThat(senders("silent-udp").get(0).sender().dropped()).isEqualTo(3);
      // the two admitted are answered, by the timeout (in one datagram or two)
      String timeout = "-ERR timeout: no reply from app.silent within 2000 ms\n";
      assertThat(lines(c, 2)).isEqualTo(timeout + timeout);
    }
  }
}
