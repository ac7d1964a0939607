package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Netstrings, and through them the mode switching of {@link ModalDecoder}. */
class NetstringCodecTest {

  @Test
  void switchesBetweenDelimitedHeadersAndFixedBodies() {
    Harness<Buffer> h = Harness.run(NetstringCodec.create(), false, Buffer.buffer("5:hello,0:,11:hello world,"));
    assertThat(h.frames).extracting(Buffer::toString).containsExactly("hello", "", "hello world");
    assertThat(NetstringCodec.create().encoder().encode(Buffer.buffer("hi")).toString()).isEqualTo("2:hi,");
  }

  @Test
  void aMissingCommaIsCorrupt() {
    Harness<Buffer> h = Harness.run(NetstringCodec.create(), true, Buffer.buffer("2:hi;3:abc,"));
    assertThat(h.errors).singleElement().isInstanceOf(CorruptFrameException.class);
    assertThat(h.frames).isEmpty();
  }

  @Test
  void aTooLongNetstringIsSkippedOnResync() {
    Harness<Buffer> h = Harness.run(NetstringCodec.create(4), true,
        List.of(Buffer.buffer("10:0123"), Buffer.buffer("456789,2:ok,")), true);
    assertThat(h.errors).singleElement().isInstanceOf(FrameTooLongException.class);
    assertThat(h.frames).extracting(Buffer::toString).containsExactly("ok");
    assertThat(h.maxBuffered).isZero();
  }
}
