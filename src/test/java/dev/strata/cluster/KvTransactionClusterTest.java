package dev.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.ClusterConfig;
import dev.strata.server.Strata;
import dev.strata.support.RespClient;
import dev.strata.support.TestClusters;
import dev.strata.support.TestNodes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * Transactions when the listener is on member A and the store on member B (two instances there, so
 * that B's event loops run commands at once): a pipelined MULTI ... EXEC is queued in order and runs
 * alone, WATCH aborts across members, and a client that leaves mid-MULTI leaves nothing on B (the
 * close event of A's connection reaches B).
 */
class KvTransactionClusterTest {

  private static Vertx a;
  private static Vertx b;
  private static Strata strata;
  private static int port;

  @BeforeAll
  static void start() {
    String name = "strata-test-" + UUID.randomUUID();
    a = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, 5981)).await();
    b = ClusterNode.start(new VertxOptions(), ClusterConfig.defaults(), TestClusters.hazelcast(name, 5981)).await();
    b.deployVerticle("dev.strata.apps.KvVerticle", new DeploymentOptions().setInstances(2)).await();
    strata = TestNodes.start(a, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv")
            .put("instances", 2).put("requestTimeout", "10s")))
        .put("admin", new JsonObject().put("enabled", false)));
    port = strata.port("kv");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
      try (Jedis j = new Jedis("127.0.0.1", port)) {
        return "PONG".equals(j.ping());
      }
    });
  }

  @AfterAll
  static void stop() {
    strata.stop().await();
    b.close().await();
    a.close().await();
  }

  @Test
  void aPipelinedTransactionIsQueuedInOrderAndRunsWhole() throws Exception {
    try (RespClient c = new RespClient(port)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(RespClient.command("DEL", "l"));
      out.writeBytes(RespClient.command("MULTI"));
      for (int i = 0; i < 200; i++) {
        out.writeBytes(RespClient.command("RPUSH", "l", i));
      }
      out.writeBytes(RespClient.command("EXEC"));
      out.writeBytes(RespClient.command("LRANGE", "l", 0, -1));
      c.write(out.toByteArray());
      c.read();
      assertThat(c.read()).isEqualTo("OK");
      for (int i = 0; i < 200; i++) {
        assertThat(c.read()).as("reply %d", i).isEqualTo("QUEUED"); // none ran before its MULTI
      }
      List<?> replies = (List<?>) c.read();
      assertThat(replies).hasSize(200).element(199).isEqualTo(200L);
      List<String> list = new ArrayList<>();
      for (Object v : (List<?>) c.read()) {
        list.add(RespClient.text(v));
      }
      assertThat(list).hasSize(200).startsWith("0", "1", "2").endsWith("198", "199");
    }
  }

  @Test
  void transactionsRunAloneAndWatchAbortsAcrossMembers() throws Exception {
    try (Jedis jedis = new Jedis("127.0.0.1", port); Jedis other = new Jedis("127.0.0.1", port)) {
      jedis.watch("w");
      other.set("w", "changed");
      Transaction t = jedis.multi();
      t.set("w", "mine");
      assertThat(t.exec()).isNull();
      assertThat(jedis.get("w")).isEqualTo("changed");
    }
    ExecutorService pool = Executors.newFixedThreadPool(5);
    AtomicBoolean done = new AtomicBoolean();
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        writers.add(pool.submit(() -> {
          try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (int i = 0; i < 100; i++) {
              Transaction t = jedis.multi();
              t.incr("k");
              t.incr("k");
              List<Object> r = t.exec();
              assertThat((Long) r.get(1)).isEqualTo((Long) r.get(0) + 1);
            }
          }
          return null;
        }));
      }
      Future<?> reader = pool.submit(() -> {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
          while (!done.get()) {
            String v = jedis.get("k");
            assertThat(v == null || Long.parseLong(v) % 2 == 0).as("read %s", v).isTrue();
          }
        }
        return null;
      });
      for (Future<?> f : writers) {
        f.get(120, TimeUnit.SECONDS);
      }
      done.set(true);
      reader.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClientThatLeavesMidMultiLeavesNothingOnTheStoresMember() throws Exception {
    try (Jedis watcher = new Jedis("127.0.0.1", port)) {
      watcher.clientSetname("watcher");
      RespClient c = new RespClient(port);
      c.call("CLIENT", "SETNAME", "leaver");
      c.call("WATCH", "x");
      c.call("MULTI");
      c.call("SET", "left", "1");
      assertThat(watcher.clientList()).contains("name=leaver").contains("multi=1 watch=1");
      c.close();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(watcher.clientList()).doesNotContain("name=leaver"));
      assertThat(watcher.exists("left")).isFalse();
    }
  }
}
