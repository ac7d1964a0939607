package dev.strata.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;

/**
 * Every log record (INFO and above) that reaches a logger while it is open, formatted, as a handler on
 * that logger would write it. With a filter, only what the filter lets through is kept.
 */
public final class LogCapture extends Handler implements AutoCloseable {

  private static final SimpleFormatter FORMAT = new SimpleFormatter();

  private final Logger logger;
  private final List<String> records = new CopyOnWriteArrayList<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    setLevel(Level.INFO);
    logger.addHandler(this);
  }

  /** Captures what reaches the root logger: every logger's records, Vert.x's and Netty's included. */
  public static LogCapture root() {
    return new LogCapture(Logger.getLogger(""));
  }

  public static LogCapture root(Filter filter) {
    LogCapture c = root();
    c.setFilter(filter);
    return c;
  }

  @Override
  public void publish(LogRecord record) {
    if (isLoggable(record)) {
      records.add(record.getLevel() + " " + record.getLoggerName() + ": " + FORMAT.formatMessage(record));
    }
  }

  public List<String> records() {
    return List.copyOf(records);
  }

  public long count(String fragment) {
    return records.stream().filter(r -> r.contains(fragment)).count();
  }

  /** The first record holding {@code fragment}. */
  public String find(String fragment) {
    return records.stream().filter(r -> r.contains(fragment)).findFirst()
        .orElseThrow(() -> new AssertionError("no record with '" + fragment + "' in " + sample()));
  }

  /** The first few records, for an assertion's message. */
  public String sample() {
    return records.size() + " records, first: " + records.stream().limit(5).collect(Collectors.joining(" | "));
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
