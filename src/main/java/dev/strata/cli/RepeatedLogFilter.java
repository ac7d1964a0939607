package dev.strata.cli;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Keeps logs readable under abuse: of each kind of message, the first {@value #BURST} in a
 * {@value #WINDOW_SECONDS} s window pass; the rest are counted, and once the window is over one line
 * says how many were left out: {@code (N similar messages suppressed in the last 10 s) <the last one>}.
 *
 * <p>A filter on the root handler, so it covers every logger with no change to it: Vert.x (one WARN per
 * message dropped at a full consumer, "Thread blocked" every second), Hazelcast (a failed cluster
 * connection, again and again), Netty ("Too many open files" per failed accept) and Strata's own
 * (a framing error per connection). "Similar": same logger, level and message pattern, digits aside
 * ({@code "conn 17: frame of 70000 bytes"} and {@code "conn 18: frame of 90000 bytes"} are one kind).
 *
 * <p>The summary is written through the same handler: when the next message of its kind comes, when any
 * message comes after its window, or at {@link #flush} (a daemon timer calls it every second).
 */
final class RepeatedLogFilter implements Filter {

  static final int BURST = 5;
  static final int WINDOW_SECONDS = 10;
  /** Kinds tracked at once; past it, a logger's further kinds share one (a flood of distinct texts). */
  static final int MAX_KINDS = 1_000;
  private static final int KEY_CHARS = 160;

  private static final class Kind {
    long windowStart;
    int passed;
    long suppressed;
    LogRecord last;
  }

  private final Handler target;
  private final LongSupplier clockMs;
  private final long windowMs;
  private final Map<String, Kind> kinds = new HashMap<>();
  private long nextSweep;
  /** Set while a summary is published through {@link #target}, whose publish asks this filter again. */
  private boolean publishing;

  RepeatedLogFilter(Handler target, LongSupplier clockMs) {
    this.target = target;
    this.clockMs = clockMs;
    this.windowMs = WINDOW_SECONDS * 1000L;
  }

  /** Installs a filter of its own on {@code handler} (each handler counts what it writes). */
  static RepeatedLogFilter install(Handler handler) {
    RepeatedLogFilter filter = new RepeatedLogFilter(handler, System::currentTimeMillis);
    handler.setFilter(filter);
    return filter;
  }

  @Override
  public synchronized boolean isLoggable(LogRecord record) {
    if (publishing) {
      return true;
    }
    long now = clockMs.getAsLong();
    if (now >= nextSweep) {
      nextSweep = now + 1_000;
      sweep(now);
    }
    Kind kind = kinds.computeIfAbsent(key(record), k -> new Kind());
    if (kind.passed > 0 && now - kind.windowStart >= windowMs) {
      summarize(kind);
      kind.passed = 0;
    }
    if (kind.passed == 0) {
      kind.windowStart = now;
    }
    if (kind.passed < BURST) {
      kind.passed++;
      return true;
    }
    kind.suppressed++;
    kind.last = record;
    return false;
  }

  /** Writes the summaries of windows that are over, and forgets kinds quiet for a whole window. */
  synchronized void flush() {
    sweep(clockMs.getAsLong());
  }

  private void sweep(long now) {
    Iterator<Kind> it = kinds.values().iterator();
    while (it.hasNext()) {
      Kind kind = it.next();
      if (now - kind.windowStart >= windowMs) {
        summarize(kind);
        it.remove();
      }
    }
  }

  private void summarize(Kind kind) {
    if (kind.suppressed == 0) {
      return;
    }
    LogRecord last = kind.last;
    String text = target.getFormatter() == null ? last.getMessage() : target.getFormatter().formatMessage(last);
    LogRecord summary = new LogRecord(last.getLevel(), "(" + kind.suppressed + " similar messages suppressed in the last "
        + WINDOW_SECONDS + " s) " + text);
    summary.setLoggerName(last.getLoggerName());
    kind.suppressed = 0;
    kind.last = null;
    publishing = true;
    try {
      target.publish(summary);
    } finally {
      publishing = false;
    }
  }

  private String key(LogRecord record) {
    String logger = String.valueOf(record.getLoggerName());
    Level level = record.getLevel();
    if (kinds.size() >= MAX_KINDS) {
      return logger + '|' + level + "|*";
    }
    String message = String.valueOf(record.getMessage());
    StringBuilder key = new StringBuilder(logger.length() + 16 + Math.min(message.length(), KEY_CHARS))
        .append(logger).append('|').append(level).append('|');
    boolean digits = false;
    for (int i = 0; i < message.length() && i < KEY_CHARS; i++) {
      char c = message.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      if (!digit) {
        key.append(c);
      } else if (!digits) {
        key.append('#');
      }
      digits = digit;
    }
    return key.toString();
  }
}
