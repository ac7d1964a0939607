package dev.strata.exchange;

/**
 * How a {@link Client} uses its connection.
 *
 * @param correlation      responses in request order, or matched by tag (the codec's {@code Tagging})
 * @param maxInFlight      requests written and awaiting their responses; more wait, unwritten
 * @param maxWaiting       requests waiting to be written; more fail at once ({@link ExchangeException.Unavailable})
 * @param requestTimeoutMs a request with no response after this long fails with {@link ExchangeException.Timeout}
 */
public record ClientOptions(Correlation correlation, int maxInFlight, int maxWaiting, long requestTimeoutMs) {

  public ClientOptions {
    correlation = correlation == null ? Correlation.PIPELINED : correlation;
    if (maxInFlight <= 0) {
      throw new IllegalArgumentException("maxInFlight " + maxInFlight + " must be > 0");
    }
    if (maxWaiting < 0) {
      throw new IllegalArgumentException("maxWaiting " + maxWaiting + " must be >= 0");
    }
    if (requestTimeoutMs <= 0) {
      throw new IllegalArgumentException("requestTimeoutMs " + requestTimeoutMs + " must be > 0");
    }
  }

  /** Pipelined, 256 in flight, 1,024 waiting, 5 s. */
  public static ClientOptions defaults() {
    return new ClientOptions(Correlation.PIPELINED, 256, 1024, 5_000);
  }

  public ClientOptions withCorrelation(Correlation c) {
    return new ClientOptions(c, maxInFlight, maxWaiting, requestTimeoutMs);
  }

  public ClientOptions withRequestTimeout(long ms) {
    return new ClientOptions(correlation, maxInFlight, maxWaiting, ms);
  }

  public ClientOptions withMaxInFlight(int n) {
    return new ClientOptions(correlation, n, maxWaiting, requestTimeoutMs);
  }
}
