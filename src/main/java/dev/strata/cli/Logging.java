package dev.strata.cli;

/** One-line log records on stderr (java.util.logging, which Vert.x and Strata log through). */
final class Logging {

  private Logging() {
  }

  static void configure() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s %3$s: %5$s%6$s%n");
    }
    // Hazelcast and Netty follow JUL too; "jdk" avoids Hazelcast's slf4j lookup.
    System.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "jdk"));
  }
}
