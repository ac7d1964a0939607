package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class DelimiterCodecTest {

  private static java.util.List<String> decode(DelimiterCodec c, String... chunks) {
    Harness<Buffer> h = Harness.run(c, true, java.util.Arrays.stream(chunks).map(Buffer::buffer).toList(), false);
    return h.frames.stream().map(Buffer::toString).toList();
  }

  @Test
  void theDelimiterGivingTheShortestFrameWins() {
    DelimiterCodec c = DelimiterCodec.builder().delimiter("END").delimiter("|").build();
    assertThat(decode(c, "ab|cdENDef|")).containsExactly("ab", "cd", "ef");
  }

  @Test
  void onATieTheLongestDelimiterIsConsumedWhateverTheSplit() {
    DelimiterCodec c = DelimiterCodec.builder().delimiter("\\r").delimiter("\\r\\n").build();
    assertThat(decode(c, "a\r\nb\rc\r\n")).containsExactly("a", "b", "c");
    assertThat(decode(c, "a\r", "\nb\r", "c\r", "\n")).containsExactly("a", "b", "c");
  }

  @Test
  void aDelimiterCutByAChunksEndIsFound() {
    DelimiterCodec c = DelimiterCodec.builder().delimiter("<END>").build();
    assertThat(decode(c, "one<E", "N", "D>two<END", ">")).containsExactly("one", "two");
  }

  @Test
  void escapesAndHexDelimitersAreParsed() {
    assertThat(DelimiterCodec.parseDelimiter("\\r\\n")).containsExactly('\r', '\n');
    assertThat(DelimiterCodec.parseDelimiter("\\x00\\t")).containsExactly(0, '\t');
    assertThat(DelimiterCodec.parseDelimiter("hex:0d0a")).containsExactly('\r', '\n');
    assertThatThrownBy(() -> DelimiterCodec.parseDelimiter("\\q")).hasMessageContaining("unknown escape");
    assertThatThrownBy(() -> DelimiterCodec.parseDelimiter("\\x4")).hasMessageContaining("two hex digits");
  }

  @Test
  void tooLongFrameIsSkippedToTheNextDelimiter() {
    DelimiterCodec c = DelimiterCodec.builder().delimiter("||").maxFrameBytes(4).build();
    Harness<Buffer> h = Harness.run(c, true, java.util.List.of(Buffer.buffer("abcdefgh|"), Buffer.buffer("|ok||")), false);
    assertThat(h.errors).singleElement().isInstanceOf(FrameTooLongException.class);
    assertThat(h.frames).extracting(Buffer::toString).containsExactly("ok");
  }

  @Test
  void encoderRefusesAFrameHoldingADelimiter() {
    DelimiterCodec c = DelimiterCodec.builder().delimiter("|").build();
    assertThatThrownBy(() -> c.encoder().encode(Buffer.buffer("a|b"))).hasMessageContaining("delimiter");
  }
}
