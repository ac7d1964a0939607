package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Codecs by name with named options, as conf/strata.yaml selects them. */
class CodecsTest {

  @Test
  void everyCodecIsRegisteredByName() {
    assertThat(Codecs.names()).contains("lines", "delimiter", "fixed", "length", "varint", "resp", "json", "netstring");
  }

  @Test
  void lengthOptionsAreReadByName() {
    @SuppressWarnings("unchecked")
    FrameCodec<Buffer> c = (FrameCodec<Buffer>) Codecs.create("length", 100, Map.of("lengthFieldBytes", 2,
        "byteOrder", "little", "lengthFieldOffset", 1, "lengthAdjustment", 0, "initialBytesToStrip", 3,
        "lengthIncludesHeader", false));
    Harness<Buffer> h = Harness.run(c, false, Buffer.buffer(new byte[] {9, 2, 0, 'h', 'i'}));
    assertThat(h.frames).extracting(Buffer::toString).containsExactly("hi");
    assertThat(c.maxFrameBytes()).isEqualTo(100);
  }

  @Test
  void delimitersAreAListOfEscapedStrings() {
    @SuppressWarnings("unchecked")
    FrameCodec<Buffer> c = (FrameCodec<Buffer>) Codecs.create("delimiter", null,
        Map.of("delimiters", List.of("\\r\\n", "hex:7c"), "stripDelimiter", true));
    Harness<Buffer> h = Harness.run(c, false, Buffer.buffer("a|b\r\n"));
    assertThat(h.frames).extracting(Buffer::toString).containsExactly("a", "b");
  }

  @Test
  void fixedNeedsItsSize() {
    assertThat(Codecs.create("fixed", null, Map.of("frameBytes", 8)).maxFrameBytes()).isEqualTo(8);
    assertThatThrownBy(() -> Codecs.create("fixed", null, Map.of())).hasMessageContaining("frameBytes");
    assertThatThrownBy(() -> Codecs.create("fixed", 4, Map.of("frameBytes", 8))).hasMessageContaining("over maxFrameBytes 4");
  }

  @Test
  void badOptionsAreNamed() {
    assertThatThrownBy(() -> Codecs.create("length", null, Map.of("lengthFieldBytes", 5)))
        .hasMessageContaining("lengthFieldBytes 5");
    assertThatThrownBy(() -> Codecs.create("length", null, Map.of("byteorder", "big")))
        .hasMessageContaining("unknown option(s) [byteorder]");
    assertThatThrownBy(() -> Codecs.create("delimiter", null, Map.of("delimiters", List.of(1))))
        .hasMessageContaining("option delimiters");
    assertThatThrownBy(() -> Codecs.create("resp", null, Map.of("inline", "yes")))
        .hasMessageContaining("option inline");
    assertThatThrownBy(() -> Codecs.create("nope", null, Map.of())).hasMessageContaining("unknown codec 'nope'");
  }

  @Test
  void defaultsNeedNoOptions() {
    for (String name : List.of("lines", "delimiter", "length", "varint", "resp", "json", "netstring")) {
      assertThat(Codecs.create(name, null, null).name()).isEqualTo(name);
    }
  }
}
