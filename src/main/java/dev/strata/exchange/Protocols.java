package dev.strata.exchange;

import dev.strata.framing.RegionSink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@link Protocol} of each codec, by codec name; codecs of raw bytes share {@link #BYTES}. */
public final class Protocols {

  /**
   * Text lines. A request is the line as a String. A reply: String, Buffer, number or boolean as
   * text; null (and {@link ValueList#nullList}) as {@code (nil)}; a JsonArray or list as its elements
   * separated by spaces, an {@link ErrorValue} among them as {@code (error) CODE message}; a JsonObject
   * as its JSON. Errors are {@code -CODE message}.
   */
  public static final RegionProtocol LINES = new RegionProtocol() {
    @Override
    public Object toBody(Buffer frame) {
      return frame.toString(StandardCharsets.UTF_8);
    }

    @Override
    public Object toBody(Buffer bytes, int from, int length) {
      return RegionSink.utf8(bytes, from, length);
    }

    @Override
    public Buffer toFrame(Object body) {
      return Buffer.buffer(text(body));
    }

    private String text(Object body) {
      if (body == null || body instanceof ValueList v && v.isNullList()) {
        return "(nil)";
      }
      if (body instanceof String s) {
        return s;
      }
      if (body instanceof ErrorValue e) {
        return "(error) " + e.text();
      }
      if (body instanceof Buffer b) {
        return b.toString(StandardCharsets.UTF_8);
      }
      if (body instanceof Number || body instanceof Boolean || body instanceof JsonObject) {
        return body.toString();
      }
      if (body instanceof JsonArray || body instanceof List) {
        StringBuilder sb = new StringBuilder();
        // raw values: JsonArray.getValue() would turn a Buffer into base64
        List<?> raw = body instanceof JsonArray a ? a.getList() : (List<?>) body;
        for (int i = 0; i < raw.size(); i++) {
          if (i > 0) {
            sb.append(' ');
          }
          sb.append(text(raw.get(i)));
        }
        return sb.toString();
      }
      if (body instanceof byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
      }
      throw new IllegalArgumentException("cannot write a " + body.getClass().getSimpleName() + " reply as a line");
    }

    @Override
    public Buffer error(String text) {
      return Buffer.buffer("-" + text);
    }
  };

  /** Raw bytes (length, fixed, varint, delimiter): the frame itself; errors as {@code -CODE message} bytes. */
  public static final Protocol<Buffer> BYTES = new Protocol<>() {
    @Override
    public Object toBody(Buffer frame) {
      return frame;
    }

    @Override
    public Buffer toFrame(Object body) {
      if (body instanceof Buffer b) {
        return b;
      }
      if (body instanceof String s) {
        return Buffer.buffer(s);
      }
      if (body instanceof byte[] bytes) {
        return Buffer.buffer(bytes);
      }
      if (body == null) {
        return Buffer.buffer();
      }
      if (body instanceof JsonObject || body instanceof JsonArray || body instanceof Number) {
        return Buffer.buffer(body.toString());
      }
      throw new IllegalArgumentException("cannot write a " + body.getClass().getSimpleName() + " reply as bytes");
    }

    @Override
    public Buffer error(String text) {
      return Buffer.buffer("-" + text);
    }
  };

  private static final Map<String, Protocol<?>> BY_CODEC = new ConcurrentHashMap<>(
      Map.of("lines", LINES, "resp", RespProtocol.INSTANCE, "json", JsonProtocol.INSTANCE));

  private Protocols() {
  }

  public static void register(String codecName, Protocol<?> protocol) {
    BY_CODEC.put(codecName, protocol);
  }

  @SuppressWarnings("unchecked")
  public static <F> Protocol<F> forCodec(String codecName) {
    return (Protocol<F>) BY_CODEC.getOrDefault(codecName, BYTES);
  }
}
