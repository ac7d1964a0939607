package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.exchange.Headers;
import dev.strata.server.ContractNodes.Deployed;
import dev.strata.support.LineClient;
import dev.strata.support.RespClient;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The answers the contract promises on every {@link ContractPath}: exactly one error frame, in request
 * order and with the same text, for a handler that throws, one that never replies, a reply after the
 * timeout and a reply the event bus cannot carry; and where a push to {@code strata.conn.<id>} is
 * written while requests are in flight (after the replies owed, or at once as a RESP3 push frame).
 */
class ServiceContractAnswersTest {

  private static ContractNodes nodes;

  @BeforeAll
  static void nodes() {
    nodes = new ContractNodes();
  }

  @AfterAll
  static void close() {
    nodes.close();
  }

  @ParameterizedTest
  @EnumSource(ContractPath.class)
  void everyFailureGetsExactlyOneErrorFrameInRequestOrder(ContractPath path) throws Exception {
    // a timeout of 1 s, not less: on a busy machine a GC pause must not turn "throw" or "odd" into a timeout
    AtomicBoolean lateReplied = new AtomicBoolean();
    try (Deployed d = nodes.deploy(path, "lines", (app, msg) -> {
      switch ((String) msg.body()) {
        case "throw" -> throw new IllegalStateException("boom");
        case "silent" -> {
        }
        case "late" -> app.vertx().setTimer(1_500, t -> {
          msg.reply("too late");
          lateReplied.set(true);
        });
        case "odd" -> msg.reply(new Object());
        default -> msg.reply(msg.body());
      }
    }, new DeploymentOptions(), new JsonObject().put("requestTimeout", "1s")); LineClient c = new LineClient(d.port())) {
      c.send("throw\nsilent\nlate\nodd\nok\n");
      String timeout = "-ERR timeout: no reply from " + d.address + " within 1000 ms";
      assertThat(c.readLine()).isEqualTo("-ERR application failed: IllegalStateException: boom");
      assertThat(c.readLine()).isEqualTo(timeout);
      assertThat(c.readLine()).isEqualTo(timeout);
      assertThat(c.readLine()).isEqualTo("-ERR reply not sendable: No message codec for type: class java.lang.Object");
      assertThat(c.readLine()).isEqualTo("ok");
      // the late reply has been sent: had it been written, it would come before the next answer
      await().atMost(Duration.ofSeconds(5)).untilTrue(lateReplied);
      assertThat(c.request("still serving")).isEqualTo("still serving");
      assertThat(c.request("throw")).isEqualTo("-ERR application failed: IllegalStateException: boom");
      assertThat(c.request("again")).isEqualTo("again");
    }
  }

  /** An application that holds each request whose body (first argument for RESP) is "hold" until told. */
  private static final class Holding {
    final AtomicReference<Message<Object>> held = new AtomicReference<>();

    void handle(Message<Object> msg, String command) {
      switch (command) {
        case "hold" -> held.set(msg);
        case "hello" -> msg.reply(new JsonObject().put("server", "contract").put("proto", 3L),
            new DeliveryOptions().addHeader(Headers.PROTOCOL, "3"));
        default -> msg.reply(command);
      }
    }

    /** Waits until a request is held and returns it, for the test to answer. */
    Message<Object> awaitHeld() {
      await().atMost(Duration.ofSeconds(10)).until(() -> held.get() != null);
      return held.getAndSet(null);
    }
  }

  private static String command(Object body) {
    return body instanceof List<?> l ? RespClient.text(l.get(0)).toLowerCase(java.util.Locale.ROOT) : String.valueOf(body);
  }

  /**
   * Pushes {@code body} to the listener's only connection from the application's node (across the
   * cluster: from member B to a connection on A); the push address may need a moment to be known there.
   */
  private static void push(Deployed d, Object body) {
    Vertx from = d.appNode;
    String address = Headers.pushAddress(d.connection().id());
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try {
        from.eventBus().request(address, body).await();
        return true;
      } catch (ReplyException e) {
        if (e.failureType() == ReplyFailure.NO_HANDLERS) {
          return false; // not delivered: the registration has not reached this member yet
        }
        throw e;
      }
    });
  }

  @ParameterizedTest
  @EnumSource(ContractPath.class)
  void pushOnPipelinedLinesIsWrittenAfterTheRepliesOwed(ContractPath path) throws Exception {
    Holding app = new Holding();
    try (Deployed d = nodes.deploy(path, "lines", (a, msg) -> app.handle(msg, command(msg.body())));
        LineClient c = new LineClient(d.port())) {
      c.send("hold\n");
      Message<Object> held = app.awaitHeld();
      push(d, "pushed while a reply is owed");
      held.reply("held reply");
      assertThat(c.readLine()).isEqualTo("held reply");
      assertThat(c.readLine()).isEqualTo("pushed while a reply is owed");
      // with nothing owed, a push is written at once
      push(d, "pushed when idle");
      assertThat(c.readLine()).isEqualTo("pushed when idle");
      assertThat(c.request("after")).isEqualTo("after");
    }
  }

  @ParameterizedTest
  @EnumSource(ContractPath.class)
  void pushAfterHello3IsAResp3PushFrameWrittenAtOnce(ContractPath path) throws Exception {
    Holding app = new Holding();
    try (Deployed d = nodes.deploy(path, "resp", (a, msg) -> app.handle(msg, command(msg.body())));
        RespClient c = new RespClient(d.port())) {
      Object hello = c.call("HELLO", "3");
      assertThat(hello).as("the HELLO 3 reply, a RESP3 map").isInstanceOf(Map.class);
      assertThat(((Map<?, ?>) hello).get("proto")).isEqualTo(3L);
      c.send("HOLD");
      Message<Object> held = app.awaitHeld();
      push(d, "news");
      assertThat(c.read()).as("the push, before the reply still owed")
          .isInstanceOfSatisfying(RespClient.Push.class, p -> assertThat(p.items()).hasSize(1)
              .first().satisfies(v -> assertThat(RespClient.text(v)).isEqualTo("news")));
      held.reply("held reply");
      assertThat(c.read()).isEqualTo("held reply");
      assertThat(c.call("PING")).isEqualTo("ping");
    }
  }

  @ParameterizedTest
  @EnumSource(ContractPath.class)
  void pushOnResp2IsWrittenAfterTheRepliesOwed(ContractPath path) throws Exception {
    Holding app = new Holding();
    try (Deployed d = nodes.deploy(path, "resp", (a, msg) -> app.handle(msg, command(msg.body())));
        RespClient c = new RespClient(d.port())) {
      c.send("HOLD");
      Message<Object> held = app.awaitHeld();
      push(d, "news");
      held.reply("held reply");
      assertThat(c.read()).isEqualTo("held reply");
      assertThat(c.read()).as("a RESP2 push: a plain reply frame, in order").isEqualTo("news");
      assertThat(c.call("PING")).isEqualTo("ping");
    }
  }
}
