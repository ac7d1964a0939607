package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.server.Strata;
import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Abuse that makes the node log, through the filter that {@code strata run} installs on the root
 * handler: many connections sending bad frames (one INFO each) and a paused Vert.x consumer dropping
 * messages (one WARN each, from Vert.x itself). What reaches the handler stays a few lines plus a count.
 */
class HostileLogsTest {

  private final List<String> written = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (isLoggable(record)) {
        written.add(getFormatter().formatMessage(record));
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };
  private final Logger root = Logger.getLogger("");
  private final List<Handler> rootHandlers = new ArrayList<>();
  private RepeatedLogFilter filter;
  private Vertx vertx;

  @BeforeEach
  void captureTheRootLoggerAsStrataRunDoes() {
    // the capture stands in for the console: the floods below would otherwise fill the test output
    for (Handler h : root.getHandlers()) {
      rootHandlers.add(h);
      root.removeHandler(h);
    }
    handler.setFormatter(new SimpleFormatter());
    handler.setLevel(Level.INFO);
    root.addHandler(handler);
    filter = Logging.rateLimitRepeats(root).get(0);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void restore() {
    vertx.close().await();
    root.removeHandler(handler);
    rootHandlers.forEach(root::addHandler);
  }

  @Test
  void twoHundredConnectionsSendingBadFramesLogAFewLinesAndACount() throws Exception {
    JsonObject node = new JsonObject().put("listeners", new JsonArray()
            .add(TestNodes.listener("strict", "lines", "app.echo").put("maxFrameBytes", 16)))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.EchoVerticle")));
    Strata strata = TestNodes.start(vertx, node);
    try {
      for (int i = 0; i < 200; i++) {
        try (LineClient c = new LineClient(strata.port("strict"))) {
          c.send("x".repeat(64) + "\n");
          c.readLine(); // the error line
          assertThat(c.closedByServer()).isTrue();
        }
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> strata.registry().size() == 0);
    } finally {
      strata.stop().await();
    }
    long closing = written.stream().filter(w -> w.contains("closing")).count();
    assertThat(closing).as("one INFO per bad connection, 200 of them, rate-limited: %s", written)
        .isEqualTo(RepeatedLogFilter.BURST);
  }

  @Test
  void vertxsWarningPerMessageDroppedByAPausedConsumerIsRateLimited() {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer("test.paused", m -> { });
    consumer.completion().await();
    consumer.pause();
    int sent = 20_000;
    for (int i = 0; i < sent; i++) {
      vertx.eventBus().send("test.paused", i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> written.stream().filter(w -> w.contains("Discarding")).count()
        >= RepeatedLogFilter.BURST);
    filter.flush();
    long discarding = written.stream().filter(w -> w.startsWith("Discarding")).count();
    assertThat(discarding).as("Vert.x logs one WARN per dropped message; these passed").isEqualTo(RepeatedLogFilter.BURST);
    assertThat(written.size()).isLessThan(10);
  }
}
