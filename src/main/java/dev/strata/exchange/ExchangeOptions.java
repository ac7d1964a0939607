package dev.strata.exchange;

/**
 * Per-listener settings of the request/response layer.
 *
 * @param address          where requests go, e.g. {@code app.kv}
 * @param maxInFlight      requests of one connection awaiting replies before its socket is paused
 * @param requestTimeoutMs a request with no reply after this long is answered with a timeout error
 * @param resync           on a resyncable framing error: answer an error frame and go on (true), or
 *                         answer it and close the connection (false, the default policy)
 * @param localFirst       use an {@link Endpoint} on this node when there is one (the fast path); false
 *                         sends every request over the event bus (so that interceptors see it)
 * @param correlation      replies in request order, or as they complete, each with its request's tag
 * @param ratePerSecond    requests one connection may make per second (a token bucket); 0 = no limit
 * @param rateBurst        the bucket's size: requests a connection may make at once after a quiet spell
 * @param slowConsumerMs   close a connection whose write queue has stayed full this long (the peer does
 *                         not read what it is sent); 0 = never
 */
public record ExchangeOptions(String address, int maxInFlight, long requestTimeoutMs, boolean resync,
    boolean localFirst, Correlation correlation, double ratePerSecond, int rateBurst, long slowConsumerMs) {

  public ExchangeOptions {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("address must not be blank");
    }
    if (maxInFlight <= 0) {
      throw new IllegalArgumentException("maxInFlight " + maxInFlight + " must be > 0");
    }
    if (requestTimeoutMs <= 0) {
      throw new IllegalArgumentException("requestTimeoutMs " + requestTimeoutMs + " must be > 0");
    }
    correlation = correlation == null ? Correlation.PIPELINED : correlation;
    if (ratePerSecond < 0 || ratePerSecond > 0 && rateBurst < 1) {
      throw new IllegalArgumentException("rate " + ratePerSecond + "/s with burst " + rateBurst);
    }
  }

  public ExchangeOptions(String address, int maxInFlight, long requestTimeoutMs, boolean resync, boolean localFirst,
      Correlation correlation) {
    this(address, maxInFlight, requestTimeoutMs, resync, localFirst, correlation, 0, 0, 0);
  }

  public ExchangeOptions(String address, int maxInFlight, long requestTimeoutMs, boolean resync, boolean localFirst) {
    this(address, maxInFlight, requestTimeoutMs, resync, localFirst, Correlation.PIPELINED);
  }

  public static ExchangeOptions of(String address) {
    return new ExchangeOptions(address, 256, 5_000, false, true, Correlation.PIPELINED);
  }

  public ExchangeOptions withCorrelation(Correlation c) {
    return new ExchangeOptions(address, maxInFlight, requestTimeoutMs, resync, localFirst, c, ratePerSecond, rateBurst,
        slowConsumerMs);
  }

  public ExchangeOptions withRateLimit(double perSecond, int burst) {
    return new ExchangeOptions(address, maxInFlight, requestTimeoutMs, resync, localFirst, correlation, perSecond, burst,
        slowConsumerMs);
  }
}
