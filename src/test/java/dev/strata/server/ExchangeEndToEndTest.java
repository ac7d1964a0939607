package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.exchange.Endpoint;
import dev.strata.exchange.Headers;
import dev.strata.stream.CloseReason;
import dev.strata.stream.ClosedConnection;
import dev.strata.stream.Connection;
import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Request/response over real sockets: ordering, every failure answered, backpressure, push. */
@ExtendWith(VertxExtension.class)
class ExchangeEndToEndTest {

  private Strata strata;

  @AfterEach
  void stop() {
    if (strata != null) {
      strata.stop().await();
    }
  }

  private int listen(Vertx vertx, String address, JsonObject extra) {
    JsonObject l = TestNodes.listener("test", "lines", address).mergeIn(extra);
    strata = TestNodes.start(vertx, new JsonObject().put("listeners", new JsonArray().add(l)));
    return strata.port("test");
  }

  /** Holds the reply to the first request ("slow") until the second ("fast") has been answered. */
  private static void slowFirst(Vertx vertx, Message<Object> m) {
    if ("slow".equals(m.body())) {
      vertx.setTimer(150, t -> m.reply("slow done"));
    } else {
      m.reply(m.body() + " done");
    }
  }

  @Test
  void writesRepliesInRequestOrderOverTheEventBus(Vertx vertx) throws Exception {
    vertx.eventBus().consumer("app.ooo", m -> slowFirst(vertx, m)).completion().await();
    try (LineClient c = new LineClient(listen(vertx, "app.ooo", new JsonObject()))) {
      c.send("slow\nfast\n");
      assertThat(c.readLine()).isEqualTo("slow done");
      assertThat(c.readLine()).isEqualTo("fast done");
    }
  }

