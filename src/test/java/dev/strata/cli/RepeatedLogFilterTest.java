package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** The rate limit of repeated log messages, with a clock of the test's own. */
class RepeatedLogFilterTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<String> written = new ArrayList<>();
  private final Handler handler = new Handler() {
    {
      setFormatter(new SimpleFormatter());
    }

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
  private final RepeatedLogFilter filter = new RepeatedLogFilter(handler, now::get);

  {
    handler.setFilter(filter);
  }

  private void log(String logger, Level level, String message, Object... params) {
    LogRecord r = new LogRecord(level, message);
    r.setLoggerName(logger);
    r.setParameters(params);
    handler.publish(r);
  }

  @Test
  void aFloodOfOneMessagePassesAFewThenOneLineSaysHowManyWereLeftOut() {
    for (int i = 0; i < 100_000; i++) {
      log("io.vertx.core.eventbus.impl.MessageConsumerImpl", Level.WARNING,
          "Discarding message as more than 1000 buffered in paused consumer. address: app.flood");
    }
    assertThat(written).hasSize(RepeatedLogFilter.BURST);
    now.addAndGet(10_000);
    filter.flush();
    assertThat(written).hasSize(RepeatedLogFilter.BURST + 1);
    assertThat(written.get(RepeatedLogFilter.BURST))
        .isEqualTo("(99995 similar messages suppressed in the last 10 s) "
            + "Discarding message as more than 1000 buffered in paused consumer. address: app.flood");
  }

  @Test
  void messagesDifferingOnlyInNumbersOrParametersAreOneKind() {
    for (int i = 0; i < 1_000; i++) {
      log("dev.strata.exchange.ServerExchange", Level.INFO, "{0}: {1}; closing", "connection " + i, "frame too long");
      log("com.hazelcast.internal.server", Level.WARNING, "Could not connect to: /127.0.0.1:" + (5700 + i % 3));
    }
    assertThat(written).hasSize(2 * RepeatedLogFilter.BURST);
    now.addAndGet(10_000);
    log("dev.strata.exchange.ServerExchange", Level.INFO, "{0}: {1}; closing", "connection 1001", "frame too long");
    assertThat(written).as("the next one of a kind, after its window, brings the count first")
        .contains("(995 similar messages suppressed in the last 10 s) connection 999: frame too long; closing")
        .last().isEqualTo("connection 1001: frame too long; closing");
  }

  @Test
  void differentMessagesAndLevelsAreCountedApart() {
    for (int i = 0; i < 10; i++) {
      log("a", Level.WARNING, "disk full");
      log("a", Level.SEVERE, "disk full");
      log("b", Level.WARNING, "disk full");
      log("a", Level.WARNING, "cannot bind");
    }
    assertThat(written).hasSize(4 * RepeatedLogFilter.BURST);
  }

  @Test
  void aQuietWindowForgetsTheKindAndLetsTheBurstThroughAgain() {
    for (int i = 0; i < RepeatedLogFilter.BURST; i++) {
      log("a", Level.WARNING, "reconnecting");
    }
    now.addAndGet(10_000);
    filter.flush();
    for (int i = 0; i < RepeatedLogFilter.BURST; i++) {
      log("a", Level.WARNING, "reconnecting");
    }
    assertThat(written).hasSize(2 * RepeatedLogFilter.BURST).allMatch(w -> w.equals("reconnecting"));
  }

  @Test
  void aFloodOfDistinctTextsIsBoundedToo() {
    for (int i = 0; i < 50_000; i++) {
      log("hostile", Level.WARNING, "bad input '" + Integer.toHexString(i * 7919) + "x'"); // hex: letters differ too
    }
    assertThat(written.size()).isLessThan(RepeatedLogFilter.MAX_KINDS * RepeatedLogFilter.BURST + RepeatedLogFilter.BURST + 1);
  }
}
