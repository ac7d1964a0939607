package dev.strata.framing;

import io.vertx.core.buffer.Buffer;

/**
 * Text lines ended by LF or CRLF.
 *
 * <pre>
 *   bytes in:   | G E T   a \r \n | P I N G \n | p a r |
 *   frames out: "GET a"            "PING"        (kept until its LF arrives)
 * </pre>
 *
 * <p>Options: {@code maxFrameBytes} (default 65536; the line without its delimiter; decode),
 * {@code stripDelimiter} (default true; decode), {@code crlf} (default false: the encoder ends
 * lines with LF; encode). A line longer than the maximum is refused as soon as the decoder has seen
 * max + 2 bytes without an LF; on resync the rest of that line, up to its LF, is skipped unbuffered.
 */
public final class LineCodec implements FrameCodec<Buffer> {

  public static final String NAME = "lines";
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

  private final int maxFrameBytes;
  private final boolean stripDelimiter;
  private final Encoder<Buffer> encoder;

  private LineCodec(Builder b) {
    this.maxFrameBytes = b.maxFrameBytes;
    this.stripDelimiter = b.stripDelimiter;
    byte[] eol = b.crlf ? new byte[] {'\r', '\n'} : new byte[] {'\n'};
    this.encoder = (frame, out) -> out.appendBuffer(frame).appendBytes(eol);
  }

  public static LineCodec create() {
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
    return new LineDecoder(maxFrameBytes, stripDelimiter);
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
    private boolean stripDelimiter = true;
    private boolean crlf;

    public Builder maxFrameBytes(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxFrameBytes " + max + " must be > 0");
      }
      this.maxFrameBytes = max;
      return this;
    }

    public Builder stripDelimiter(boolean strip) {
      this.stripDelimiter = strip;
      return this;
    }

    public Builder crlf(boolean crlf) {
      this.crlf = crlf;
      return this;
    }

    public LineCodec build() {
      return new LineCodec(this);
    }
  }
}
