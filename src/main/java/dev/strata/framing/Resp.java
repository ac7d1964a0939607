package dev.strata.framing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java view of RESP values, shared by {@link RespDecoder} and {@link RespEncoder}.
 *
 * <pre>
 *   wire                         Java frame
 *   +OK\r\n                      String "OK"
 *   -ERR bad\r\n                 RespError("ERR bad")
 *   :42\r\n                      Long 42
 *   $5\r\nhello\r\n              Buffer "hello"
 *   $-1\r\n  *-1\r\n  _\r\n      Resp.NULL at top level; Java null inside an array
 *   *2\r\n$3\r\nGET\r\n$1\r\na\r\n  JsonArray [Buffer "GET", Buffer "a"]
 *   GET a\r\n (inline)           JsonArray [Buffer "GET", Buffer "a"], as if sent as an array
 *   RESP3: #t\r\n -> Boolean, ,1.5\r\n -> Double, (123\r\n -> BigInteger,
 *          ~ (set) and > (push) -> JsonArray, =N\r\ntxt:..\r\n (verbatim) -> Buffer, !N\r\n.. -> RespError
 *   encode only: a java.util.Map -> %N map (RESP3), Resp.Push -> >N push (RESP3)
 * </pre>
 */
public final class Resp {

  /** The RESP null (null bulk string, null array, RESP3 {@code _}) as a top-level frame. */
  public enum Null {
    INSTANCE,
    /** The same null for a RESP3 client, written {@code _}; decoding never yields it. */
    RESP3,
    /** RESP2's null array, written {@code *-1} (EXEC aborted by WATCH); decoding yields {@link #INSTANCE}. */
    ARRAY;

    @Override
    public String toString() {
      return "(nil)";
    }
  }

  public static final Null NULL = Null.INSTANCE;
  /** The null as a reply to a client that negotiated RESP3 ({@code HELLO 3}): {@code _\r\n}. */
  public static final Null NULL3 = Null.RESP3;
  /** The null array as a reply to a RESP2 client: {@code *-1\r\n}. */
  public static final Null NULL_ARRAY = Null.ARRAY;

  private Resp() {
  }

  /**
   * A RESP3 push frame ({@code >}): data the server sends unasked, written between whole replies;
   * a RESP3 client tells it from a reply by its type byte.
   */
  public record Push(List<?> items) {
  }

  /**
   * An inline command line split into its arguments as redis-server splits it (spaces, Redis's
   * quoting and escapes).
   *
   * @throws CorruptFrameException for unbalanced quotes
   */
  public static List<Object> splitArgs(String line) {
    byte[] bytes = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Object> out = new ArrayList<>(4);
    RespInline.command(bytes, 0, bytes.length, Integer.MAX_VALUE, frame -> out.addAll(((JsonArray) frame).getList()));
    return out;
  }

  /** A command as clients send it: an array of bulk strings. */
  public static JsonArray command(String... args) {
    List<Object> list = new ArrayList<>(args.length);
    for (String a : args) {
      list.add(Buffer.buffer(a));
    }
    return new JsonArray(list);
  }

  /** Whether a frame or array element is the RESP null. */
  public static boolean isNull(Object value) {
    return value == null || value instanceof Null;
  }
}
