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

  /** Slices whole frames from the chunk; copies a frame cut by the chunk's end. */
  private static final class FixedLengthDecoder implements Decoder<Buffer> {
    private final int size;
    private ByteBuf partial;

    FixedLengthDecoder(int size) {
      this.size = size;
    }

    @Override
    public void decode(Buffer chunk, FrameSink<Buffer> sink) {
      ByteBuf in = Chunks.bytes(chunk);
      int r = in.readerIndex();
      int end = in.writerIndex();
      if (partial != null) {
        int n = Math.min(size - partial.writerIndex(), end - r);
        partial.writeBytes(in, r, n);
        r += n;
        if (partial.writerIndex() < size) {
          return;
        }
        ByteBuf frame = partial;
        partial = null;
        sink.frame(Chunks.frame(frame));
      }
      for (; end - r >= size; r += size) {
        sink.frame(Chunks.frame(in.slice(r, size)));
      }
      if (r < end) {
        partial = Chunks.partial(size);
        partial.writeBytes(in, r, end - r);
      }
    }

    @Override
    public int buffered() {
      return partial == null ? 0 : partial.readableBytes();
    }

    @Override
    public boolean stopped() {
      return false;
    }
  }
}
