package dev.strata.framing;

import io.vertx.core.buffer.Buffer;

/**
 * Frames prefixed by their length.
 *
 * <pre>
 *   bytes in:   | 00 00 00 05 | h e l l o | 00 00 00 00 |
 *   frames out:   "hello"                   ""
 * </pre>
 *
 * <p>Options: {@code maxFrameBytes} (default 1 MiB; decode). The length prefix is 4 bytes, big-endian,
 * and counts the body only. A negative length is corrupt (no resync: the boundary is lost); a length
 * over the maximum is refused on reading the prefix, and on resync its body is skipped unbuffered.
 */
public final class LengthFieldCodec implements FrameCodec<Buffer> {

  public static final String NAME = "length";
  public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

  private final int maxFrameBytes;
  private final Encoder<Buffer> encoder;

  private LengthFieldCodec(Builder b) {
    this.maxFrameBytes = b.maxFrameBytes;
    this.encoder = (frame, out) -> out.appendInt(frame.length()).appendBuffer(frame);
  }

  public static LengthFieldCodec create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Decoder<Buffer> newDecoder() {
    return new LengthFieldDecoder(maxFrameBytes);
  }

  @Override
  public Encoder<Buffer> encoder() {
    return encoder;
  }

  @Override
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public static final class Builder {
    private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;

    public Builder maxFrameBytes(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxFrameBytes " + max + " must be > 0");
      }
      this.maxFrameBytes = max;
      return this;
    }

    public LengthFieldCodec build() {
      return new LengthFieldCodec(this);
    }
  }
}
