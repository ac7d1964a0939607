package dev.strata.framing;

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
    register(LengthFieldCodec.NAME, (max, o) -> {
      LengthFieldCodec.Builder b = LengthFieldCodec.builder();
      return (max == null ? b : b.maxFrameBytes(max)).build();
    });
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
