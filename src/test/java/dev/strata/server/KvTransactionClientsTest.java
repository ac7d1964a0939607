package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.TestNodes;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Transactions as Jedis and Lettuce users write them, in their default settings (Jedis RESP2, Lettuce
 * RESP3), and EXEC's atomicity under load: the kv application and its listener run on several event
 * loops, so commands of different clients really run at once.
 */
@ExtendWith(VertxExtension.class)
class KvTransactionClientsTest {

  private Strata strata;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv").put("instances", 2)))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle").put("instances", 2)))
        .put("admin", new JsonObject().put("enabled", false)));
    port = strata.port("kv");
    try (Jedis j = new Jedis("127.0.0.1", port)) {
      j.flushAll();
    }
  }

  @AfterEach
  void stop() {
    if (strata != null) {
      strata.stop().await();
    }
  }

  @Test
  void jedisMultiExec() {
    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
      Transaction t = jedis.multi();
      Response<String> set = t.set("a", "1");
      Response<Long> incr = t.incr("a");
      Response<String> get = t.get("a");
      Response<Long> push = t.lpush("a", "x");
      List<Object> replies = t.exec();
      assertThat(replies).hasSize(4);
      assertThat(set.get()).isEqualTo("OK");
      assertThat(incr.get()).isEqualTo(2);
      assertThat(get.get()).isEqualTo("2");
      assertThat(replies.get(3)).isInstanceOf(JedisDataException.class);
      assertThat(((JedisDataException) replies.get(3)).getMessage()).startsWith("WRONGTYPE");
      org.assertj.core.api.Assertions.assertThatThrownBy(push::get).isInstanceOf(JedisDataException.class);

      Transaction discarded = jedis.multi();
      discarded.set("b", "1");
      assertThat(discarded.discard()).isEqualTo("OK");
      assertThat(jedis.exists("b")).isFalse();
    }
  }

  @Test
  void jedisWatchAbortsOnAChangeByAnother() {
    for (RedisProtocol protocol : new RedisProtocol[] {RedisProtocol.RESP2, RedisProtocol.RESP3}) {
      try (Jedis jedis = new Jedis("127.0.0.1", port, DefaultJedisClientConfig.builder().protocol(protocol).build());
          Jedis other = new Jedis("127.0.0.1", port)) {
        jedis.set("w", "0");
        assertThat(jedis.watch("w")).isEqualTo("OK");
        other.set("w", "1");
        Transaction t = jedis.multi();
        t.set("w", "mine");
        assertThat(t.exec()).as(protocol.name()).isNull();
        assertThat(jedis.get("w")).isEqualTo("1");

        jedis.watch("w");
        Transaction untouched = jedis.multi();
        untouched.set("w", "mine");
        assertThat(untouched.exec()).containsExactly("OK");
        assertThat(jedis.get("w")).isEqualTo("mine");
      }
    }
  }

  @Test
  void lettuceMultiExecAndWatch() {
    RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
        .withTimeout(Duration.ofSeconds(10)).build());
    try (StatefulRedisConnection<String, String> connection = client.connect();
        StatefulRedisConnection<String, String> otherConnection = client.connect()) {
      RedisCommands<String, String> redis = connection.sync();
      assertThat(redis.multi()).isEqualTo("OK");
      redis.set("a", "1");
      redis.incr("a");
      redis.hset("h", "f", "v");
      redis.hgetall("h");
      TransactionResult result = redis.exec();
      assertThat(result.wasDiscarded()).isFalse();
      assertThat(result.<String>get(0)).isEqualTo("OK");
      assertThat(result.<Long>get(1)).isEqualTo(2L);
      assertThat(result.<Boolean>get(2)).isTrue();
      assertThat(result.<java.util.Map<String, String>>get(3)).isEqualTo(java.util.Map.of("f", "v"));

      redis.watch("a");
      otherConnection.sync().set("a", "changed");
      redis.multi();
      redis.set("a", "mine");
      assertThat(redis.exec().wasDiscarded()).isTrue();
      assertThat(redis.get("a")).isEqualTo("changed");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /**
   * N clients each run MULTI INCR k INCR k EXEC, pipelined (as Jedis sends it) and over and over, while
   * others read k: were EXEC not atomic, a read would land between the two INCRs and see an odd value.
   */
  @Test
  void readersNeverSeeHalfATransaction() throws Exception {
    int writers = 6;
    int readers = 3;
    int rounds = 300;
    ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    ConcurrentLinkedQueue<String> odd = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> writing = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        writing.add(pool.submit(() -> {
          try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            go.await();
            for (int i = 0; i < rounds; i++) {
              Transaction t = jedis.multi();
              t.incr("k");
              t.incr("k");
              List<Object> replies = t.exec();
              assertThat(replies).hasSize(2);
              assertThat((Long) replies.get(1)).isEqualTo((Long) replies.get(0) + 1); // nothing in between
            }
          }
          return null;
        }));
      }
      List<Future<?>> reading = new ArrayList<>();
      for (int r = 0; r < readers; r++) {
        reading.add(pool.submit(() -> {
          try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            go.await();
            while (!done.get()) {
              String v = jedis.get("k");
              reads.incrementAndGet();
              if (v != null && Long.parseLong(v) % 2 != 0) {
                odd.add(v);
              }
            }
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : writing) {
        f.get(120, TimeUnit.SECONDS);
      }
      done.set(true);
      for (Future<?> f : reading) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(odd).as("odd values read among %d reads", reads.get()).isEmpty();
    assertThat(reads.get()).isPositive();
    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
      assertThat(jedis.get("k")).isEqualTo(Long.toString(2L * writers * rounds));
    }
  }

  /**
   * Two stores on one node, transactions on both at once: their EXECs wait for the same event loops, so
   * the node has one gate (with one per store, two EXECs could each wait for the other's loop).
   */
  @Test
  void transactionsOnTwoStoresOfOneNodeDoNotWaitForEachOther() throws Exception {
    strata.stop().await();
    Vertx twoLoops = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2)); // both stores on both loops
    strata = TestNodes.start(twoLoops, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv").put("instances", 2))
            .add(TestNodes.listener("kv2", "resp", "app.kv2").put("instances", 2)))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle").put("instances", 2))
            .add(TestNodes.app("dev.strata.apps.KvVerticle").put("instances", 2)
                .put("config", new JsonObject().put("address", "app.kv2"))))
        .put("admin", new JsonObject().put("enabled", false)));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int w = 0; w < 6; w++) {
        int p = strata.port(w % 2 == 0 ? "kv" : "kv2");
        all.add(pool.submit(() -> {
          try (Jedis jedis = new Jedis("127.0.0.1", p)) {
            for (int i = 0; i < 200; i++) {
              Transaction t = jedis.multi();
              t.incr("k");
              t.incr("k");
              assertThat(t.exec()).hasSize(2);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    try (Jedis one = new Jedis("127.0.0.1", strata.port("kv")); Jedis two = new Jedis("127.0.0.1", strata.port("kv2"))) {
      assertThat(one.get("k")).isEqualTo("1200");
      assertThat(two.get("k")).isEqualTo("1200");
    } finally {
      strata.stop().await();
      strata = null;
      twoLoops.close().await();
    }
  }
}
