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

  /**
   * What one connection's answers to {@code address} are counted by: taken once per connection, so that
   * an answer costs no lookup by listener, address or connection (a fifth of a pipelined RESP SET's
   * event-loop time went to those lookups and the timer they found). Same meaning as {@link #answered}.
   */
  default Answers answers(Connection connection, String address) {
    return (nanos, failed) -> answered(connection, address, nanos, failed);
  }

  /** One connection's answers to one address (see {@link #answers}). */
  interface Answers {
    void answered(long nanos, boolean failed);
  }
}
