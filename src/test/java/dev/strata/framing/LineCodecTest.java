package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineCodecTest {

  @Test
  void decodesLfAndCrlfLinesAndKeepsThePartialOne() {
    Harness<Buffer> h = Harness.run(LineCodec.create(), false, List.of(Buffer.buffer("GET a\r\nPING\npar")), false);
    assertThat(h.frames).extracting(Buffer::toString).containsExactly("GET a", "PING");
    assertThat(h.decoder.buffered()).isEqualTo(3);
  }

  @Test
  void crlfCutBetweenCrAndLfIsStripped() {
    Harness<Buffer> h = Harness.run(LineCodec.create(), false, List.of(Buffer.buffer("ab\r"), Buffer.buffer("\n")), true);
    assertThat(h.frames).extracting(Buffer::toString).containsExactly("ab");
  }

  @Test
  void keepsTheDelimiterWhenAsked() {
    Harness<Buffer> h = Harness.run(LineCodec.builder().stripDelimiter(false).build(), false,
        List.of(Buffer.buffer("a\r\nb\n")), true);
    assertThat(h.frames).extracting(Buffer::toString).containsExactly("a\r\n", "b\n");
  }

  @Test
  void lineOfExactlyMaxBytesPassesAndOneMoreIsRefused() {
    LineCodec c = LineCodec.builder().maxFrameBytes(3).build();
    Harness<Buffer> h = Harness.run(c, true, List.of(Buffer.buffer("abc\r"), Buffer.buffer("\nabcd\nok\n")), true);
    assertThat(h.frames).extracting(Buffer::toString).containsExactly("abc", "ok");
    assertThat(h.errors).singleElement().isInstanceOf(FrameTooLongException.class);
  }

  @Test
  void wholeLinesAreSlicesOfTheChunk() {
    Buffer chunk = Buffer.buffer("abc\n");
    Harness<Buffer> h = Harness.run(LineCodec.create(), false, List.of(chunk), false);
    chunk.setByte(0, (byte) 'X');
    assertThat(h.frames.get(0).toString()).isEqualTo("Xbc");
  }
}
