package dev.strata.exchange;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets a {@code java.util.ArrayList} travel the event bus, across the cluster too, with its element
 * types intact: {@code Buffer}, {@code String}, {@code Long}, {@code Integer}, {@code Boolean},
 * {@code Double}, null, nested lists, JSON. Applications reply with a list where a RESP array holds
 * both binary values and nils (MGET): Vert.x's JSON codec would turn a {@code JsonArray}'s Buffers
 * into base64 text on the wire. Locally the list is passed as is (not copied).
 */
public final class ListCodec implements MessageCodec<ArrayList<Object>, ArrayList<Object>> {

  public static final String NAME = "strata.list";

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

  /** Registers the codec once per Vert.x instance; call on every node (Strata and Endpoint do). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static void register(Vertx vertx) {
    LocalMap<String, Boolean> done = vertx.sharedData().getLocalMap("strata.codecs");
    if (done.putIfAbsent(NAME, Boolean.TRUE) == null) {
      vertx.eventBus().registerDefaultCodec((Class) ArrayList.class, new ListCodec());
    }
  }

  @Override
  public void encodeToWire(Buffer out, ArrayList<Object> list) {
    writeList(out, list);
  }

  private static void writeList(Buffer out, List<?> list) {
    out.appendInt(list.size());
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
      } else {
        throw new IllegalArgumentException("strata.list cannot carry a " + v.getClass().getName());
      }
    }
  }

  @Override
  public ArrayList<Object> decodeFromWire(int pos, Buffer in) {
    int[] at = {pos};
    return readList(in, at);
  }

  private static ArrayList<Object> readList(Buffer in, int[] at) {
    int n = in.getInt(at[0]);
    at[0] += 4;
    ArrayList<Object> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte tag = in.getByte(at[0]++);
      switch (tag) {
        case NULL -> list.add(null);
        case BUFFER, STRING, JSON_OBJECT, JSON_ARRAY -> {
          int len = in.getInt(at[0]);
          Buffer b = in.getBuffer(at[0] + 4, at[0] + 4 + len);
          at[0] += 4 + len;
          list.add(switch (tag) {
            case BUFFER -> b;
            case STRING -> b.toString(StandardCharsets.UTF_8);
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
        default -> throw new IllegalStateException("strata.list: unknown element tag " + tag);
      }
    }
    return list;
  }

  @Override
  public ArrayList<Object> transform(ArrayList<Object> list) {
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
