package dev.strata.server;

import dev.strata.bridge.BridgeVerticle;
import dev.strata.config.ConnectorConfig;
import dev.strata.config.ListenerConfig;
import dev.strata.config.StrataConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many connections each listener (and the bridge) may hold, so that together they stay below the
 * process's open-file limit. Past that limit {@code accept} fails: the kernel completes the handshake,
 * the connection waits in the backlog unanswered and the node looks dead (so does {@code /health},
 * which needs a socket too). Below it, a listener at its {@code maxConnections} closes a new connection
 * at once and counts it as rejected.
 *
 * <p>The budget is 90% of the limit, less {@value #RESERVE} descriptors for the JVM, event loops, the
 * admin server and cluster, and less the connectors' pools. A listener or bridge without a configured
 * {@code maxConnections} gets an equal share of it (at most the old fixed defaults, 100,000 for a
 * listener and 10,000 for the bridge); a configured value is kept, with a warning naming its key when it
 * is above the budget.
 *
 * <pre>{@code
 * open-file limit 20000 -> budget 20000 * 0.9 - 256 - 4 (connector pool) = 17740
 * 5 listeners + bridge, none configured -> 2956 each
 * }</pre>
 */
public record ConnectionBudget(long fileLimit, long budget, Map<String, Integer> maxConnections, List<String> warnings) {

  /** Descriptors kept for everything that is not a client connection. */
  static final int RESERVE = 256;
  static final int LISTENER_DEFAULT = 100_000;
  static final int BRIDGE_DEFAULT = 10_000;

  public ConnectionBudget {
    maxConnections = Map.copyOf(maxConnections);
    warnings = List.copyOf(warnings);
  }

  /** The plan for {@code config} under an open-file limit ({@code <= 0}: unknown, the fixed defaults apply). */
  public static ConnectionBudget plan(StrataConfig config, long fileLimit) {
    int pools = config.connectors().stream().mapToInt(ConnectorConfig::pool).sum();
    long budget = fileLimit <= 0 ? -1 : Math.max(1, (long) (fileLimit * 0.9) - RESERVE - pools);
    boolean bridge = config.bridge().enabled();
    // a udp listener holds one socket, not one per peer: it takes no share
    int holders = (int) config.listeners().stream().filter(l -> !l.udp()).count() + (bridge ? 1 : 0);
    long share = budget < 0 || holders == 0 ? Long.MAX_VALUE : Math.max(1, budget / holders);
    Map<String, Integer> max = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    List<String> configuredKeys = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < config.listeners().size(); i++) {
      ListenerConfig l = config.listeners().get(i);
      if (l.udp()) {
        max.put(l.name(), l.maxSenders());
        continue;
      }
      int m = resolve(l.maxConnections(), LISTENER_DEFAULT, share, "listeners[" + i + "].maxConnections", budget,
          fileLimit, warnings, configuredKeys);
      max.put(l.name(), m);
      total += m;
    }
    if (bridge) {
      int m = resolve(config.bridge().maxConnections(), BRIDGE_DEFAULT, share, "bridge.maxConnections", budget,
          fileLimit, warnings, configuredKeys);
      max.put(BridgeVerticle.LISTENER_NAME, m);
      total += m;
    }
    if (budget > 0 && total > budget && warnings.isEmpty() && !configuredKeys.isEmpty()) {
      warnings.add(String.join(", ", configuredKeys) + ": together the listeners may hold " + total
          + " connections, above the " + budget + " " + why(fileLimit)
          + "; raise the limit (ulimit -n) or lower these keys");
    }
    return new ConnectionBudget(fileLimit, budget, max, warnings);
  }

  private static int resolve(Integer configured, int fixedDefault, long share, String key, long budget, long fileLimit,
      List<String> warnings, List<String> configuredKeys) {
    if (configured == null) {
      return (int) Math.min(fixedDefault, share);
    }
    configuredKeys.add(key);
    if (budget > 0 && configured > budget) {
      warnings.add(key + ": " + configured + " is above the " + budget + " " + why(fileLimit)
          + "; past it, accepting fails and new connections wait unanswered in the backlog. Raise the limit "
          + "(ulimit -n) or lower " + key);
    }
    return configured;
  }

  private static String why(long fileLimit) {
    return "connections this process can hold (its open-file limit is " + fileLimit + "; 90% of it, less "
        + RESERVE + " and the connectors' pools)";
  }

  /** The limit of connections for a listener (or {@code bridge}). */
  public int maxConnections(String listener) {
    Integer m = maxConnections.get(listener);
    if (m == null) {
      throw new IllegalArgumentException("no listener named " + listener);
    }
    return m;
  }

  /**
   * This process's open-file limit (the soft limit, which the JVM raises to the hard one at start on
   * Linux), or -1 when it cannot be read.
   */
  public static long processFileLimit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or not readable: the fixed defaults apply
    }
    return -1;
  }
}
