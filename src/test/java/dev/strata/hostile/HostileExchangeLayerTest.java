package dev.strata.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request/response layer's hostile clients against one real node while its canary does round
 * trips: 100,000 requests pipelined in one write, a rate-limited client, requests to an application
 * that fails, one that never answers and an address nobody serves, and a pipeline far deeper than
 * {@code maxInFlight} to a slow application. Every accepted request gets exactly one answer, the reply
 * or one error, in order.
 */
class HostileExchangeLayerTest {

  private static HostileNode node;

  @BeforeAll
  static void start() {
    JsonArray listeners = new JsonArray()
        .add(TestNodes.listener("echo", "lines", "app.mirror"))
        .add(TestNodes.listener("rate", "lines", "app.mirror").put("rateLimit", new JsonObject().put("perSecond", 1)
            .put("burst", 5)))
        .add(TestNodes.listener("fail", "lines", "app.fail"))
        .add(TestNodes.listener("silent", "lines", "app.silent").put("requestTimeout", "300ms"))
        .add(TestNodes.listener("nobody", "lines", "app.nobody"))
        .add(TestNodes.listener("slow", "lines", "app.slow").put("maxInFlight", 4));
    node = new HostileNode(listeners, new JsonObject());
  }

  @AfterEach
  void settle() {
    node.settle();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void aHundredThousandRequestsInOneWriteAreAllAnsweredInOrder() throws Exception {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      all.append(i).append('\n');
    }
    try (LineClient c = new LineClient(node.port("echo"))) {
      Thread writer = new Thread(() -> {
        try {
          c.send(all.toString()); // one write of 588,890 bytes; the node pauses and resumes reading it
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      writer.start();
      for (int i = 0; i < 100_000; i++) {
        assertThat(c.readLine()).isEqualTo(Integer.toString(i));
      }
      writer.join(10_000);
    }
  }

  @Test
  void overTheRateLimitEachRequestIsAnsweredWithAnErrorInItsPlace() throws Exception {
    try (LineClient c = new LineClient(node.port("rate"))) {
      StringBuilder burst = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        burst.append("r").append(i).append('\n');
      }
      c.send(burst.toString());
      int replies = 0;
      int refused = 0;
      for (int i = 0; i < 20; i++) {
        String line = c.readLine();
        if (line.equals("r" + i)) {
          replies++;
        } else {
          assertThat(line).startsWith("-ERR rate limit: more than 1 requests per second");
          refused++;
        }
      }
      assertThat(replies).as("the burst, and what refilled meanwhile").isBetween(5, 7);
      assertThat(replies + refused).isEqualTo(20);
      assertThat(node.strata.registry().stats("rate").rateLimited()).isEqualTo(refused);
    }
  }

  @Test
  void failuresTimeoutsAndNoApplicationEachGetOneErrorInOrder() throws Exception {
    for (String listener : new String[] {"fail", "silent", "nobody"}) {
      try (LineClient c = new LineClient(node.port(listener))) {
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 50; i++) {
          pipeline.append("q").append(i).append('\n');
        }
        c.send(pipeline.toString());
        for (int i = 0; i < 50; i++) {
          String line = c.readLine();
          assertThat(line).as("%s, request %d", listener, i).startsWith("-ERR");
          switch (listener) {
            case "fail" -> assertThat(line).contains("boom");
            case "silent" -> assertThat(line).contains("timeout");
            default -> assertThat(line).contains("app.nobody");
          }
        }
        assertThat(c.request("after")).as("%s: the connection goes on", listener).startsWith("-ERR");
      }
    }
  }

  @Test
  void aPipelineFarDeeperThanMaxInFlightIsAnsweredInFull() throws Exception {
    try (LineClient c = new LineClient(node.port("slow"))) {
      StringBuilder deep = new StringBuilder();
      for (int i = 0; i < 2000; i++) {
        deep.append("d").append(i).append('\n');
      }
      c.send(deep.toString());
      for (int i = 0; i < 2000; i++) {
        assertThat(c.readLine()).isEqualTo("d" + i);
      }
      assertThat(node.strata.registry().recentlyClosed()).noneMatch(x -> x.listener().equals("slow"));
    }
  }
}
