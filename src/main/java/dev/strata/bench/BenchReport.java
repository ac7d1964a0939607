package dev.strata.bench;

import java.io.PrintStream;
import org.HdrHistogram.Histogram;

/** The outcome of a run: counts, throughput and the latency histogram (microseconds). */
public record BenchReport(BenchOptions options, long replies, long errors, double seconds, long bytesOut,
    long bytesIn, Histogram latencyMicros) {

  public double throughput() {
    return seconds <= 0 ? 0 : replies / seconds;
  }

  public double percentileMillis(double p) {
    return latencyMicros.getValueAtPercentile(p) / 1000.0;
  }

  public void print(PrintStream out) {
    BenchOptions o = options;
    out.printf("strata bench  %s:%d  codec %s  request \"%s\"%n", o.host(), o.port(), o.codec(), o.template());
    out.printf("  %d connections, pipeline %d, %s%s%n", o.connections(), o.pipeline(),
        o.requests() > 0 ? o.requests() + " requests" : o.duration().toSeconds() + " s",
        o.rate() > 0 ? ", fixed rate " + o.rate() + " req/s" : ", closed loop");
    out.printf("  replies     %,d  (errors %,d) in %.2f s%n", replies, errors, seconds);
    out.printf("  throughput  %,.0f req/s   out %.1f MB/s   in %.1f MB/s%n", throughput(),
        bytesOut / seconds / 1e6, bytesIn / seconds / 1e6);
    out.printf("  latency ms  p50 %.3f   p90 %.3f   p99 %.3f   p99.9 %.3f   max %.3f%n",
        percentileMillis(50), percentileMillis(90), percentileMillis(99), percentileMillis(99.9),
        latencyMicros.getMaxValue() / 1000.0);
  }
}
