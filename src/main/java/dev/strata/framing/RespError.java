package dev.strata.framing;

/**
 * A RESP error reply, {@code -ERR unknown command\r\n} on the wire: the message is everything after
 * the {@code -}, e.g. {@code "ERR unknown command"}. Also the frame of a RESP3 blob error ({@code !}).
 */
public record RespError(String message) {

  public RespError {
    if (message == null) {
      throw new IllegalArgumentException("message must not be null");
    }
  }
}
