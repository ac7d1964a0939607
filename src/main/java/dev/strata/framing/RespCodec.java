package dev.strata.framing;

/**
 * Redis RESP2 requests and replies, RESP3 scalars and sets/pushes, and inline commands; frames are
 * the Java values listed in {@link Resp}.
 *
 * <pre>
 *   bytes in:   | *2\r\n $3\r\n GET\r\n $1\r\n a\r\n | PING\r\n | +OK\r\n | $-1\r\n |
 *   frames out:   JsonArray[Buffer "GET", Buffer "a"]  [Buffer "PING"]  "OK"     Resp.NULL
 * </pre>
 *
 * <p>Options: {@code maxFrameBytes} (default 1 GiB, as redis-server's {@code client-query-buffer-limit}: the
 * bytes of one top-level frame, and so each array's element count; decode); {@code maxBulkBytes} (default
 * 512 MiB, as redis-server's {@code proto-max-bulk-len}: one bulk string's length; decode); {@code inline}
 * (default true: a top-level line that does not start with a RESP type byte is an inline command; decode).
 * Lines (inline commands, simple strings, errors) are at most {@value #MAX_LINE_BYTES} bytes, as
 * redis-server's inline requests. Memory for large frames comes out of the node's
 * {@code limits.pendingFrameBytes} as it arrives; a bulk string over 64 KiB cut by reads is assembled
 * from the chunks by reference, never copied piece by piece.
 *
 * <p>Errors: bad syntax is a {@link CorruptFrameException}, not resyncable (RESP has no boundary to
 * find again; redis-server closes the connection too), except an inline line with unbalanced quotes,
 * which ends at its LF. A frame over the maximum is a {@link FrameTooLongException}, resyncable when
 * its end is known without reading it: a top-level bulk string (skipped unbuffered) or an inline line
 * (skipped to its LF); a too-long array or nested bulk string is not.
 *
 * <p>Nulls: a top-level null (bulk, array or RESP3) is {@link Resp#NULL}; a null inside an array is
 * a Java {@code null} element of the {@code JsonArray}. The encoder writes both as {@code $-1\r\n}.
 */
public final class RespCodec implements FrameCodec<Object> {

  public static final String NAME = "resp";
  public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 30;
  public static final int DEFAULT_MAX_BULK_BYTES = 512 << 20;
  public static final int MAX_LINE_BYTES = 64 * 1024;

  private final int maxFrameBytes;
  private final int maxBulkBytes;
  private final boolean inline;

  private RespCodec(Builder b) {
    this.maxFrameBytes = b.maxFrameBytes;
    this.maxBulkBytes = b.maxBulkBytes;
    this.inline = b.inline;
  }

  public static RespCodec create() {
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
  public Decoder<Object> newDecoder() {
    return new RespDecoder(maxFrameBytes, Math.min(maxBulkBytes, maxFrameBytes), inline);
  }

  @Override
  public Encoder<Object> encoder() {
    return RespEncoder.INSTANCE;
  }

  @Override
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  public static final class Builder {
    private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
    private int maxBulkBytes = DEFAULT_MAX_BULK_BYTES;
    private boolean inline = true;

    public Builder maxFrameBytes(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxFrameBytes " + max + " must be > 0");
      }
      this.maxFrameBytes = max;
      return this;
    }

    /** The longest bulk string (also capped by {@code maxFrameBytes}). */
    public Builder maxBulkBytes(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxBulkBytes " + max + " must be >= 0");
      }
      this.maxBulkBytes = max;
      return this;
    }

    public Builder inline(boolean inline) {
      this.inline = inline;
      return this;
    }

    public RespCodec build() {
      return new RespCodec(this);
    }
  }
}
