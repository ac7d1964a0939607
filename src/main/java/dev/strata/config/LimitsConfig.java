package dev.strata.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Node-wide limits, beyond those of each listener.
 *
 * @param pendingFrameBytes the most bytes all unfinished frames of the node may hold together: a byte
 *                          count ({@code 67108864}), a size ({@code 64MB}, {@code 512KB}, {@code 1GB}) or a
 *                          share of the maximum heap ({@code 25%}, the default). Above it the connections
 *                          holding the most are closed with reason {@code memory}.
 */
public record LimitsConfig(String pendingFrameBytes) {

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KB|MB|GB|%)");

  public LimitsConfig {
    pendingFrameBytes = pendingFrameBytes == null ? "25%" : pendingFrameBytes.trim();
    bytes(pendingFrameBytes, Runtime.getRuntime().maxMemory());
  }

  public static LimitsConfig defaults() {
    return new LimitsConfig(null);
  }

  /** {@link #pendingFrameBytes} in bytes, for a JVM whose maximum heap is {@code maxHeap}. */
  public long pendingFrameBytes(long maxHeap) {
    return bytes(pendingFrameBytes, maxHeap);
  }

  private static long bytes(String text, long maxHeap) {
    Matcher m = SIZE.matcher(text.toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigException("pendingFrameBytes", "'" + text + "' is not a size; write e.g. 67108864, 64MB or 25%");
    }
    long n = Long.parseLong(m.group(1));
    long bytes = switch (m.group(2)) {
      case "KB" -> n << 10;
      case "MB" -> n << 20;
      case "GB" -> n << 30;
      case "%" -> {
        ListenerConfig.require(n > 0 && n <= 100, "pendingFrameBytes", text + " must be a share of the heap, 1% to 100%");
        yield maxHeap / 100 * n;
      }
      default -> n;
    };
    ListenerConfig.require(bytes > 0, "pendingFrameBytes", text + " must be > 0");
    return bytes;
  }
}
