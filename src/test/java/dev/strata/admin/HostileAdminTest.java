package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.AdminConfig;
import dev.strata.config.HealthConfig;
import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The node under abuse, as the admin API and {@code /health} report it: a listener at its
 * {@code maxConnections} refuses at once and counts; a blocked event loop and memory pressure turn
 * {@code /health} DOWN with the reason.
 */
class HostileAdminTest {

  private static Vertx vertx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @Test
  void aConnectionOverMaxConnectionsIsClosedAtOnceAndCountedAsRejected() throws Exception {
    JsonObject node = TestNodes.defaultNode();
    node.getJsonArray("listeners").add(TestNodes.listener("capped", "lines", "app.echo").put("maxConnections", 5));
    try (AdminHarness admin = AdminHarness.start(vertx, node, "127.0.0.1", AdminHarness.TOKEN)) {
      List<LineClient> held = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          LineClient c = new LineClient(admin.port("capped"));
          held.add(c);
          assertThat(c.request("hello " + i)).isEqualTo("hello " + i);
        }
        try (LineClient sixth = new LineClient(admin.port("capped"))) {
          assertThat(sixth.closedByServer()).as("the 6th is closed, not left waiting").isTrue();
        }
        JsonObject connections = admin.listener("capped").getJsonObject("connections");
        assertThat(connections.getInteger("max")).isEqualTo(5);
        assertThat(connections.getInteger("current")).isEqualTo(5);
        assertThat(connections.getInteger("rejected")).isEqualTo(1);
        assertThat(held.get(0).request("still served")).isEqualTo("still served");

        held.remove(0).close();
        await().atMost(Duration.ofSeconds(5))
            .until(() -> admin.listener("capped").getJsonObject("connections").getInteger("current") == 4);
        try (LineClient again = new LineClient(admin.port("capped"))) {
          assertThat(again.request("room again")).isEqualTo("room again");
        }
      } finally {
        for (LineClient c : held) {
          c.close();
        }
      }
      assertThat(admin.listener("echo").getJsonObject("connections").getInteger("max"))
          .as("an unconfigured listener gets a share of the open-file budget")
          .isEqualTo(admin.strata.connectionBudget().maxConnections("echo"))
          .isLessThan((int) admin.strata.connectionBudget().fileLimit());
    }
  }

  @Test
  void aBlockedEventLoopMakesHealthDownNamingItThenUpAgain() throws Exception {
    Context adminContext = vertx.getOrCreateContext(); // a new event-loop context: the test thread is no Vert.x thread
    String adminThread = threadOf(adminContext);
    AdminConfig config = new AdminConfig(true, "127.0.0.1", 0, null, null, new HealthConfig(null, Duration.ofSeconds(1)));
    try (AdminHarness admin = AdminHarness.start(vertx, TestNodes.defaultNode(), config, adminContext)) {
      assertThat(health(admin).getString("status")).isEqualTo("UP");
      // the loop to block must not be the one serving /health, or no answer could come while it is blocked
      String blocked = null;
      for (int i = 0; blocked == null || blocked.equals(adminThread); i++) {
        Blocker blocker = new Blocker("test.block." + i);
        vertx.deployVerticle(blocker).await();
        blocked = blocker.thread;
        if (blocked.equals(adminThread)) {
          continue;
        }
        vertx.eventBus().send(blocker.address, 3_000L);
      }
      String name = blocked;
      await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
        JsonObject h = health(admin);
        assertThat(h.getString("status")).isEqualTo("DOWN");
        assertThat(check(h, "event-loops").getJsonObject("data").getString("reason"))
            .startsWith("event loop blocked").contains(name);
      });
      await().atMost(Duration.ofSeconds(5)).until(() -> health(admin).getString("status").equals("UP"));
    }
  }

  @Test
  void memoryPressureMakesHealthDownWithTheReason() {
    // a threshold of 0.1% of the heap stands for a heap nearly full of live data
    AdminConfig config = new AdminConfig(true, "127.0.0.1", 0, null, null, new HealthConfig(0.001, null));
    try (AdminHarness admin = AdminHarness.start(vertx, TestNodes.defaultNode(), config)) {
      System.gc(); // a collection must have happened for "after the last collection" to mean anything
      HttpResponse<String> r = admin.get("/health");
      assertThat(r.statusCode()).isEqualTo(503);
      JsonObject heap = check(new JsonObject(r.body()), "heap");
      assertThat(heap.getString("status")).isEqualTo("DOWN");
      assertThat(heap.getJsonObject("data").getString("reason")).startsWith("memory pressure")
          .contains("admin.health.maxHeapAfterGc 0.001");
    }
    try (AdminHarness admin = AdminHarness.start(vertx, TestNodes.defaultNode(), "127.0.0.1", null)) {
      assertThat(check(health(admin), "heap").getString("status")).as("at the default 0.9").isEqualTo("UP");
    }
  }

  private static JsonObject health(AdminHarness admin) {
    return new JsonObject(admin.get("/health").body());
  }

  private static JsonObject check(JsonObject health, String id) {
    JsonArray checks = health.getJsonArray("checks");
    return checks.stream().map(JsonObject.class::cast).filter(c -> c.getString("id").equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + id + " in " + health.encode()));
  }

  private static String threadOf(Context context) {
    Promise<String> name = Promise.promise();
    context.runOnContext(v -> name.complete(Thread.currentThread().getName()));
    return name.future().await();
  }

  /** Test only: blocks its event loop on purpose, for as long as it is told, to test the health check. */
  private static final class Blocker extends VerticleBase {
    final String address;
    volatile String thread;

    Blocker(String address) {
      this.address = address;
    }

    @Override
    public Future<?> start() {
      thread = Thread.currentThread().getName();
      return vertx.eventBus().<Long>consumer(address, m -> {
        try {
          Thread.sleep(m.body()); // deliberately blocking an event loop: the situation under test
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }).completion();
    }
  }
}
