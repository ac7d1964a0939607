package dev.strata.connector;

import static dev.strata.support.ConnectorNodes.connector;
import static dev.strata.support.ConnectorNodes.node;
import static dev.strata.support.ConnectorNodes.onContext;
import static dev.strata.support.ConnectorNodes.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.exchange.Service;
import dev.strata.server.Strata;
import dev.strata.support.FakeRemote;
import dev.strata.support.TestNodes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Multiplexed connectors against fake servers that answer out of order: every response goes to the
 * request whose tag it carries, with a 4-byte tag before each {@code length} frame, or in the
 * {@code id} field of {@code json} objects (where callers may have an {@code id} of their own).
 */
@ExtendWith(VertxExtension.class)
class ConnectorMultiplexTest {

  private Strata strata;
  private FakeRemote remote;

  @AfterEach
  void stop() {
    if (strata != null) {
      strata.stop().await();
    }
    if (remote != null) {
      remote.stop();
    }
  }

  private Connector start(Vertx vertx, JsonObject connector) {
    strata = TestNodes.start(vertx, node(connector.put("correlation", "multiplexed")));
    return strata.connectors().get(connector.getString("name"));
  }

  /** Sends every body at once through Service.at on one context; the outcomes in request order. */
  private static List<Object> all(Vertx vertx, String address, List<Object> bodies) {
    return onContext(vertx, () -> {
      Service<Object, Object> s = Service.at(vertx, address);
      List<Future<Object>> futures = new ArrayList<>();
      for (Object b : bodies) {
        futures.add(s.request(b).recover(err -> Future.succeededFuture(err)));
      }
      return Future.all(futures).map(cf -> {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
          out.add(cf.resultAt(i));
        }
        return out;
      });
    });
  }

  @Test
  void lengthFramesWithAFourByteTagAreMatchedWhenAnsweredInReverseOrder(Vertx vertx) {
    int n = 100;
    List<Buffer> held = new ArrayList<>();
    List<Long> answeredTags = new ArrayList<>();
    remote = FakeRemote.start(vertx, (conn, frame) -> {
      held.add(frame);
      if (held.size() == n) { // all in: answer the last first
        for (int i = n - 1; i >= 0; i--) {
          Buffer req = held.get(i);
          answeredTags.add(req.getUnsignedInt(0));
          conn.send(req.getBuffer(0, 4).appendString("re:").appendBuffer(req.getBuffer(4, req.length())));
        }
      }
    });
    Connector c = start(vertx, connector("tagged", remote.hostPort(), "length")
        .put("codecOptions", new JsonObject().put("tagBytes", 4)));
    List<Object> bodies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      bodies.add(Buffer.buffer("req-" + i));
    }
    List<Object> replies = all(vertx, "svc.tagged", bodies);
    for (int i = 0; i < n; i++) {
      assertThat(replies.get(i)).as("reply %d", i).isEqualTo(Buffer.buffer("re:req-" + i));
    }
    assertThat(new HashSet<>(answeredTags)).as("distinct tags on the wire").hasSize(n);
    // what the remote saw: the tag, then the caller's bytes untouched
    assertThat(held.get(0).getBuffer(4, held.get(0).length()).toString()).startsWith("req-");
    assertThat(c.count(Connector.Outcome.OK)).isEqualTo(n);
    assertThat(c.inFlight()).isZero();
  }

  /**
   * JSON objects tagged in {@code id}, answered after random delays. Callers' own objects have an
   * {@code id} that collides with the connector's tags (1), a text one, or none: the remote sees the
   * connector's tags only, and each caller gets its own {@code id} back with its answer.
   */
  @Test
  void jsonTaggedInIdIsMatchedWhateverTheOrderAndCallersKeepTheirOwnId(Vertx vertx) {
    int n = 90;
    Set<Object> idsSeenByRemote = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<Integer> answerOrder = new java.util.concurrent.CopyOnWriteArrayList<>();
    remote = FakeRemote.start(vertx, (conn, frame) -> {
      JsonObject req = new JsonObject(frame);
      idsSeenByRemote.add(req.getValue("id"));
      vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(40), t -> {
        answerOrder.add(req.getInteger("n"));
        conn.send(new JsonObject().put("id", req.getValue("id")).put("n", req.getInteger("n"))
            .put("square", req.getInteger("n") * req.getInteger("n")));
      });
    });
    start(vertx, connector("json", remote.hostPort(), "json").put("codecOptions", new JsonObject().put("tagField", "id")));
    List<Object> bodies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonObject b = new JsonObject().put("n", i);
      if (i % 3 == 0) {
        b.put("id", 1);
      } else if (i % 3 == 1) {
        b.put("id", "mine-" + i);
      }
      bodies.add(b);
    }
    List<Object> replies = all(vertx, "svc.json", bodies);
    for (int i = 0; i < n; i++) {
      JsonObject r = (JsonObject) replies.get(i);
      assertThat(r.getInteger("n")).as("reply %d", i).isEqualTo(i);
      assertThat(r.getInteger("square")).isEqualTo(i * i);
      assertThat(r.getValue("id")).as("the id of reply %d", i).isEqualTo(((JsonObject) bodies.get(i)).getValue("id"));
    }
    assertThat(idsSeenByRemote).as("the connector's tags, one per request").hasSize(n)
        .noneMatch(id -> id instanceof String);
    assertThat(answerOrder).as("answered out of order").isNotEqualTo(answerOrder.stream().sorted().toList());
    // the callers' bodies were not modified
    assertThat(bodies.get(1)).isEqualTo(new JsonObject().put("n", 1).put("id", "mine-1"));
  }

  /** A response that comes after its request timed out is dropped; it answers nobody else. */
  @Test
  void aLateResponseAfterATimeoutIsDroppedAndLaterRequestsStillMatch(Vertx vertx) {
    remote = FakeRemote.start(vertx, (conn, frame) -> {
      Buffer tag = frame.getBuffer(0, 4);
      String body = frame.getBuffer(4, frame.length()).toString();
      long delay = body.equals("slow") ? 400 : 250; // the fast ones are in flight when "slow" answers
      vertx.setTimer(delay, t -> conn.send(tag.copy().appendString("re:" + body)));
    });
    Connector c = start(vertx, connector("late", remote.hostPort(), "length")
        .put("codecOptions", new JsonObject().put("tagBytes", 4)).put("requestTimeout", "300ms"));
    Future<Object> slow = onContext(vertx, () -> Future.succeededFuture(Service.at(vertx, "svc.late",
        new DeliveryOptions().setSendTimeout(10_000)).request(Buffer.buffer("slow"))));
    ReplyException timeout = failure(slow);
    assertThat(timeout.getMessage()).startsWith("ERR svc.late: timeout");
    // the slow response arrives while these are in flight: each still gets its own
    List<Object> bodies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      bodies.add(Buffer.buffer("fast " + i));
    }
    List<Object> replies = all(vertx, "svc.late", bodies);
    for (int i = 0; i < 20; i++) {
      assertThat(replies.get(i)).isEqualTo(Buffer.buffer("re:fast " + i));
    }
    assertThat(c.count(Connector.Outcome.TIMEOUT)).isEqualTo(1);
    assertThat(c.connectionsLost()).as("a late response does not cost the connection").isZero();
  }

  private static ReplyException failure(Future<?> f) {
    try {
      within(f, 10);
    } catch (ReplyException e) {
      return e;
    }
    throw new AssertionError("the request succeeded");
  }
}
