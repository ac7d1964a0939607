package dev.strata.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.framing.Codecs;
import dev.strata.server.Strata;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** strata bench counts every reply and every error, closed loop and at a fixed rate (correctness only). */
@ExtendWith(VertxExtension.class)
class LoadGeneratorTest {

  /** Open loop: request k is due at k periods; counting whole periods only sent each one period late. */
  @Test
  void theFirstRequestOfAFixedRateRunIsDueAtOnce() {
    long period = 2_500_000;
    assertThat(LoadGenerator.dueBy(0, period)).isEqualTo(1);
    assertThat(LoadGenerator.dueBy(period - 1, period)).isEqualTo(1);
    assertThat(LoadGenerator.dueBy(period, period)).isEqualTo(2);
    assertThat(LoadGenerator.dueBy(10 * period + 1, period)).isEqualTo(11);
  }

  @Test
  void countsRepliesAndErrorsOverLinesAndResp(Vertx vertx) throws Exception {
    Strata strata = TestNodes.start(vertx, TestNodes.defaultNode().put("listeners", new JsonArray()
        .add(TestNodes.listener("echo", "lines", "app.echo"))
        .add(TestNodes.listener("kv", "resp", "app.kv"))));
    Vertx client = Vertx.vertx();
    try {
      PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
      BenchOptions lines = new BenchOptions("127.0.0.1", strata.port("echo"), "lines", 4, 8, Duration.ZERO,
          2_000, 16, 0, "{payload}", 10, Duration.ZERO);
      BenchReport r = LoadGenerator.runBlocking(client, lines, Codecs.create("lines", null, Map.of()), quiet);
      assertThat(r.replies()).isEqualTo(2_000);
      assertThat(r.errors()).isZero();
      assertThat(r.latencyMicros().getTotalCount()).isEqualTo(2_000);

      BenchOptions unknown = new BenchOptions("127.0.0.1", strata.port("kv"), "resp", 2, 4, Duration.ZERO,
          500, 0, 2_000, "FROB {rand}", 10, Duration.ZERO);
      BenchReport e = LoadGenerator.runBlocking(client, unknown, Codecs.create("resp", null, Map.of()), quiet);
      assertThat(e.replies()).isEqualTo(500);
      assertThat(e.errors()).isEqualTo(500);
    } finally {
      client.close().await();
      strata.stop().await();
    }
  }
}
