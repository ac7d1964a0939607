package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The kv application over text lines, as a person with nc would use it. */
@ExtendWith(VertxExtension.class)
class KvLinesEndToEndTest {

  private Strata strata;
  private LineClient c;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    strata = TestNodes.start(vertx, TestNodes.defaultNode());
    c = new LineClient(strata.port("kv-lines"));
    c.request("FLUSHDB");
  }

  @AfterEach
  void stop() throws Exception {
    c.close();
    strata.stop().await();
  }

  @Test
  void setGetDelete() throws Exception {
    assertThat(c.request("GET missing")).isEqualTo("(nil)");
    assertThat(c.request("SET greeting \"hello world\"")).isEqualTo("OK");
    assertThat(c.request("get greeting")).isEqualTo("hello world");
    assertThat(c.request("EXISTS greeting missing")).isEqualTo("1");
    assertThat(c.request("DEL greeting missing")).isEqualTo("1");
    assertThat(c.request("GET greeting")).isEqualTo("(nil)");
  }

  @Test
  void countersAndTheirErrors() throws Exception {
    assertThat(c.request("INCR n")).isEqualTo("1");
    assertThat(c.request("INCRBY n 41")).isEqualTo("42");
    assertThat(c.request("DECR n")).isEqualTo("41");
    c.request("SET word abc");
    assertThat(c.request("INCR word")).isEqualTo("-ERR value is not an integer or out of range");
  }

  @Test
  void setOptionsAndExpiry() throws Exception {
    assertThat(c.request("SET k v NX")).isEqualTo("OK");
    assertThat(c.request("SET k w NX")).isEqualTo("(nil)");
    assertThat(c.request("SET other w XX")).isEqualTo("(nil)");
    assertThat(c.request("SET k w EX 100")).isEqualTo("OK");
    assertThat(Long.parseLong(c.request("TTL k"))).isBetween(99L, 100L);
    assertThat(c.request("PERSIST k")).isEqualTo("1");
    assertThat(c.request("TTL k")).isEqualTo("-1");
    assertThat(c.request("TTL nothing")).isEqualTo("-2");
    assertThat(c.request("SET gone x PX 1")).isEqualTo("OK");
    org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(c.request("GET gone")).isEqualTo("(nil)"));
    assertThat(c.request("SET k v EX")).isEqualTo("-ERR syntax error");
  }

  @Test
  void multiKeyCommandsAndDbsize() throws Exception {
    assertThat(c.request("MSET a 1 b 2")).isEqualTo("OK");
    assertThat(c.request("MGET a b c")).isEqualTo("1 2 (nil)");
    assertThat(c.request("DBSIZE")).isEqualTo("2");
  }

  @Test
  void wrongTypeAritiesAndUnknownCommandsAnswerAsRedisDoes() throws Exception {
    c.request("RPUSH list x y");
    assertThat(c.request("GET list")).startsWith("-WRONGTYPE");
    assertThat(c.request("LRANGE list 0 -1")).isEqualTo("x y");
    assertThat(c.request("GET")).isEqualTo("-ERR wrong number of arguments for 'get' command");
    assertThat(c.request("FROB a b")).startsWith("-ERR unknown command 'FROB'");
    assertThat(c.request("PING")).isEqualTo("PONG");
  }

  @Test
  void quitAnswersOkThenCloses() throws Exception {
    assertThat(c.request("QUIT")).isEqualTo("OK");
    assertThat(c.closedByServer()).isTrue();
  }

  @Test
  void sameStoreAcrossConnections() throws Exception {
    c.request("SET shared 7");
    try (LineClient other = new LineClient(strata.port("kv-lines"))) {
      assertThat(other.request("GET shared")).isEqualTo("7");
    }
  }
}
