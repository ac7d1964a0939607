package dev.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.support.BridgeClient;
import dev.strata.support.ChildNode;
import dev.strata.support.LineClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Push addresses across member processes. A member registers no consumer for its connections'
 * {@code strata.conn.<id>} (no cluster-wide write, nor a trip through the cluster manager, per connection):
 * its push routes hand a push to its own connection and route other members' pushes by the member number
 * the id carries (PushRoutes). Member a holds two line clients; member b holds one, a
 * bridge whose client pushes to a's connections, and an application that does ({@link PusherVerticle}).
 */
class PushAcrossMembersTest {

  static final String BRIDGE = """
      bridge:
        port: %d
        inbound: ['strata\\.conn\\..+']
      """;

  /** A member with a {@code lines} listener whose requests go to {@link PusherVerticle} on the same member. */
  static ChildNode member(String name, String cluster, int linesPort, String extra) {
    return ChildNode.start(name, """
        listeners:
          - {name: lines, host: 127.0.0.1, port: %d, codec: lines, address: app.push}
        apps:
          - {verticle: dev.strata.cluster.PusherVerticle}
        """.formatted(linesPort) + extra + cluster, List.of("-Xmx256m"), List.of("--cluster"));
  }

  /** The id member {@code node} gave the connection of {@code client}, from its admin API. */
  static long idOf(ChildNode node, LineClient client) {
    String local = ":" + client.socket().getLocalPort();
    return await().atMost(Duration.ofSeconds(10)).until(() -> node.get("/api/connections").getJsonArray("connections")
            .stream().map(o -> (JsonObject) o).filter(c -> c.getString("remote", "").endsWith(local))
            .map(c -> c.getLong("id")).findFirst().orElse(null), id -> id != null);
  }

  @Test
  void aPushFromAnotherMembersBridgeReachesExactlyThatConnection() throws Exception {
    String cluster = MemberLeftTest.cluster("push");
    int portA = ChildNode.freePort();
    int portB = ChildNode.freePort();
    int bridgePort = ChildNode.freePort();
    try (ChildNode a = member("push-a", cluster, portA, "");
        ChildNode b = member("push-b", cluster, portB, BRIDGE.formatted(bridgePort));
        LineClient target = new LineClient(portA);
        LineClient bystander = new LineClient(portA);
        LineClient onB = new LineClient(portB);
        BridgeClient bridge = new BridgeClient(bridgePort, 20_000)) {
      long targetId = idOf(a, target);
      long bystanderId = idOf(a, bystander);
      long onBId = idOf(b, onB);
      assertThat(targetId >> 40).isNotEqualTo(onBId >> 40); // the member number is in the id

      // a plain send: no reply asked for
      bridge.send(new JsonObject().put("type", "send").put("address", "strata.conn." + targetId).put("body", "hello"));
      assertThat(target.readLine()).isEqualTo("hello");

      // a request: the connection's answer comes back across the members to the bridge client
      bridge.send(BridgeClient.request("strata.conn." + targetId, "asked", "r1"));
      JsonObject reply = bridge.next();
      assertThat(reply.getString("type")).as(reply.encode()).isEqualTo("message");
      assertThat(reply.getString("address")).isEqualTo("r1");
      assertThat(target.readLine()).isEqualTo("asked");

      // a publish reaches it too
      bridge.send(new JsonObject().put("type", "publish").put("address", "strata.conn." + targetId).put("body", "all"));
      assertThat(target.readLine()).isEqualTo("all");

      // an application on member b pushes to it (asked by b's own client)
      assertThat(onB.request(targetId + " from an application on b")).isEqualTo("pushed");
      assertThat(target.readLine()).isEqualTo("from an application on b");

      // nobody else got any of it: the first line each of the others reads is its own push
      bridge.send(new JsonObject().put("type", "send").put("address", "strata.conn." + bystanderId).put("body", "yours"));
      bridge.send(new JsonObject().put("type", "send").put("address", "strata.conn." + onBId).put("body", "local"));
      assertThat(bystander.readLine()).isEqualTo("yours");
      assertThat(onB.readLine()).isEqualTo("local");

      // a connection that closed: a clear failure at once, from the member that held it
      long closedId = bystanderId;
      bystander.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> a.get("/api/connections").getJsonArray("connections")
          .stream().noneMatch(c -> ((JsonObject) c).getLong("id") == closedId));
      bridge.send(BridgeClient.request("strata.conn." + closedId, "late", "r2"));
      JsonObject gone = bridge.next();
      assertThat(gone.getString("type")).as(gone.encode()).isEqualTo("err");
      assertThat(gone.getString("failureType")).isEqualTo("NO_HANDLERS");
      assertThat(gone.getString("message")).isEqualTo("no connection " + closedId + " on member n" + (closedId >> 40));

      // the same from an application on member a to a connection of its own member (handed over by the
      // interceptor: no consumer per connection); a closed one fails as the bus always did
      try (LineClient asker = new LineClient(portA)) {
        assertThat(asker.request(targetId + " from next door")).isEqualTo("pushed");
        assertThat(target.readLine()).isEqualTo("from next door");
        assertThat(asker.request(closedId + " anyone?")).isEqualTo("failed: No handlers for address strata.conn." + closedId);
      }

      // member a is killed: a push to its connection fails fast (not after the 60 s timeout asked for)
      a.kill();
      long killedAt = System.nanoTime();
      bridge.send(BridgeClient.request("strata.conn." + targetId, "anyone?", "r3")
          .put("headers", new JsonObject().put("timeout", "60000")));
      JsonObject left = bridge.next();
      long ms = (System.nanoTime() - killedAt) / 1_000_000;
      assertThat(left.getString("type")).as(left.encode()).isEqualTo("err");
      assertThat(left.getString("failureType")).isEqualTo("NO_HANDLERS");
      assertThat(left.getString("message"))
          .isEqualTo("no connection " + targetId + ": its member n" + (targetId >> 40) + " is not in the cluster");
      assertThat(ms).as("answered %d ms after the kill", ms).isLessThan(15_000);
      System.out.printf("push to a killed member's connection failed after %d ms%n", ms);

      // the application on b is told too
      assertThat(onB.request(targetId + " still there?"))
          .isEqualTo("failed: no connection " + targetId + ": its member n" + (targetId >> 40) + " is not in the cluster");

      // and from then on at once, without trying
      bridge.send(BridgeClient.request("strata.conn." + targetId, "again", "r4")
          .put("headers", new JsonObject().put("timeout", "60000")));
      assertThat(bridge.next().getString("message")).contains("is not in the cluster");
    }
  }
}
