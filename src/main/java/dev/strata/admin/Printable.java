package dev.strata.admin;

import io.vertx.core.buffer.Buffer;

/**
 * Renders a frame as short printable text for the frame tap: bytes outside printable ASCII become
 * {@code \xNN} (or {@code \r}, {@code \n}, {@code \t}), other frames go through {@code toString()} with
 * control characters escaped; at most {@code max} characters of content, then "…".
 * The result is plain text: the page must still insert it as text, never as HTML.
 */
final class Printable {

  static final int DEFAULT_MAX = 200;

  private Printable() {
  }

  static String of(Object frame, int max) {
    if (frame == null) {
      return "(null)";
    }
    if (frame instanceof Buffer b) {
      return bytes(b, max);
    }
    if (frame instanceof byte[] a) {
      return bytes(Buffer.buffer(a), max);
    }
    return text(String.valueOf(frame), max);
  }

  /** Size of a frame in bytes when it has one, else -1. */
  static int size(Object frame) {
    if (frame instanceof Buffer b) {
      return b.length();
    }
    if (frame instanceof byte[] a) {
      return a.length;
    }
    return -1;
  }

  private static String bytes(Buffer b, int max) {
    StringBuilder sb = new StringBuilder(Math.min(b.length(), max) + 8);
    int i = 0;
    for (; i < b.length() && sb.length() < max; i++) {
      int c = b.getByte(i) & 0xff;
      escape(sb, c);
    }
    if (i < b.length()) {
      sb.append('…');
    }
    return sb.toString();
  }

  private static String text(String s, int max) {
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 8);
    int i = 0;
    for (; i < s.length() && sb.length() < max; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c)
          || c == '\u2028' || c == '\u2029') {
        escapeChar(sb, c);
      } else {
        sb.append(c);
      }
    }
    if (i < s.length()) {
      sb.append('…');
    }
    return sb.toString();
  }

  private static void escape(StringBuilder sb, int c) {
    switch (c) {
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      case '\\' -> sb.append("\\\\");
      default -> {
        if (c >= 0x20 && c < 0x7f) {
          sb.append((char) c);
        } else {
          sb.append(String.format("\\x%02x", c));
        }
      }
    }
  }

  private static void escapeChar(StringBuilder sb, char c) {
    if (c < 0x80) {
      escape(sb, c);
    } else {
      sb.append(String.format("\\u%04x", (int) c));
    }
  }
}
