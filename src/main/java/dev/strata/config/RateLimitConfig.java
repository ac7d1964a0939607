package dev.strata.config;

/**
 * A connection's request rate: a token bucket refilled at {@code perSecond} and holding at most
 * {@code burst} (default: one second's worth). A request beyond it is answered at once with an error
 * naming the limit, in its place among the replies, and not dispatched; the connection stays open.
 */
public record RateLimitConfig(Double perSecond, Integer burst) {

  public RateLimitConfig {
    ListenerConfig.require(perSecond != null, "perSecond", "is required: requests per second, > 0");
    ListenerConfig.require(perSecond > 0, "perSecond", perSecond + " must be > 0");
    burst = burst == null ? (int) Math.max(1, Math.ceil(perSecond)) : burst;
    ListenerConfig.require(burst >= 1, "burst", burst + " must be >= 1");
  }
}
