package dev.strata.framing;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteOrder;

/**
 * Frames announced by a length field: the full power of Netty's {@code LengthFieldBasedFrameDecoder},
 * configured by name.
 *
 * <pre>
 *   default (4-byte big-endian length of the body, header stripped):
 *   bytes in:   | 00 00 00 05 | h e l l o | 00 00 00 00 |
 *   frames out:   "hello"                   ""
 *
 *   lengthFieldOffset 1, lengthFieldBytes 2, lengthIncludesHeader, initialBytesToStrip 0:
 *   bytes in:   | CA | 00 08 | h e l l o |
 *   frames out:   | CA 00 08 h e l l o |        (the whole 8 bytes, header kept)
 * </pre>
 *
 * <p>Decoding, as Netty does it: the field of {@code lengthFieldBytes} at {@code lengthFieldOffset}
 * holds a value V; the whole frame on the wire is {@code V + lengthAdjustment + offset + bytes}
 * bytes long, counted from the frame's first byte; its first {@code initialBytesToStrip} bytes are
 * dropped and the rest is the frame delivered.
 *
 * <p>Options (all decode and encode unless said otherwise):
 * <ul>
 *   <li>{@code maxFrameBytes}, default 1 MiB: the largest frame <em>delivered</em> (after stripping);
 *       a larger one is a {@link FrameTooLongException} refused on reading its length; on resync its
 *       bytes are skipped, never buffered. Decode only.
 *   <li>{@code lengthFieldOffset}, default 0: bytes before the length field.
 *   <li>{@code lengthFieldBytes}, default 4: 1, 2, 3, 4 or 8. 1-3 bytes are unsigned; 4 and 8 are
 *       signed, and a negative value is a corrupt frame.
 *   <li>{@code byteOrder}, default {@code big}: {@code big} or {@code little}.
 *   <li>{@code lengthAdjustment}, default 0: added to the field's value, as in Netty.
 *   <li>{@code lengthIncludesHeader}, default false: the field counts the bytes up to and including
 *       itself too (sugar for a further adjustment of {@code -(offset + bytes)}).
 *   <li>{@code initialBytesToStrip}, default {@code offset + bytes} (the whole header): bytes removed
 *       from the start of each frame before delivery.
 *   <li>{@code tagBytes}, default 0: each frame starts with a tag of 1, 2, 4 or 8 bytes, for multiplexed
 *       correlation ({@link Tagging#leadingBytes}); the frame delivered still holds it.
 * </ul>
 *
 * <p>Encoding writes what decoding reads: the wire frame is {@code initialBytesToStrip} bytes (zeros,
 * except for the length field) followed by the frame; when the frame itself holds the length field
 * (stripping less than the header), the encoder writes the field's correct value over those bytes.
 *
 * <p>Errors: a negative value, an overflowing sum, or a frame shorter than its own header or than
 * {@code initialBytesToStrip} is a {@link CorruptFrameException} (not resyncable: the boundary is
 * lost); a frame over the maximum is a resyncable {@link FrameTooLongException}.
 */
public final class LengthFieldCodec implements FrameCodec<Buffer> {

  public static final String NAME = "length";
  public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

  final int maxFrameBytes;
  final int offset;
  final int fieldBytes;
  final boolean littleEndian;
  final int adjustment;
  final int strip;
  private final Encoder<Buffer> encoder;
  private final Tagging<Buffer> tagging;

  private LengthFieldCodec(Builder b) {
    this.maxFrameBytes = b.maxFrameBytes;
    this.offset = b.offset;
    this.fieldBytes = b.fieldBytes;
    this.littleEndian = b.order == ByteOrder.LITTLE_ENDIAN;
    this.adjustment = b.adjustment - (b.includesHeader ? b.offset + b.fieldBytes : 0);
    this.strip = b.strip == null ? b.offset + b.fieldBytes : b.strip;
    this.encoder = new LengthFieldEncoder(this);
    this.tagging = b.tagBytes == 0 ? null : Tagging.leadingBytes(b.tagBytes);
  }

  public static LengthFieldCodec create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  int headerBytes() {
    return offset + fieldBytes;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Decoder<Buffer> newDecoder() {
    return new LengthFieldDecoder(this);
  }

  @Override
  public Encoder<Buffer> encoder() {
    return encoder;
  }

  @Override
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  @Override
  public Tagging<Buffer> tagging() {
    return tagging;
  }

  public static final class Builder {
    private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
    private int offset;
    private int fieldBytes = 4;
    private ByteOrder order = ByteOrder.BIG_ENDIAN;
    private int adjustment;
    private boolean includesHeader;
    private Integer strip;
    private int tagBytes;

    public Builder maxFrameBytes(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxFrameBytes " + max + " must be > 0");
      }
      this.maxFrameBytes = max;
      return this;
    }

    public Builder lengthFieldOffset(int offset) {
      if (offset < 0 || offset > 65536) {
        throw new IllegalArgumentException("lengthFieldOffset " + offset + " must be in [0, 65536]");
      }
      this.offset = offset;
      return this;
    }

    public Builder lengthFieldBytes(int bytes) {
      if (bytes < 1 || bytes > 4 && bytes != 8) {
        throw new IllegalArgumentException("lengthFieldBytes " + bytes + " must be 1, 2, 3, 4 or 8");
      }
      this.fieldBytes = bytes;
      return this;
    }

    public Builder byteOrder(ByteOrder order) {
      this.order = order;
      return this;
    }

    /** {@code big} or {@code little}. */
    public Builder byteOrder(String order) {
      switch (order) {
        case "big" -> this.order = ByteOrder.BIG_ENDIAN;
        case "little" -> this.order = ByteOrder.LITTLE_ENDIAN;
        default -> throw new IllegalArgumentException("byteOrder '" + order + "' must be big or little");
      }
      return this;
    }

    public Builder lengthAdjustment(int adjustment) {
      this.adjustment = adjustment;
      return this;
    }

    public Builder lengthIncludesHeader(boolean includes) {
      this.includesHeader = includes;
      return this;
    }

    public Builder initialBytesToStrip(int strip) {
      if (strip < 0) {
        throw new IllegalArgumentException("initialBytesToStrip " + strip + " must be >= 0");
      }
      this.strip = strip;
      return this;
    }

    /**
     * Frames start with a tag of this many bytes (1, 2, 4 or 8; 0, the default, for none), for
     * multiplexed correlation: see {@link Tagging#leadingBytes}.
     */
    public Builder tagBytes(int bytes) {
      if (bytes != 0) {
        Tagging.leadingBytes(bytes); // validates
      }
      this.tagBytes = bytes;
      return this;
    }

    public LengthFieldCodec build() {
      return new LengthFieldCodec(this);
    }
  }
}
