package dev.strata.exchange;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/** Turns a failed request into the text of a protocol error, Redis style ({@code CODE message}). */
final class ErrorTexts {

  private ErrorTexts() {
  }

  static String of(Throwable failure, String address, long timeoutMs) {
    if (failure instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> "ERR no application at " + address;
        case TIMEOUT -> "ERR timeout: no reply from " + address + " within " + timeoutMs + " ms";
        case RECIPIENT_FAILURE -> coded(re.getMessage());
        case ERROR -> "ERR " + re.getMessage();
      };
    }
    return "ERR " + failure.getMessage();
  }

  /** The failure of a request whose reply the event bus cannot carry (no codec for its type). */
  static ReplyException notSendable(String reason) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "ERR reply not sendable: " + reason);
  }

  /** What {@code replyAndRequest} gets from a listener: a socket's peer does not answer replies. */
  static ReplyException noReplyToReplies() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 501, "ERR a client connection does not answer replies");
  }

  /** The failure of a request thrown out by its handler. */
  static ReplyException thrown(Throwable t) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500,
        "ERR application failed: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
  }

  /** An application's failure text, kept as is when it already starts with a code ("WRONGTYPE ..."). */
  static String coded(String message) {
    if (message == null || message.isEmpty()) {
      return "ERR application failed";
    }
    int sp = message.indexOf(' ');
    String first = sp < 0 ? message : message.substring(0, sp);
    boolean code = first.length() >= 2 && first.chars().allMatch(ch -> (ch >= 'A' && ch <= 'Z') || ch == '_');
    return code ? message : "ERR " + message;
  }
}
