package dev.strata.admin;

import dev.strata.stream.Connection;

/**
 * The sampler's small state for one connection that has seen traffic: its counters at the last
 * sample, its rates, and (only after its first answered request) a ring of recent latencies.
 * Created lazily, dropped when the connection closes; a connection that never sends costs nothing.
 *
 * <p>Rates are per second over three windows. The 1 s rate is the last sample's delta; the 10 s and
 * 60 s rates are exponentially weighted moving averages, except while the connection is younger than
 * the window, where they are the exact average since it opened.
 */
final class ConnectionLive {

  static final int BYTES_IN = 0;
  static final int BYTES_OUT = 1;
  static final int FRAMES_IN = 2;
  static final int FRAMES_OUT = 3;
  static final int[] WINDOWS_SEC = {1, 10, 60};
  private static final int RING = 32;

  private final long[] last = new long[4];
  private final float[] rates = new float[12];
  private int[] latencyMicros;
  private int latencyCount;

  /** Advances to the connection's current counters; returns the deltas since the last call. */
  synchronized long[] advance(Connection c, double dtSec, double ageSec, boolean updateRates) {
    long[] now = {c.bytesIn(), c.bytesOut(), c.framesIn(), c.framesOut()};
    long[] delta = new long[4];
    for (int m = 0; m < 4; m++) {
      delta[m] = Math.max(0, now[m] - last[m]);
      last[m] = Math.max(last[m], now[m]);
      if (updateRates && dtSec > 0) {
        float r1 = (float) (delta[m] / dtSec);
        rates[m * 3] = r1;
        for (int w = 1; w < 3; w++) {
          double window = WINDOWS_SEC[w];
          double alpha = Math.min(1, Math.max(1 - Math.exp(-dtSec / window), dtSec / Math.max(dtSec, ageSec)));
          rates[m * 3 + w] += (float) (alpha * (r1 - rates[m * 3 + w]));
        }
      }
    }
    return delta;
  }

  /** Per-second rate of a metric ({@link #BYTES_IN}...) over window 0 (1 s), 1 (10 s) or 2 (60 s). */
  synchronized float rate(int metric, int window) {
    return rates[metric * 3 + window];
  }

  synchronized void latency(long micros) {
    if (latencyMicros == null) {
      latencyMicros = new int[RING];
    }
    latencyMicros[latencyCount++ % RING] = (int) Math.min(Integer.MAX_VALUE, micros);
  }

  /** The most recent latencies (up to 32), in microseconds, unordered; empty before the first reply. */
  synchronized int[] recentLatencies() {
    if (latencyMicros == null) {
      return new int[0];
    }
    return java.util.Arrays.copyOf(latencyMicros, Math.min(latencyCount, RING));
  }
}
