package dev.strata.framing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The "new codec in under 50 lines" of docs/framing.md, compiled and tested so the doc stays true. */
class TlvCodecExampleTest {

  // --- docs/framing.md example begins ---
  /** Type-length-value: 1 type byte, 2-byte big-endian length, the value. Frame: the whole TLV. */
  static final class TlvCodec implements FrameCodec<Buffer> {
    private final int max;

    TlvCodec(int max) {
      this.max = max;
    }

    @Override public String name() {
      return "tlv";
    }

    @Override public int maxFrameBytes() {
      return max;
    }

    @Override public Encoder<Buffer> encoder() {
      return (frame, out) -> out.appendBuffer(frame); // a frame is already a whole TLV
    }

    @Override public Decoder<Buffer> newDecoder() {
      return new ModalDecoder<>() {
        private Buffer header; // type + length, while the value is read
        { fixed(3); }

        @Override protected boolean midFrame() {
          return header != null;
        }

        @Override protected void record(Buffer record, FrameSink<Buffer> sink) {
          if (header == null) {
            int length = record.getUnsignedShort(1);
            if (length + 3 > max) {
              if (fail(new FrameTooLongException(length + 3, max, true), sink)) {
                skip(length); // resync: the next TLV starts after this value
              }
              return;
            }
            header = record.copy();
            fixed(length);
          } else {
            sink.frame(header.appendBuffer(record));
            header = null;
            fixed(3);
          }
        }
      };
    }
  }
  // --- docs/framing.md example ends ---

  @Test
  void registeredByNameItDecodesTlvsSplitAnywhere() {
    Codecs.register("tlv", (max, options) -> new TlvCodec(max == null ? 65_538 : max));
    @SuppressWarnings("unchecked")
    FrameCodec<Buffer> codec = (FrameCodec<Buffer>) Codecs.create("tlv", 16, Map.of());
    Buffer wire = Buffer.buffer(new byte[] {1, 0, 2, 'h', 'i', 2, 0, 0, 3, 0, 20}).appendBuffer(Buffer.buffer(new byte[20]))
        .appendBuffer(Buffer.buffer(new byte[] {4, 0, 1, '!'}));
    for (int at = 0; at <= wire.length(); at++) {
      Harness<Buffer> h = Harness.run(codec, true, Harness.cut(wire, at), true);
      assertThat(h.frames).extracting(b -> b.length()).containsExactly(5, 3, 4);
      assertThat(h.errors).singleElement().isInstanceOf(FrameTooLongException.class);
    }
  }
}
