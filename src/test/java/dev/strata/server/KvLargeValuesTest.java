package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Values as large as Redis takes them: bulk strings up to {@code maxBulkBytes} (512 MiB by default,
 * 16 MiB here), a separate key from {@code maxFrameBytes}; over it, an error naming the bulk's length
 * and the limit, and the other clients undisturbed.
 */
class KvLargeValuesTest {

  private static final int LIMIT = 16 << 20;
  private static Vertx vertx;
  private static Strata strata;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray()
            .add(TestNodes.listener("kv", "resp", "app.kv").put("codecOptions", new JsonObject().put("maxBulkBytes", LIMIT)))
            .add(TestNodes.listener("kv-default", "resp", "app.kv")))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle")))
        .put("admin", new JsonObject().put("enabled", false)));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void oneMebibyteAndSixteenMebibytesRoundTripThroughJedis() {
    for (String listener : new String[] {"kv", "kv-default"}) {
      try (Jedis jedis = new Jedis("127.0.0.1", strata.port(listener), 30_000)) {
        for (int size : new int[] {1 << 20, 1_048_560, LIMIT}) {
          byte[] value = random(size);
          byte[] key = ("big:" + listener + ":" + size).getBytes(StandardCharsets.US_ASCII);
          assertThat(jedis.set(key, value)).isEqualTo("OK");
          assertThat(jedis.get(key)).isEqualTo(value);
          assertThat(jedis.strlen(key)).isEqualTo(size);
        }
      }
    }
  }

  @Test
  void aBulkOverTheLimitIsRefusedNamingItsLengthAndTheLimit() throws IOException {
    try (Jedis other = new Jedis("127.0.0.1", strata.port("kv"));
        Socket s = new Socket("127.0.0.1", strata.port("kv"))) {
      assertThat(other.set("before", "1")).isEqualTo("OK");
      OutputStream out = s.getOutputStream();
      out.write(("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + (LIMIT + 1) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      for (int c; (c = in.read()) != -1; ) {
        got.write(c);
      }
      assertThat(got.toString(StandardCharsets.US_ASCII))
          .isEqualTo("-ERR bulk string of " + (LIMIT + 1) + " bytes > maxBulkBytes " + LIMIT + "\r\n");
      assertThat(other.get("before")).isEqualTo("1");
      assertThat(other.exists("k")).isFalse();
    }
  }
}