  @Test
  void writesRepliesInRequestOrderOnTheLocalFastPath(Vertx vertx) throws Exception {
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return Endpoint.serve(vertx, "app.ooo", m -> slowFirst(vertx, m));
      }
    }).await();
    try (LineClient c = new LineClient(listen(vertx, "app.ooo", new JsonObject()))) {
      c.send("slow\nfast\n");
      assertThat(c.readLine()).isEqualTo("slow done");
      assertThat(c.readLine()).isEqualTo("fast done");
    }
  }

  /** Without half-close support Vert.x closed the socket on the FIN and these replies were lost. */
  @Test
  void answersEveryRequestWhenTheClientHalfCloses(Vertx vertx) throws Exception {
    // the application answers after the client's FIN: each reply is 100 ms late, over the event bus
    vertx.eventBus().consumer("app.late", m -> vertx.setTimer(100, t -> m.reply(m.body() + " done")))
        .completion().await();
    try (LineClient c = new LineClient(listen(vertx, "app.late", new JsonObject()))) {
      c.send("a\nb\nc\n");
      c.socket().shutdownOutput();
      assertThat(c.readLine()).isEqualTo("a done");
      assertThat(c.readLine()).isEqualTo("b done");
      assertThat(c.readLine()).isEqualTo("c done");
      assertThat(c.closedByServer()).isTrue();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> strata.registry().open().isEmpty());
    assertThat(strata.registry().recentlyClosed()).last()
        .extracting(ClosedConnection::closeReason).isEqualTo(CloseReason.CLIENT_CLOSED);
  }

  @Test
  void answersNoApplicationAndKeepsTheConnection(Vertx vertx) throws Exception {
    try (LineClient c = new LineClient(listen(vertx, "app.nobody", new JsonObject()))) {
      assertThat(c.request("hi")).isEqualTo("-ERR no application at app.nobody");
      assertThat(c.request("again")).isEqualTo("-ERR no application at app.nobody");
    }
  }

  @Test
  void answersTimeoutThenServesLaterRequests(Vertx vertx) throws Exception {
    vertx.eventBus().consumer("app.sometimes", m -> {
      if (!"ignore".equals(m.body())) {
        m.reply("ok " + m.body());
      }
    }).completion().await();
    int port = listen(vertx, "app.sometimes", new JsonObject().put("requestTimeout", "200ms"));
    try (LineClient c = new LineClient(port)) {
      c.send("ignore\nnext\n");
      assertThat(c.readLine()).isEqualTo("-ERR timeout: no reply from app.sometimes within 200 ms");
      assertThat(c.readLine()).isEqualTo("ok next");
      assertThat(c.request("later")).isEqualTo("ok later");
    }
  }

  @Test
  void answersApplicationFailuresAndExceptions(Vertx vertx) throws Exception {
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return Endpoint.serve(vertx, "app.fails", m -> {
          switch ((String) m.body()) {
            case "fail" -> m.fail(7, "WRONGTYPE not a list");
            case "plain" -> m.fail(1, "something broke");
            case "throw" -> throw new IllegalStateException("boom");
            default -> m.reply("fine");
          }
        });
      }
    }).await();
    try (LineClient c = new LineClient(listen(vertx, "app.fails", new JsonObject()))) {
      c.send("fail\nplain\nthrow\nok\n");
      assertThat(c.readLine()).isEqualTo("-WRONGTYPE not a list");
      assertThat(c.readLine()).isEqualTo("-ERR something broke");
      assertThat(c.readLine()).isEqualTo("-ERR application failed: IllegalStateException: boom");
      assertThat(c.readLine()).isEqualTo("fine");
    }
  }

  @Test
  void passesHeadersForConnectionListenerAndSequence(Vertx vertx) throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    vertx.eventBus().consumer("app.headers", m -> {
      seen.set(m.headers().get(Headers.LISTENER) + "/" + m.headers().get(Headers.SEQ));
      m.reply(m.headers().get(Headers.CONNECTION));
    }).completion().await();
    try (LineClient c = new LineClient(listen(vertx, "app.headers", new JsonObject()))) {
      c.request("a");
      String id = c.request("b");
      assertThat(Long.parseLong(id)).isEqualTo(strata.registry().open().iterator().next().id());
      assertThat(seen.get()).isEqualTo("test/1");
    }
  }

  @Test
  void pushesFramesSentToTheConnectionAddress(Vertx vertx) throws Exception {
    vertx.deployVerticle("dev.strata.apps.EchoVerticle").await();
    try (LineClient c = new LineClient(listen(vertx, "app.echo", new JsonObject()))) {
      assertThat(c.request("hello")).isEqualTo("hello");
      long id = strata.registry().open().iterator().next().id();
      vertx.eventBus().request(Headers.pushAddress(id), "pushed to you").await();
      assertThat(c.readLine()).isEqualTo("pushed to you");
    }
  }

  @Test
  void dispatchModeChoosesBetweenTheLocalFastPathAndTheEventBus(Vertx vertx) throws Exception {
    vertx.deployVerticle("dev.strata.apps.EchoVerticle").await();
    java.util.concurrent.atomic.AtomicInteger onTheBus = new java.util.concurrent.atomic.AtomicInteger();
    vertx.eventBus().addOutboundInterceptor(ctx -> {
      if ("app.echo".equals(ctx.message().address())) {
        onTheBus.incrementAndGet();
      }
      ctx.next();
    });
    JsonObject local = TestNodes.listener("local", "lines", "app.echo");
    JsonObject bus = TestNodes.listener("bus", "lines", "app.echo").put("dispatch", "event-bus");
    strata = TestNodes.start(vertx, new JsonObject().put("listeners", new JsonArray().add(local).add(bus)));
    try (LineClient l = new LineClient(strata.port("local")); LineClient b = new LineClient(strata.port("bus"))) {
      l.send("1\n2\n3\n");
      assertThat(l.readLine() + l.readLine() + l.readLine()).isEqualTo("123");
      assertThat(onTheBus.get()).isZero();
      b.send("1\n2\n3\n");
      assertThat(b.readLine() + b.readLine() + b.readLine()).isEqualTo("123");
      assertThat(onTheBus.get()).isEqualTo(3);
    }
  }

  @Test
  void resyncPolicyAnswersAnErrorAndKeepsTheConnection(Vertx vertx) throws Exception {
    vertx.deployVerticle("dev.strata.apps.EchoVerticle").await();
    int port = listen(vertx, "app.echo", new JsonObject().put("maxFrameBytes", 16).put("onFrameError", "error-and-resync"));
    try (LineClient c = new LineClient(port)) {
      c.send("short\n" + "x".repeat(100) + "\nafter\n");
      assertThat(c.readLine()).isEqualTo("short");
      assertThat(c.readLine()).startsWith("-ERR frame too long");
      assertThat(c.readLine()).isEqualTo("after");
    }
  }

  @Test
  void pipelinedBurstOfOneHundredThousandGetsOrderedRepliesWithBoundedQueue(Vertx vertx) throws Exception {
    // Replies one event-loop tick later, so that requests really queue up behind the limit.
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return Endpoint.serve(vertx, "app.later", m -> vertx.runOnContext(v -> m.reply(m.body())));
      }
    }).await();
    int maxInFlight = 64;
    int port = listen(vertx, "app.later", new JsonObject().put("maxInFlight", maxInFlight));
    int n = 100_000;
    try (LineClient c = new LineClient(port)) {
      Thread writer = new Thread(() -> {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
          sb.append(i).append('\n');
        }
        try {
          c.send(sb.toString());
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      writer.start();
      for (int i = 0; i < n; i++) {
        String line = c.readLine();
        if (!Integer.toString(i).equals(line)) {
          throw new AssertionError("reply " + i + " was " + line);
        }
      }
      writer.join();
      Connection conn = strata.registry().open().iterator().next();
      // At most the limit plus the frames of one socket read (64 KiB of 7-byte lines).
      assertThat(conn.peakInFlight()).isLessThanOrEqualTo(maxInFlight + 65_536 / 2);
      assertThat(conn.framesOut()).isEqualTo(n);
    }
  }
}
