package dev.strata.exchange;

import io.vertx.core.eventbus.ReplyException;

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
