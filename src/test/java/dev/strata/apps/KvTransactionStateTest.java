package dev.strata.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.exchange.Headers;
import dev.strata.server.Strata;
import dev.strata.support.RespClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the store keeps for transactions, seen from inside: a connection that leaves mid-MULTI (or
 * while watching keys) leaves nothing behind, and once no connection is in MULTI the commands of
 * everyone are back on the path that looks nothing up and takes no lock.
 */
@ExtendWith(VertxExtension.class)
class KvTransactionStateTest {

  private Vertx vertx;
  private Strata strata;
  private KvStore store;
  private KvClients clients;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv")))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle")
            .put("config", new JsonObject().put("store", "state-test"))))
        .put("admin", new JsonObject().put("enabled", false)));
    store = KvStore.of(vertx, "state-test");
    clients = KvClients.of(vertx, "state-test", null);
  }

  @AfterEach
  void stop() {
    strata.stop().await();
  }

  @Test
  void aConnectionClosedMidMultiLeavesNothingBehind() throws Exception {
    RespClient c = new RespClient(strata.port("kv"));
    c.call("WATCH", "a", "b");
    c.call("MULTI");
    c.call("SET", "a", "1");
    assertThat(clients.multis().get()).isEqualTo(1);
    assertThat(store.watches().any()).isTrue();
    assertThat(clients.all()).hasSize(1);
    c.close();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(clients.multis().get()).isZero();
      assertThat(store.watches().any()).isFalse();
      assertThat(clients.all()).isEmpty();
    });
    assertThat(store.get(io.vertx.core.buffer.Buffer.buffer("a"))).isNull();
  }

  @Test
  void execDiscardAndResetLeaveNothingEngaged() throws Exception {
    try (RespClient c = new RespClient(strata.port("kv"))) {
      c.call("WATCH", "a");
      c.call("MULTI");
      c.call("INCR", "a");
      c.call("EXEC");
      c.call("MULTI");
      c.call("DISCARD");
      c.call("WATCH", "b");
      c.call("MULTI");
      c.call("RESET");
      assertThat(clients.multis().get()).isZero();
      assertThat(store.watches().any()).isFalse();
      assertThat(store.gate().engaged()).isFalse();
      assertThat(clients.all().get(0).transaction().queued()).isEqualTo(-1);
    }
  }

  @Test
  void aRequestStillInFlightWhenItsConnectionClosedKeepsNothing() {
    DeliveryOptions of42 = new DeliveryOptions().addHeader(Headers.CONNECTION, "42").addHeader(Headers.REMOTE, "10.0.0.1:5000");
    vertx.eventBus().publish(Headers.CONNECTION_CLOSED, 42L, new DeliveryOptions().setLocalOnly(true)
        .addHeader(Headers.REMOTE, "10.0.0.1:5000"));
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      try {
        vertx.eventBus().request("app.kv", "MULTI", of42).await();
        return false;
      } catch (RuntimeException e) {
        return e.getMessage().contains("needs a connection"); // the close was heard: no state made for 42
      }
    });
    assertThat(clients.multis().get()).isZero();
    assertThat(clients.all()).isEmpty();
  }
}
