package dev.strata.framing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.util.Map;

/**
 * Fuzz target for every decoder: any bytes, in any chunks, under either error policy. Decoders report
 * errors through the sink only (no exception escapes), and never hold more than their maximum plus a
 * header. {@code mvn test} replays the saved corpus in
 * {@code src/test/resources/dev/strata/framing/DecoderFuzzTestInputs/decodersOnlyReportFramingErrors};
 * fuzz for real with {@code JAZZER_FUZZ=1 mvn test -Dtest=DecoderFuzzTest}.
 */
class DecoderFuzzTest {

  private static final String[] CODECS = {"lines", "delimiter", "fixed", "length", "varint", "resp", "json", "netstring"};

  @FuzzTest(maxDuration = "60s")
  void decodersOnlyReportFramingErrors(FuzzedDataProvider data) {
    String name = CODECS[data.consumeInt(0, CODECS.length - 1)];
    boolean resync = data.consumeBoolean();
    int max = data.consumeInt(1, 4096);
    Map<String, Object> options = switch (name) {
      case "fixed" -> Map.of("frameBytes", max);
      case "delimiter" -> Map.of("delimiters", java.util.List.of("\\r\\n", "|", "END"));
      case "length" -> Map.of("lengthFieldBytes", data.pickValue(new Integer[] {1, 2, 3, 4, 8}),
          "lengthFieldOffset", data.consumeInt(0, 3), "lengthAdjustment", data.consumeInt(-8, 8),
          "byteOrder", data.consumeBoolean() ? "big" : "little");
      default -> Map.of();
    };
    FrameCodec<?> codec;
    try {
      codec = Codecs.create(name, max, options);
    } catch (IllegalArgumentException refusedConfiguration) {
      return;
    }
    boolean regions = !name.equals("resp") && !name.equals("json") && data.consumeBoolean();
    run(codec, resync, regions, data, max);
  }

  private static <F> void run(FrameCodec<F> codec, boolean resync, boolean regions, FuzzedDataProvider data, int max) {
    Harness<F> h = new Harness<>(codec, resync, regions);
    while (data.remainingBytes() > 0) {
      byte[] chunk = data.consumeBytes(data.consumeInt(1, 512));
      h.feed(Buffer.buffer(chunk));
      if (h.decoder.buffered() > max + 64) {
        throw new IllegalStateException(codec.name() + " holds " + h.decoder.buffered() + " bytes, max " + max);
      }
    }
    h.finish();
    for (FramingException e : h.errors) {
      if (!(e instanceof FrameTooLongException || e instanceof CorruptFrameException || e instanceof TruncatedFrameException)) {
        throw new IllegalStateException("undocumented error " + e);
      }
    }
  }
}
