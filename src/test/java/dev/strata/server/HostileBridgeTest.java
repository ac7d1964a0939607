package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.BridgeClient;
import dev.strata.support.LogCapture;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bridge client as an attacker would be one, over real sockets: it registers for more addresses than
 * it may, keeps more requests in flight than it may, or registers and never reads while a flood is
 * published to it. Each is refused or bounded, and the server's heap and log stay small.
 */
@ExtendWith(VertxExtension.class)
class HostileBridgeTest {

  private static final int MAX_REGISTRATIONS = 100;
  private static final int MAX_IN_FLIGHT = 3;

  private Strata strata;

  @BeforeEach
  void start(Vertx vertx) {
    JsonObject node = TestNodes.defaultNode().put("bridge", new JsonObject().put("port", 0)
        .put("maxRegistrations", MAX_REGISTRATIONS).put("maxInFlight", MAX_IN_FLIGHT).put("replyTimeout", "5s"));
    strata = TestNodes.start(vertx, node);
  }

  @AfterEach
  void stop() {
    strata.stop().await();
  }

  @Test
  void registrationsBeyondTheLimitAreRefusedWithErrAndHoldNoMemory(Vertx vertx) throws Exception {
    int attempts = 50_000;
    try (BridgeClient c = new BridgeClient(strata.port("bridge"))) {
      long before = heapAfterGc();
      for (int i = 0; i < MAX_REGISTRATIONS; i++) {
        c.send(register("app.r." + i));
      }
      c.send(new JsonObject().put("type", "ping"));
      assertThat(c.next().getString("type")).as("the first %d are accepted silently", MAX_REGISTRATIONS)
          .isEqualTo("pong");

      Thread writer = writeInBackground(c, MAX_REGISTRATIONS, attempts);
      for (int i = 0; i < attempts; i++) {
        JsonObject err = c.next();
        assertThat(err.getString("type")).isEqualTo("err");
        assertThat(err.getString("address")).isEqualTo("app.r." + (MAX_REGISTRATIONS + i));
        if (i == 0) {
          assertThat(err.getString("message")).contains("bridge.maxRegistrations").contains("100");
        }
      }
      writer.join();
      long grown = heapAfterGc() - before;
      // 50,000 consumers with their registrations take ~30 MB; refused ones take nothing
      assertThat(grown).as("heap growth after 50,000 refused registrations").isLessThan(8L * 1024 * 1024);

      assertThat(failureOf(vertx, "app.r." + (MAX_REGISTRATIONS + 1)).failureType())
          .as("no consumer was made for a refused registration").isEqualTo(ReplyFailure.NO_HANDLERS);
      c.send(new JsonObject().put("type", "unregister").put("address", "app.r.0"));
      c.send(register("app.r.extra"));
      c.send(new JsonObject().put("type", "ping"));
      assertThat(c.next().getString("type")).as("a slot freed by unregister is usable").isEqualTo("pong");
    }
  }

  @Test
  void requestsBeyondMaxInFlightWaitUnreadUntilAReplyFreesASlot(Vertx vertx) throws Exception {
    List<Message<Object>> held = new CopyOnWriteArrayList<>();
    vertx.eventBus().consumer("app.hold", held::add).completion().await();
    try (BridgeClient c = new BridgeClient(strata.port("bridge"))) {
      for (int i = 1; i <= MAX_IN_FLIGHT + 1; i++) {
        c.send(BridgeClient.request("app.hold", "q" + i, "r" + i));
      }
      c.send(new JsonObject().put("type", "ping"));
      await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == MAX_IN_FLIGHT
          && strata.registry().open().stream().anyMatch(conn -> conn.readPaused()));
      assertThat(held).extracting(Message::body).as("the fourth request waits: it is not refused")
          .containsExactly("q1", "q2", "q3");

      held.get(0).reply("a-q1");
      assertThat(c.next()).isEqualTo(new JsonObject().put("type", "message").put("address", "r1")
          .put("headers", new JsonObject()).put("body", "a-q1").put("send", true));
      await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == MAX_IN_FLIGHT + 1);
      assertThat(held.get(MAX_IN_FLIGHT).body()).isEqualTo("q4");
      assertThat(c.next().getString("type")).as("the ping after it, in order").isEqualTo("pong");
      await().atMost(Duration.ofSeconds(5))
          .until(() -> strata.registry().open().stream().noneMatch(conn -> conn.readPaused()));

