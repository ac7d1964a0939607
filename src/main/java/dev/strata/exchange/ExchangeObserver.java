package dev.strata.exchange;

import dev.strata.framing.FramingException;
import dev.strata.stream.Connection;

/**
 * Told of each answered request and each framing error, on the connection's event loop; metrics and
 * the dashboard implement it. Implementations must be cheap and must not block.
 */
public interface ExchangeObserver {

  ExchangeObserver NONE = new ExchangeObserver() {
  };

  /**
   * A request was answered.
   *
   * @param nanos  from decoding the request to writing its answer
   * @param failed the answer was an error (no application, timeout, application failure)
   */
  default void answered(Connection connection, String address, long nanos, boolean failed) {
  }

  default void framingError(Connection connection, FramingException error) {
  }
}
