package dev.strata.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * One-line log records on stderr (java.util.logging, which Vert.x and Strata log through), with
 * repeated messages rate-limited ({@link RepeatedLogFilter}) so that a flood of one warning cannot
 * bury the rest or fill the disk.
 */
final class Logging {

  private Logging() {
  }

  static void configure() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s %3$s: %5$s%6$s%n");
    }
    // Hazelcast and Netty follow JUL too; "jdk" avoids Hazelcast's slf4j lookup.
    System.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "jdk"));
    rateLimitRepeats(Logger.getLogger(""));
  }

  /** Installs a {@link RepeatedLogFilter} on each of {@code logger}'s handlers; a daemon timer writes their counts. */
  static List<RepeatedLogFilter> rateLimitRepeats(Logger logger) {
    List<RepeatedLogFilter> filters = new ArrayList<>();
    for (Handler h : logger.getHandlers()) {
      if (h.getFilter() == null) {
        filters.add(RepeatedLogFilter.install(h));
      }
    }
    if (!filters.isEmpty()) {
      long period = 1_000; // a window's count is written within a second of its end, even if nothing else is logged
      new Timer("strata-log-summaries", true).schedule(new TimerTask() {
        @Override
        public void run() {
          filters.forEach(RepeatedLogFilter::flush);
        }
      }, period, period);
    }
    return filters;
  }
}
