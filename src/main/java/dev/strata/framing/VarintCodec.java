package dev.strata.framing;

import io.vertx.core.buffer.Buffer;

/**
 * Frames prefixed by their length as a protobuf base-128 varint (as {@code writeDelimitedTo} writes
 * them): seven bits a byte, least significant group first, the high bit set on every byte but the last.
 *
 * <pre>
 *   bytes in:   | 05 | h e l l o | AC 02 | (300 bytes) | 00 |
 *   frames out:   "hello"          (300-byte frame)      ""
 * </pre>
 *
 * <p>Options: {@code maxFrameBytes} (default 1 MiB; decode). A length over the maximum is a resyncable
 * {@link FrameTooLongException}: the body is skipped unbuffered. A varint of more than 5 bytes or a
 * value of 2^32 or more is a {@link CorruptFrameException} (not resyncable).
 */
public final class VarintCodec implements FrameCodec<Buffer> {

  public static final String NAME = "varint";
  public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

  private static final Encoder<Buffer> ENCODER = (frame, out) -> {
    int v = frame.length();
    while ((v & ~0x7F) != 0) {
      out.appendByte((byte) (v & 0x7F | 0x80));
      v >>>= 7;
    }
    out.appendByte((byte) v);
    out.appendBuffer(frame);
  };

  private final int maxFrameBytes;

  private VarintCodec(int maxFrameBytes) {
    if (maxFrameBytes <= 0) {
      throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " must be > 0");
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  public static VarintCodec create() {
    return new VarintCodec(DEFAULT_MAX_FRAME_BYTES);
  }

  public static VarintCodec create(int maxFrameBytes) {
    return new VarintCodec(maxFrameBytes);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Decoder<Buffer> newDecoder() {
    return new VarintDecoder(maxFrameBytes);
  }

  @Override
  public Encoder<Buffer> encoder() {
    return ENCODER;
  }

  @Override
  public int maxFrameBytes() {
    return maxFrameBytes;
  }
}