      held.subList(1, held.size()).forEach(m -> m.reply("a-" + m.body()));
      List<String> answered = new ArrayList<>();
      for (int i = 0; i < MAX_IN_FLIGHT; i++) {
        JsonObject reply = c.next();
        assertThat(reply.getString("type")).isEqualTo("message");
        answered.add(reply.getString("address"));
      }
      assertThat(answered).containsExactlyInAnyOrder("r2", "r3", "r4");
    }
  }

  /** Thousands of requests to a local application (answered in place) wait behind slow ones, then all pass. */
  @Test
  void requestsWaitingBehindSlowOnesAllPassWhenTheSlowOnesAreAnswered(Vertx vertx) throws Exception {
    int quick = 5_000;
    List<Message<Object>> held = new CopyOnWriteArrayList<>();
    vertx.eventBus().consumer("app.hold", held::add).completion().await();
    try (BridgeClient c = new BridgeClient(strata.port("bridge"))) {
      java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
      for (int i = 1; i <= MAX_IN_FLIGHT; i++) {
        burst.write(frame(BridgeClient.request("app.hold", "slow" + i, "s" + i)));
      }
      for (int i = 0; i < quick; i++) {
        burst.write(frame(BridgeClient.request("app.echo", i, "q" + i)));
      }
      c.output().write(burst.toByteArray());
      c.output().flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> held.size() == MAX_IN_FLIGHT
          && strata.registry().open().stream().anyMatch(conn -> conn.readPaused()));
      held.forEach(m -> m.reply("done"));
      // replies are matched by replyAddress: they may come in any order, but each exactly once
      java.util.Set<String> answered = new java.util.HashSet<>();
      for (int i = 0; i < MAX_IN_FLIGHT + quick; i++) {
        JsonObject reply = c.next();
        assertThat(reply.getString("type")).as("reply %d: %s", i, reply).isEqualTo("message");
        assertThat(answered.add(reply.getString("address"))).as("answered twice: %s", reply).isTrue();
      }
      assertThat(answered).hasSize(MAX_IN_FLIGHT + quick).contains("q0", "q" + (quick - 1), "s1");
    }
  }

  @Test
  void aClientPipeliningThousandsOfRequestsIsSlowedToMaxInFlightNotRefused(Vertx vertx) throws Exception {
    int requests = 2_000;
    AtomicInteger outstanding = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    vertx.eventBus().consumer("app.slow", m -> {
      most.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
      vertx.setTimer(1, t -> { // a reply a little later, so that requests pile up if they are let through
        outstanding.decrementAndGet();
        m.reply(m.body());
      });
    }).completion().await();
    try (BridgeClient c = new BridgeClient(strata.port("bridge"))) {
      Thread writer = new Thread(() -> {
        try {
          DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(c.output(), 1 << 16));
          for (int i = 0; i < requests; i++) {
            out.write(frame(BridgeClient.request("app.slow", i, "r" + i)));
          }
          out.flush();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, "pipeline");
      writer.start();
      for (int i = 0; i < requests; i++) {
        JsonObject reply = c.next();
        assertThat(reply.getString("type")).as("reply %d: %s", i, reply).isEqualTo("message");
        assertThat(reply.getString("address")).isEqualTo("r" + reply.getInteger("body"));
      }
      writer.join();
    }
    assertThat(most.get()).as("requests the application had at once").isEqualTo(MAX_IN_FLIGHT);
  }

  @Test
  void aClientThatNeverReadsWhile100kPublishesArriveCostsAFewLogLinesNotOnePerDroppedMessage() throws Exception {
    int publishes = 100_000;
    try (LogCapture log = LogCapture.root();
        Socket sleeper = new Socket();
        BridgeClient publisher = new BridgeClient(strata.port("bridge"))) {
      sleeper.setReceiveBufferSize(4096); // before connecting: a small window, so the server's queue fills soon
      sleeper.connect(new InetSocketAddress("127.0.0.1", strata.port("bridge")), 5_000);
      OutputStream out = sleeper.getOutputStream();
      out.write(frame(register("app.flood")));
      out.write(frame(new JsonObject().put("type", "ping"))); // its pong is never read either
      out.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> strata.registry().open().stream()
          .anyMatch(conn -> conn.framesIn() >= 2));

      String body = "x".repeat(200);
      DataOutputStream pub = new DataOutputStream(publisher.output());
      for (int i = 0; i < publishes; i++) {
        pub.write(frame(new JsonObject().put("type", "publish").put("address", "app.flood").put("body", body)));
      }
      publisher.send(new JsonObject().put("type", "ping"));
      assertThat(publisher.next().getString("type")).as("every publish was handled").isEqualTo("pong");
      await().atMost(Duration.ofSeconds(10)).until(() -> log.count("does not read") >= 1);
      sleeper.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> log.count("were dropped") >= 1);

      assertThat(log.records()).as("records logged for %d publishes to a client that never reads: %s", publishes,
          log.sample()).hasSizeLessThan(10);
      long dropped = Long.parseLong(log.find("were dropped").replaceAll(".*; ([0-9]+) messages.*", "$1"));
      assertThat(dropped).as("the drops are counted, not logged one by one").isGreaterThan(publishes / 2);
    }
  }

  private static JsonObject register(String address) {
    return new JsonObject().put("type", "register").put("address", address);
  }

  private static byte[] frame(JsonObject msg) {
    byte[] json = msg.encode().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + json.length).putInt(json.length).put(json).array();
  }

  /** Sends registrations from another thread: the server stops reading a client that does not read its errs. */
  private static Thread writeInBackground(BridgeClient c, int from, int count) {
    Thread t = new Thread(() -> {
      try {
        for (int i = 0; i < count; i++) {
          c.output().write(frame(register("app.r." + (from + i))));
        }
        c.output().flush();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, "registrations");
    t.start();
    return t;
  }

  private static ReplyException failureOf(Vertx vertx, String address) throws Exception {
    try {
      vertx.eventBus().request(address, "x").await(5, TimeUnit.SECONDS);
    } catch (ReplyException e) {
      return e;
    }
    throw new AssertionError("a consumer answered at " + address);
  }

  /** Heap in use after a full collection: what is really held. */
  private static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
