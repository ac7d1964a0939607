package dev.strata.bench;

import java.time.Duration;

/**
 * What to generate.
 *
 * @param rate      total requests per second across connections; 0 = as fast as replies allow
 *                  (closed loop). With a rate, latency counts from each request's intended send
 *                  time, so a stalled server is not hidden (no coordinated omission).
 * @param tls       connect with TLS, accepting any certificate (the cost of TLS, not its trust)
 * @param requests  total requests; 0 = run for {@code duration}
 * @param template  the request text; {@code {payload}} = payload bytes of 'x', {@code {rand}} = a
 *                  random key number below {@code keyspace}, {@code {n}} = the request's number
 */
public record BenchOptions(String host, int port, String codec, int connections, int pipeline, Duration duration,
    long requests, int payload, long rate, String template, int keyspace, Duration warmup, boolean tls) {

  public BenchOptions(String host, int port, String codec, int connections, int pipeline, Duration duration,
      long requests, int payload, long rate, String template, int keyspace, Duration warmup) {
    this(host, port, codec, connections, pipeline, duration, requests, payload, rate, template, keyspace, warmup, false);
  }

  public BenchOptions {
    if (connections <= 0 || pipeline <= 0 || payload < 0 || rate < 0 || requests < 0 || keyspace <= 0) {
      throw new IllegalArgumentException("connections, pipeline and keyspace must be > 0; payload, rate, requests >= 0");
    }
    if (requests == 0 && (duration == null || duration.isZero())) {
      throw new IllegalArgumentException("give a duration or a number of requests");
    }
  }
}
