package dev.strata.exchange;

import dev.strata.framing.Resp;
import dev.strata.framing.RespError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Redis RESP. A request is the command as a {@link ValueList} of {@code Buffer}s (inline commands
 * included), the same on the fast path and across the cluster. Replies map as Redis clients expect:
 * {@code String} → simple string ({@code +OK}; a String holding CR or LF becomes a bulk string),
 * {@code Buffer} → bulk string, integral numbers → integer, {@code Boolean} → integer 1/0, other
 * numbers and JSON objects → bulk string of their text (a JSON object is a map once the client said
 * {@code HELLO 3}), {@code null} → null bulk string, a {@code List} ({@link ValueList}) or
 * {@code JsonArray} → array.
 *
 * <p>Pushes: with RESP2 they are written in reply order; after {@code HELLO 3} (a reply with header
 * {@link Headers#PROTOCOL} {@code 3}) as RESP3 push frames ({@code >}) at once, between replies.
 *
 * <p>Outbound (a connector to redis-server): a {@code List}/{@code JsonArray} of arguments or a
 * command line as a {@code String} ({@code "SET k v"}, split as redis-cli splits it) becomes a
 * command; a response becomes the reply types above, arrays as ValueLists, and an error reply a
 * failure with its text.
 *
 * <p>A {@link ValueList#pairs} reply (HGETALL, CONFIG GET) is a RESP3 map ({@code %}) after
 * {@code HELLO 3}, its keys as they are (bulk strings for Buffers: binary-safe), and a flat array
 * under RESP2, as Redis answers. Pairs nested in pairs become maps too; inside a plain list they stay
 * flat (a plain list is written as it is, never walked). A {@link ValueList#replies} list (EXEC's) is
 * walked: each element is written as a reply of its own would be, an {@link ErrorValue} as an error
 * ({@code -ERR ...} inside the array), pairs as a map under RESP3. A status String inside it is a bulk
 * string, not {@code +OK}: the encoder writes every String inside an array as a bulk string (clients
 * read the same value). {@link ValueList#nullList} is the null array {@code *-1}, and under RESP3
 * the null {@code _}, as Redis writes it; so is a null inside a list under RESP3 (redis-py's RESP3
 * parser reads no {@code $-1}), for which a list reply to a RESP3 client is walked once.
 */
final class RespProtocol implements Protocol<Object> {

  static final RespProtocol INSTANCE = new RespProtocol();


  @Override
  public Object toBody(Object frame) {
    if (frame instanceof JsonArray a) {
      return values(a.getList());
    }
    if (frame instanceof String || frame instanceof Buffer || frame instanceof Long) {
      return frame;
    }
    if (Resp.isNull(frame)) {
      return null;
    }
    if (frame instanceof RespError e) {
      throw new IllegalArgumentException("an error reply is not a request: " + e.message());
    }
    return String.valueOf(frame); // RESP3 scalars (Double, Boolean, BigInteger) travel as text
  }

  /** RESP arrays as ValueLists, nested ones too, so that they keep their types across the cluster. */
  private static ValueList values(List<Object> items) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof JsonArray nested) {
        items.set(i, values(nested.getList()));
      }
    }
    return ValueList.wrap(items);
  }

  @Override
  public Object toFrame(Object body) {
    return toFrame(body, 2);
  }

  /** {@code list} with its nulls, at any depth, as RESP3's {@code _}; the list itself when it has none. */
  private static Object resp3Nulls(List<?> list) {
    List<Object> copy = null;
    for (int i = 0; i < list.size(); i++) {
      Object e = list.get(i);
      Object w = e == null || e == Resp.NULL ? Resp.NULL3
          : e instanceof List<?> inner ? resp3Nulls(inner)
          : e instanceof JsonArray a ? resp3Nulls(a.getList())
          : e;
      if (w != e && copy == null) {
        copy = new ArrayList<>(list.size());
        for (int k = 0; k < i; k++) {
          copy.add(list.get(k));
        }
      }
      if (copy != null) {
        copy.add(w);
      }
    }
    return copy == null ? list : copy;
  }

  @Override
  public Object toFrame(Object body, int version) {
    if (body == null) {
      return version >= 3 ? Resp.NULL3 : Resp.NULL;
    }
    if (body instanceof ValueList v) {
      if (v.isNullList()) {
        return version >= 3 ? Resp.NULL3 : Resp.NULL_ARRAY;
      }
      if (v.isReplies()) {
        List<Object> out = new ArrayList<>(v.size());
        for (Object reply : v) {
          out.add(toFrame(reply, version));
        }
        return out;
      }
      if (version >= 3 && v.isPairs()) {
        return new PairMap(v);
      }
      return version >= 3 ? resp3Nulls(v) : body;
    }
    if (body instanceof ErrorValue e) {
      return error(e.text());
    }
    if (body instanceof List<?> l && version >= 3) {
      return resp3Nulls(l);
    }
    if (body instanceof JsonArray a && version >= 3) {
      List<?> l = a.getList();
      Object walked = resp3Nulls(l);
      return walked == l ? body : walked;
    }
    if (body instanceof Buffer || body instanceof Long || body instanceof Integer || body instanceof JsonArray
        || body instanceof List) {
      return body;
    }
    if (body instanceof String s) {
      return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 ? Buffer.buffer(s) : s;
    }
    if (body instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (body instanceof Short || body instanceof Byte) {
      return ((Number) body).longValue();
    }
    if (body instanceof JsonObject o && version >= 3) {
      return new LinkedHashMap<>(o.getMap());
    }
    if (body instanceof Number || body instanceof JsonObject || body instanceof BigInteger) {
      return Buffer.buffer(body.toString());
    }
    if (body instanceof byte[] bytes) {
      return Buffer.buffer(bytes);
    }
    throw new IllegalArgumentException("cannot write a " + body.getClass().getSimpleName() + " reply in RESP");
  }

  @Override
  public Object error(String text) {
    return new RespError(text.replace('\r', ' ').replace('\n', ' '));
  }

  @Override
  public Object outOfBandPush(Object body, int version) {
    if (version < 3) {
      return null;
    }
    if (body instanceof List<?> l) {
      return new Resp.Push(l);
    }
    if (body instanceof JsonArray a) {
      return new Resp.Push(a.getList());
    }
    return new Resp.Push(List.of(body instanceof String s ? Buffer.buffer(s) : toFrame(body, version)));
  }

  @Override
  public Object requestFrame(Object body) {
    if (body instanceof List<?> || body instanceof JsonArray) {
      return body;
    }
    if (body instanceof String || body instanceof Buffer) {
      List<Object> args = Resp.splitArgs(body.toString());
      if (args.isEmpty()) {
        throw new IllegalArgumentException("empty command");
      }
      return args;
    }
    throw new IllegalArgumentException("cannot send a " + (body == null ? "null" : body.getClass().getSimpleName())
        + " as a RESP command (send a list of arguments or a command line)");
  }

  @Override
  public Object responseBody(Object frame) {
    if (frame instanceof RespError e) {
      return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, -1, e.message());
    }
    return toBody(frame);
  }

  /**
   * A pairs list seen as a map, for the encoder's RESP3 map ({@code %}): no hashing, no copy, duplicate
   * names kept. Nested pairs are maps too.
   */
  private static final class PairMap extends AbstractMap<Object, Object> {
    private final List<Object> pairs;

    PairMap(List<Object> pairs) {
      this.pairs = pairs;
    }

    @Override
    public Set<Map.Entry<Object, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<Object, Object>> iterator() {
          return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
              return i + 1 < pairs.size();
            }

            @Override
            public Map.Entry<Object, Object> next() {
              if (!hasNext()) {
                throw new NoSuchElementException();
              }
              Object value = pairs.get(i + 1);
              Map.Entry<Object, Object> e = new SimpleImmutableEntry<>(pairs.get(i),
                  value instanceof ValueList v && v.isPairs() ? new PairMap(v) : value);
              i += 2;
              return e;
            }
          };
        }

        @Override
        public int size() {
          return pairs.size() / 2;
        }
      };
    }
  }
}
