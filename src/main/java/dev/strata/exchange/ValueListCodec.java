package dev.strata.exchange;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The event-bus codec of {@link ValueList}: element types intact on the wire. Locally the list is
 * passed as it is, not copied (bodies are not modified once sent; see {@link Endpoint}).
 *
 * <pre>
 *   list    := kind:byte size:int32 element*   kind: 0 plain, 1 pairs ({@link ValueList#pairs}),
 *                                              2 replies ({@link ValueList#replies}), 3 null list (size 0)
 *   element := tag:byte payload                (tags below; a nested list is tag 5 then a list,
 *                                              an {@link ErrorValue} tag 10 then its UTF-8 text)
 * </pre>
 */
public final class ValueListCodec implements MessageCodec<ValueList, ValueList> {

  public static final String NAME = "strata.values";

  private static final byte NULL = 0;
  private static final byte BUFFER = 1;
  private static final byte STRING = 2;
  private static final byte LONG = 3;
  private static final byte INT = 4;
  private static final byte LIST = 5;
  private static final byte BOOLEAN = 6;
  private static final byte DOUBLE = 7;
  private static final byte JSON_OBJECT = 8;
  private static final byte JSON_ARRAY = 9;
  private static final byte ERROR = 10;
  private static final ValueList.Kind[] KINDS = ValueList.Kind.values();

  /** Registers the codec for {@link ValueList} once per Vert.x instance; every member needs it (Strata and Endpoint do it). */
  public static void register(Vertx vertx) {
    LocalMap<String, Boolean> done = vertx.sharedData().getLocalMap("strata.codecs");
    if (done.putIfAbsent(NAME, Boolean.TRUE) == null) {
      vertx.eventBus().registerDefaultCodec(ValueList.class, new ValueListCodec());
    }
  }

  @Override
  public void encodeToWire(Buffer out, ValueList list) {
    writeList(out, list);
  }

  private static void writeList(Buffer out, List<?> list) {
    out.appendByte((byte) (list instanceof ValueList v ? v.kind() : ValueList.Kind.PLAIN).ordinal()).appendInt(list.size());
    for (Object v : list) {
      if (v == null) {
        out.appendByte(NULL);
      } else if (v instanceof Buffer b) {
        out.appendByte(BUFFER).appendInt(b.length()).appendBuffer(b);
      } else if (v instanceof String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.appendByte(STRING).appendInt(bytes.length).appendBytes(bytes);
      } else if (v instanceof Long l) {
        out.appendByte(LONG).appendLong(l);
      } else if (v instanceof Integer i) {
        out.appendByte(INT).appendInt(i);
      } else if (v instanceof List<?> l) {
        out.appendByte(LIST);
        writeList(out, l);
      } else if (v instanceof Boolean b) {
        out.appendByte(BOOLEAN).appendByte((byte) (b ? 1 : 0));
      } else if (v instanceof Double d) {
        out.appendByte(DOUBLE).appendDouble(d);
      } else if (v instanceof JsonObject || v instanceof JsonArray) {
        byte[] bytes = v.toString().getBytes(StandardCharsets.UTF_8);
        out.appendByte(v instanceof JsonObject ? JSON_OBJECT : JSON_ARRAY).appendInt(bytes.length).appendBytes(bytes);
      } else if (v instanceof byte[] bytes) {
        out.appendByte(BUFFER).appendInt(bytes.length).appendBytes(bytes);
      } else if (v instanceof ErrorValue e) {
        byte[] bytes = e.text().getBytes(StandardCharsets.UTF_8);
        out.appendByte(ERROR).appendInt(bytes.length).appendBytes(bytes);
      } else {
        throw new IllegalArgumentException(NAME + " cannot carry a " + v.getClass().getName());
      }
    }
  }

  @Override
  public ValueList decodeFromWire(int pos, Buffer in) {
    int[] at = {pos};
    return readList(in, at);
  }

  private static ValueList readList(Buffer in, int[] at) {
    int kind = in.getByte(at[0]);
    int n = in.getInt(at[0] + 1);
    at[0] += 5;
    if (kind < 0 || kind >= KINDS.length || n < 0) {
      throw new IllegalStateException(NAME + ": bad list header (kind " + kind + ", size " + n + ")");
    }
    ValueList list = ValueList.empty(KINDS[kind], n);
    for (int i = 0; i < n; i++) {
      byte tag = in.getByte(at[0]++);
      switch (tag) {
        case NULL -> list.add(null);
        case BUFFER, STRING, JSON_OBJECT, JSON_ARRAY, ERROR -> {
          int len = in.getInt(at[0]);
          Buffer b = in.getBuffer(at[0] + 4, at[0] + 4 + len);
          at[0] += 4 + len;
          list.add(switch (tag) {
            case BUFFER -> b;
            case STRING -> b.toString(StandardCharsets.UTF_8);
            case ERROR -> new ErrorValue(b.toString(StandardCharsets.UTF_8));
            case JSON_OBJECT -> new JsonObject(b);
            default -> new JsonArray(b);
          });
        }
        case LONG -> {
          list.add(in.getLong(at[0]));
          at[0] += 8;
        }
        case INT -> {
          list.add(in.getInt(at[0]));
          at[0] += 4;
        }
        case LIST -> list.add(readList(in, at));
        case BOOLEAN -> list.add(in.getByte(at[0]++) != 0);
        case DOUBLE -> {
          list.add(in.getDouble(at[0]));
          at[0] += 8;
        }
        default -> throw new IllegalStateException(NAME + ": unknown element tag " + tag);
      }
    }
    return list;
  }

  @Override
  public ValueList transform(ValueList list) {
    return list;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
