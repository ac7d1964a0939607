package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.exchange.Endpoint;
import dev.strata.exchange.Headers;
import dev.strata.stream.Connection;
import dev.strata.support.FrameClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Listeners with {@code correlation: multiplexed}: requests run concurrently and their replies are
 * written as they complete, each with its request's tag ({@code json}: the {@code id} field;
 * {@code length} with {@code tagBytes: 4}: the frame's first 4 bytes), over both dispatch modes. The
 * application answers each request after the delay the request names.
 */
@ExtendWith(VertxExtension.class)
class MultiplexedListenerTest {

  private Strata strata;

  @AfterEach
  void stop() {
    if (strata != null) {
      strata.stop().await();
    }
  }

  /** app.json: {"n", "delay"} answered with {"n", "tag"}; app.bytes: "delay n" answered with "done n". */
  private void start(Vertx vertx, String dispatch, int maxInFlight) {
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return Future.all(
            Endpoint.serve(vertx, "app.json", m -> {
              JsonObject b = (JsonObject) m.body();
              later(vertx, b.getLong("delay", 0L), () -> m.reply(new JsonObject().put("n", b.getValue("n"))
                  .put("tag", m.headers().get(Headers.TAG))));
            }),
            Endpoint.serve(vertx, "app.bytes", m -> {
              String[] parts = ((Buffer) m.body()).toString().split(" ");
              later(vertx, Long.parseLong(parts[0]), () -> m.reply(Buffer.buffer("done " + parts[1])));
            }));
      }
    }).await();
    JsonObject json = TestNodes.listener("json", "json", "app.json")
        .put("correlation", "multiplexed").put("dispatch", dispatch).put("maxInFlight", maxInFlight);
    JsonObject bytes = TestNodes.listener("bytes", "length", "app.bytes")
        .put("codecOptions", new JsonObject().put("tagBytes", 4))
        .put("correlation", "multiplexed").put("dispatch", dispatch).put("maxInFlight", maxInFlight);
    strata = TestNodes.start(vertx, new JsonObject().put("listeners", new JsonArray().add(json).add(bytes))
        .put("admin", new JsonObject().put("enabled", false)));
  }

  private static void later(Vertx vertx, long delay, Runnable r) {
    if (delay <= 0) {
      r.run();
    } else {
      vertx.setTimer(delay, t -> r.run());
    }
  }

  private static Buffer tagged(long tag, String payload) {
    return Buffer.buffer().appendInt((int) tag).appendString(payload);
  }

  @ParameterizedTest
  @ValueSource(strings = {"local-first", "event-bus"})
  void jsonRepliesAreWrittenAsTheyCompleteEachWithItsRequestsTag(String dispatch, Vertx vertx) throws Exception {
    start(vertx, dispatch, 256);
    try (FrameClient c = new FrameClient(strata.port("json"))) {
      for (int n = 0; n < 5; n++) { // the first asked is the slowest
        c.write(new JsonObject().put("id", 100 + n).put("n", n).put("delay", 400 - 100 * n).toBuffer());
      }
      c.flush();
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        JsonObject r = c.nextJson();
        int n = r.getInteger("n");
        order.add(n);
        assertThat(r.getValue("id")).as("the tag of the reply to %d", n).isEqualTo(100 + n);
        assertThat(r.getString("tag")).as("the tag header the application saw").isEqualTo(Integer.toString(100 + n));
      }
      assertThat(order).containsExactly(4, 3, 2, 1, 0);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local-first", "event-bus"})
  void lengthFramesWithFourByteTagsAreAnsweredAsTheyCompleteEachWithItsTag(String dispatch, Vertx vertx)
      throws Exception {
    start(vertx, dispatch, 256);
    try (FrameClient c = new FrameClient(strata.port("bytes"))) {
      for (int n = 0; n < 5; n++) {
        c.write(tagged(0xF0000000L + n, (400 - 100 * n) + " " + n)); // tags above 2^31: unsigned
      }
      c.flush();
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Buffer r = c.next();
        String text = r.getBuffer(4, r.length()).toString();
        int n = Integer.parseInt(text.substring("done ".length()));
        order.add(n);
        assertThat(r.getUnsignedInt(0)).as("the tag of the reply to %d", n).isEqualTo(0xF0000000L + n);
      }
      assertThat(order).containsExactly(4, 3, 2, 1, 0);
    }
  }

  /**
   * 200 requests of 20 KB written as fast as the socket takes them, with 4 in flight at most: the
   * socket is paused at the limit (so the application never has more than the limit plus one read's
   * frames), and every request still gets exactly one reply with its tag.
   */
  @ParameterizedTest
  @ValueSource(strings = {"local-first", "event-bus"})
  void atMaxInFlightTheSocketIsPausedAndNothingIsLost(String dispatch, Vertx vertx) throws Exception {
    int maxInFlight = 4;
    int n = 200;
    int frameBytes = 20_000;
    start(vertx, dispatch, maxInFlight);
    String pad = "x".repeat(frameBytes);
    try (FrameClient c = new FrameClient(strata.port("json"))) {
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        try {
          for (int i = 0; i < n; i++) {
            c.write(new JsonObject().put("id", i).put("n", i).put("delay", 2).put("pad", pad).toBuffer());
          }
          c.flush();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      Map<Integer, Integer> replies = new HashMap<>();
      for (int i = 0; i < n; i++) {
        JsonObject r = c.nextJson();
        assertThat(replies.put(r.getInteger("id"), r.getInteger("n"))).as("a second reply for %s", r).isNull();
      }
      writer.join();
      for (int i = 0; i < n; i++) {
        assertThat(replies.get(i)).as("the reply with tag %d", i).isEqualTo(i);
      }
      Connection conn = strata.registry().open().stream().filter(k -> k.listener().equals("json")).findFirst().orElseThrow();
      assertThat(conn.peakInFlight()).isLessThanOrEqualTo(maxInFlight + 65_536 / frameBytes + 1);
      assertThat(conn.framesOut()).isEqualTo(n);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local-first", "event-bus"})
  void aTagReusedWhileInFlightGetsAnErrorFrameWithThatTagAndTheFirstRequestItsReply(String dispatch, Vertx vertx)
      throws Exception {
    start(vertx, dispatch, 256);
    try (FrameClient c = new FrameClient(strata.port("json"))) {
      c.write(new JsonObject().put("id", 7).put("n", 1).put("delay", 300).toBuffer());
      c.write(new JsonObject().put("id", 7).put("n", 2).put("delay", 0).toBuffer());
      c.flush();
      assertThat(c.nextJson()).isEqualTo(new JsonObject().put("error", "ERR tag 7 is already in flight on this connection")
          .put("id", 7));
      assertThat(c.nextJson()).isEqualTo(new JsonObject().put("n", 1).put("tag", "7").put("id", 7));
      // the tag is free again once answered
      c.send(new JsonObject().put("id", 7).put("n", 3));
      assertThat(c.nextJson().getInteger("n")).isEqualTo(3);
    }
    try (FrameClient c = new FrameClient(strata.port("bytes"))) {
      c.write(tagged(9, "300 first")).write(tagged(9, "0 second")).flush();
      Buffer error = c.next();
      assertThat(error.getUnsignedInt(0)).isEqualTo(9);
      assertThat(error.getBuffer(4, error.length()).toString()).isEqualTo("-ERR tag 9 is already in flight on this connection");
      Buffer reply = c.next();
      assertThat(reply.getUnsignedInt(0)).isEqualTo(9);
      assertThat(reply.getBuffer(4, reply.length()).toString()).isEqualTo("done first");
    }
  }

  @Test
  void aRequestWithoutATagGetsAnErrorFrameAndTheConnectionGoesOn(Vertx vertx) throws Exception {
    start(vertx, "local-first", 256);
    try (FrameClient c = new FrameClient(strata.port("json"))) {
      c.send(new JsonObject().put("n", 1));
      assertThat(c.nextJson()).isEqualTo(new JsonObject().put("error", "ERR request without a tag (field 'id')"));
      c.send(new JsonObject().put("id", "x").put("n", 2));
      assertThat(c.nextJson()).isEqualTo(new JsonObject().put("n", 2).put("tag", "x").put("id", "x"));
    }
    try (FrameClient c = new FrameClient(strata.port("bytes"))) {
      c.send(Buffer.buffer("ab")); // shorter than its tag
      Buffer error = c.next();
      assertThat(error.getUnsignedInt(0)).isZero();
      assertThat(error.getBuffer(4, error.length()).toString()).isEqualTo("-ERR request without a tag (leading 4 bytes)");
      c.send(tagged(1, "0 next"));
      assertThat(c.next()).isEqualTo(tagged(1, "done next"));
    }
  }
}
