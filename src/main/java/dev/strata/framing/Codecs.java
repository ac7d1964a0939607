package dev.strata.framing;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The codecs known by name, as configuration selects them. New codecs register a {@link Factory}. */
public final class Codecs {

  /** Builds a codec from its maximum frame size (null: the codec's default) and named options. */
  @FunctionalInterface
  public interface Factory {
    FrameCodec<?> create(Integer maxFrameBytes, CodecOptions options);
  }

  private static final Map<String, Factory> FACTORIES = new ConcurrentHashMap<>();

  static {
    register(LineCodec.NAME, (max, o) -> {
      LineCodec.Builder b = LineCodec.builder()
          .stripDelimiter(o.boolValue("stripDelimiter", true))
          .crlf(o.boolValue("crlf", false));
      return (max == null ? b : b.maxFrameBytes(max)).build();
    });
    register(DelimiterCodec.NAME, (max, o) -> {
      DelimiterCodec.Builder b = DelimiterCodec.builder().stripDelimiter(o.boolValue("stripDelimiter", true));
      for (String d : o.stringList("delimiters", List.of("\\n"))) {
        try {
          b.delimiter(d);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("option delimiters: " + e.getMessage());
        }
      }
      return (max == null ? b : b.maxFrameBytes(max)).build();
    });
    register(FixedLengthCodec.NAME, (max, o) -> {
      int size = o.intValue("frameBytes", -1);
      if (size <= 0) {
        throw new IllegalArgumentException("option frameBytes: required, and must be > 0, got " + size);
      }
      if (max != null && size > max) {
        throw new IllegalArgumentException("option frameBytes: " + size + " is over maxFrameBytes " + max);
      }
      return FixedLengthCodec.of(size);
    });
    register(LengthFieldCodec.NAME, (max, o) -> {
      LengthFieldCodec.Builder b = LengthFieldCodec.builder()
          .lengthFieldOffset(o.intValue("lengthFieldOffset", 0))
          .lengthFieldBytes(o.intValue("lengthFieldBytes", 4))
          .byteOrder(o.stringValue("byteOrder", "big"))
          .lengthAdjustment(o.intValue("lengthAdjustment", 0))
          .lengthIncludesHeader(o.boolValue("lengthIncludesHeader", false));
      int strip = o.intValue("initialBytesToStrip", -1);
      if (strip != -1) {
        b.initialBytesToStrip(strip);
      }
      b.tagBytes(o.intValue("tagBytes", 0));
      return (max == null ? b : b.maxFrameBytes(max)).build();
    });
    register(VarintCodec.NAME, (max, o) -> max == null ? VarintCodec.create() : VarintCodec.create(max));
    register(RespCodec.NAME, (max, o) -> {
      RespCodec.Builder b = RespCodec.builder().inline(o.boolValue("inline", true))
          .maxBulkBytes(o.intValue("maxBulkBytes", RespCodec.DEFAULT_MAX_BULK_BYTES));
      return (max == null ? b : b.maxFrameBytes(max)).build();
    });
    register(JsonCodec.NAME, (max, o) -> JsonCodec.create(max == null ? JsonCodec.DEFAULT_MAX_FRAME_BYTES : max,
        o.stringValue("tagField", JsonCodec.DEFAULT_TAG_FIELD)));
    register(NetstringCodec.NAME, (max, o) -> max == null ? NetstringCodec.create() : NetstringCodec.create(max));
  }

  private Codecs() {
  }

  public static void register(String name, Factory factory) {
    FACTORIES.put(name, factory);
  }

  public static Set<String> names() {
    return new TreeSet<>(FACTORIES.keySet());
  }

  public static boolean exists(String name) {
    return FACTORIES.containsKey(name);
  }

  /**
   * Creates the named codec.
   *
   * @throws IllegalArgumentException for an unknown name or a bad option, with a message naming it
   */
  public static FrameCodec<?> create(String name, Integer maxFrameBytes, Map<String, Object> options) {
    Factory f = FACTORIES.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown codec '" + name + "'; known: " + names());
    }
    CodecOptions o = new CodecOptions(options);
    FrameCodec<?> codec = f.create(maxFrameBytes, o);
    o.checkAllUsed();
    return codec;
  }
}
