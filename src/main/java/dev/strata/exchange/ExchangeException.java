package dev.strata.exchange;

/**
 * Why an outbound request got no response: the base of the request/response layer's failures. The
 * message is fit for a log or a client ("timeout: no response from 127.0.0.1:6379 within 2000 ms").
 */
public class ExchangeException extends RuntimeException {

  private final int code;

  public ExchangeException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  /** An HTTP-like code, used as the failure code when the failure goes back over the event bus. */
  public int code() {
    return code;
  }

  /** No response within the request's timeout; the request may or may not have been applied. */
  public static final class Timeout extends ExchangeException {
    public Timeout(String message) {
      super(504, message);
    }
  }

  /** The connection went (closed, reset, a corrupt frame from the remote) before the response came. */
  public static final class ConnectionLost extends ExchangeException {
    public ConnectionLost(String message) {
      super(503, message);
    }
  }

  /** Not sent at all: no connection, the circuit breaker is open, or too many requests are waiting. */
  public static final class Unavailable extends ExchangeException {
    public Unavailable(String message) {
      super(503, message);
    }
  }
}
