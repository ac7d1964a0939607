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
 */
public record ExchangeOptions(String address, int maxInFlight, long requestTimeoutMs, boolean resync,
    boolean localFirst) {

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
  }

  public static ExchangeOptions of(String address) {
    return new ExchangeOptions(address, 256, 5_000, false, true);
  }
}
