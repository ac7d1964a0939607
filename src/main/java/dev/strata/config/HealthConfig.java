package dev.strata.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;

/**
 * When {@code /health} reports DOWN, besides an unbound listener or a silent event bus.
 *
 * @param maxHeapAfterGc     DOWN when the heap still in use after the last garbage collection is above
 *                           this fraction of the maximum heap (0 &lt; x &lt;= 1; default 0.9): the node is
 *                           close to OutOfMemoryError
 * @param maxEventLoopDelay  DOWN when an event loop has not run a task for this long (default 2 s): something
 *                           blocks it, and every connection on it waits
 */
public record HealthConfig(Double maxHeapAfterGc,
    @JsonDeserialize(using = DurationDeserializer.class) Duration maxEventLoopDelay) {

  public HealthConfig {
    maxHeapAfterGc = maxHeapAfterGc == null ? 0.9 : maxHeapAfterGc;
    ListenerConfig.require(maxHeapAfterGc > 0 && maxHeapAfterGc <= 1, "maxHeapAfterGc",
        maxHeapAfterGc + " must be a fraction of the maximum heap, > 0 and <= 1");
    maxEventLoopDelay = maxEventLoopDelay == null ? Duration.ofSeconds(2) : maxEventLoopDelay;
    ListenerConfig.require(maxEventLoopDelay.toMillis() > 0, "maxEventLoopDelay", "must be > 0");
  }

  public static HealthConfig defaults() {
    return new HealthConfig(null, null);
  }
}
