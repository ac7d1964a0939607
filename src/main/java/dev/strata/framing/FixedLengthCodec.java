package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * Frames of one fixed size.
 *
 * <pre>
 *   frameBytes 3:
 *   bytes in:   | a b c d | e f g h |
 *   frames out:   "abc" "def"   (g h kept until a third byte arrives)
 * </pre>
 *
 * <p>Options: {@code frameBytes} (required, > 0; decode and encode; it is also the maximum frame
 * size). No frame can be corrupt or too long; a stream that ends inside a frame is a
 * {@link TruncatedFrameException}. The encoder refuses a frame of another size.
 */
public final class FixedLengthCodec implements FrameCodec<Buffer> {

  public static final String NAME = "fixed";

  private final int frameBytes;
  private final Encoder<Buffer> encoder;

  private FixedLengthCodec(int frameBytes) {
    if (frameBytes <= 0) {
      throw new IllegalArgumentException("frameBytes " + frameBytes + " must be > 0");
    }
    this.frameBytes = frameBytes;
    this.encoder = (frame, out) -> {
      if (frame.length() != frameBytes) {
        throw new IllegalArgumentException("frame of " + frame.length() + " bytes, expected " + frameBytes);
      }
      out.appendBuffer(frame);
    };
  }

  public static FixedLengthCodec of(int frameBytes) {
    return new FixedLengthCodec(frameBytes);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Decoder<Buffer> newDecoder() {
    return new FixedLengthDecoder(frameBytes);
  }

  @Override
  public Encoder<Buffer> encoder() {
    return encoder;
  }

  @Override
  public int maxFrameBytes() {
    return frameBytes;
  }

  /** Slices whole frames from the chunk; assembles a frame cut by the chunk's end. */
  private static final class FixedLengthDecoder implements Decoder<Buffer> {
    private final int size;
    private final FrameAssembler partial;

    FixedLengthDecoder(int size) {
      this.size = size;
      this.partial = new FrameAssembler(size);
    }

    @Override
    public void decode(Buffer chunk, FrameSink<Buffer> sink) {
      ByteBuf in = Chunks.bytes(chunk);
      int r = in.readerIndex();
      int end = in.writerIndex();
      if (partial.size() > 0) {
        int n = Math.min(size - partial.size(), end - r);
        partial.add(in, r, n, sink);
        r += n;
        if (partial.size() < size) {
          return;
        }
        partial.deliver(size, sink);
      }
      for (; end - r >= size; r += size) {
        Chunks.emit(sink, chunk, in, r, size);
      }
      if (r < end) {
        partial.expect(size);
        partial.add(in, r, end - r, sink);
      }
      partial.idle();
    }

    @Override
    public int buffered() {
      return partial.size();
    }

    @Override
    public boolean stopped() {
      return false;
    }
  }
}
