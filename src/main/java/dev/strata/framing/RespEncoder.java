package dev.strata.framing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Encoder of {@link RespCodec}. Accepts {@code String} (a simple string at top level, a bulk string
 * inside an array), {@link RespError}, {@code Long}/{@code Integer}/{@code Short}/{@code Byte},
 * {@code Buffer} and {@code byte[]} (bulk strings), {@link Resp#NULL} or Java null ({@code $-1}), {@link Resp#NULL3} ({@code _}),
 * {@code JsonArray} or {@code List} (recursively), and the RESP3 types {@code Boolean}, {@code Double},
 * {@code BigInteger}, {@code java.util.Map} (a map) and {@link Resp.Push} (a push frame). Headers for small lengths come from precomputed tables: no allocation.
 */
final class RespEncoder implements Encoder<Object> {

  static final RespEncoder INSTANCE = new RespEncoder();

  private static final int TABLE = 1024;
  private static final byte[][] BULK = table('$');
  private static final byte[][] ARRAY = table('*');
  private static final byte[][] INT = table(':');
  private static final byte[][] MAP = table('%');
  private static final byte[][] PUSH = table('>');
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] NULL = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);

  private static byte[][] table(char type) {
    byte[][] t = new byte[TABLE][];
    for (int i = 0; i < TABLE; i++) {
      t[i] = (type + Integer.toString(i) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
    return t;
  }

  @Override
  public void encode(Object frame, Buffer out) {
    write(frame, out, false);
  }

  private static void write(Object v, Buffer out, boolean nested) {
    if (v instanceof Buffer b) {
      header(BULK, '$', b.length(), out);
      out.appendBuffer(b).appendBytes(CRLF);
    } else if (v instanceof JsonArray a) {
      list(a.getList(), out);
    } else if (v instanceof String s) {
      if (nested) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        header(BULK, '$', bytes.length, out);
        out.appendBytes(bytes).appendBytes(CRLF);
      } else {
        line('+', s, out);
      }
    } else if (v == null || v == Resp.NULL) {
      out.appendBytes(NULL);
    } else if (v == Resp.NULL3) {
      out.appendBytes(NULL3);
    } else if (v == Resp.NULL_ARRAY) {
      out.appendBytes(NULL_ARRAY);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      header(INT, ':', ((Number) v).longValue(), out);
    } else if (v instanceof RespError e) {
      line('-', e.message(), out);
    } else if (v instanceof byte[] bytes) {
      header(BULK, '$', bytes.length, out);
      out.appendBytes(bytes).appendBytes(CRLF);
    } else if (v instanceof List<?> l) {
      list(l, out);
    } else if (v instanceof Map<?, ?> m) {
      header(MAP, '%', m.size(), out);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        write(e.getKey(), out, true);
        write(e.getValue(), out, true);
      }
    } else if (v instanceof Resp.Push p) {
      header(PUSH, '>', p.items().size(), out);
      for (Object item : p.items()) {
        write(item, out, true);
      }
    } else if (v instanceof Boolean b) {
      out.appendString(b ? "#t\r\n" : "#f\r\n");
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      String text = Double.isNaN(d) ? "nan" : d == Double.POSITIVE_INFINITY ? "inf"
          : d == Double.NEGATIVE_INFINITY ? "-inf" : Double.toString(d);
      out.appendByte((byte) ',').appendString(text).appendBytes(CRLF);
    } else if (v instanceof BigInteger i) {
      out.appendByte((byte) '(').appendString(i.toString()).appendBytes(CRLF);
    } else {
      throw new IllegalArgumentException("no RESP encoding for " + v.getClass().getName());
    }
  }

  private static void list(List<?> items, Buffer out) {
    header(ARRAY, '*', items.size(), out);
    for (Object item : items) {
      write(item, out, true);
    }
  }

  private static void header(byte[][] table, char type, long n, Buffer out) {
    if (n >= 0 && n < TABLE) {
      out.appendBytes(table[(int) n]);
    } else {
      out.appendByte((byte) type).appendString(Long.toString(n)).appendBytes(CRLF);
    }
  }

  private static void line(char type, String text, Buffer out) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n') {
        throw new IllegalArgumentException("a RESP simple string or error cannot hold CR or LF: '" + text + "'");
      }
    }
    out.appendByte((byte) type).appendString(text).appendBytes(CRLF);
  }
}
