package dev.strata.framing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Inline commands, as redis-cli and {@code redis-benchmark PING_INLINE} send them: one line of
 * arguments split on spaces, with Redis's quoting ({@code "a b\x41\n"} with escapes, {@code 'it\'s'}).
 * The line decodes to the same {@code JsonArray} of {@code Buffer}s as the equivalent RESP array. A blank
 * line is ignored, as redis-server does; an unbalanced quote is a resyncable corrupt frame.
 */
final class RespInline {

  private RespInline() {
  }

  /** The inline line {@code s[from, lf)}, its CR (if any) and LF already found. */
  static void command(byte[] s, int from, int lf, int max, FrameSink<Object> sink) {
    int to = lf > from && s[lf - 1] == '\r' ? lf - 1 : lf;
    if (to - from > max) {
      throw new FrameTooLongException("inline command of " + (to - from) + " bytes > " + max, true);
    }
    List<Object> args = new ArrayList<>(4);
    int i = from;
    while (true) {
      while (i < to && (s[i] == ' ' || s[i] == '\t')) {
        i++;
      }
      if (i >= to) {
        break;
      }
      byte q = s[i];
      if (q == '"' || q == '\'') {
        Buffer arg = Buffer.buffer(16);
        i = quoted(s, i + 1, to, q, arg);
        if (i < to && s[i] != ' ' && s[i] != '\t') {
          throw new CorruptFrameException("unbalanced quotes in inline command", true);
        }
        args.add(arg);
      } else {
        int start = i;
        while (i < to && s[i] != ' ' && s[i] != '\t') {
          i++;
        }
        args.add(Buffer.buffer(Arrays.copyOfRange(s, start, i)));
      }
    }
    if (!args.isEmpty()) {
      sink.frame(new JsonArray(args));
    }
  }

  /** Reads a quoted argument after its opening quote; returns the index after the closing quote. */
  private static int quoted(byte[] s, int i, int to, byte q, Buffer arg) {
    while (i < to) {
      byte c = s[i];
      if (c == q) {
        return i + 1;
      }
      if (c == '\\' && i + 1 < to) {
        byte e = s[i + 1];
        if (q == '\'') {
          if (e == '\'') {
            arg.appendByte(e);
            i += 2;
            continue;
          }
        } else if (e == 'x' && i + 3 < to && hex(s[i + 2]) >= 0 && hex(s[i + 3]) >= 0) {
          arg.appendByte((byte) (hex(s[i + 2]) << 4 | hex(s[i + 3])));
          i += 4;
          continue;
        } else {
          arg.appendByte(switch (e) {
            case 'n' -> (byte) '\n';
            case 'r' -> (byte) '\r';
            case 't' -> (byte) '\t';
            case 'b' -> (byte) '\b';
            case 'a' -> (byte) 7;
            default -> e;
          });
          i += 2;
          continue;
        }
      }
      arg.appendByte(c);
      i++;
    }
    throw new CorruptFrameException("unbalanced quotes in inline command", true);
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }

  /** A RESP3 double: {@code inf}, {@code -inf}, {@code nan} or a decimal. */
  static Double parseDouble(String text) {
    switch (text) {
      case "inf":
        return Double.POSITIVE_INFINITY;
      case "-inf":
        return Double.NEGATIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        for (int i = 0; i < text.length(); i++) {
          char c = text.charAt(i);
          if (!(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')) {
            throw new CorruptFrameException("RESP3 double '" + text + "' is not a number");
          }
        }
        try {
          return Double.valueOf(text);
        } catch (NumberFormatException e) {
          throw new CorruptFrameException("RESP3 double '" + text + "' is not a number");
        }
    }
  }
}
