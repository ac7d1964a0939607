package dev.strata.framing;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Frames ended by one of several byte-sequence delimiters.
 *
 * <pre>
 *   delimiters ["\r\n", "|"]:
 *   bytes in:   | a b c \r \n | d e | | f o o |
 *   frames out:   "abc"         "de"  (kept until a delimiter arrives)
 * </pre>
 *
 * <p>When several delimiters match, the one that gives the shortest frame wins (it starts first, as
 * in Netty's {@code DelimiterBasedFrameDecoder}); on a tie the longest delimiter is consumed, so
 * {@code ["\r", "\r\n"]} reads {@code a\r\n} as one frame "a". A frame never depends on how the bytes
 * were split: a delimiter cut by a chunk's end waits for its next bytes.
 *
 * <p>Options: {@code delimiters} (default {@code ["\n"]}; decode, and the encoder ends each frame with
 * the first), each a string with the escapes {@code \r \n \t \0 \\ \xHH}, or {@code hex:0d0a};
 * {@code maxFrameBytes} (default 65536, the frame without its delimiter; decode);
 * {@code stripDelimiter} (default true; decode). A frame over the maximum is a resyncable
 * {@link FrameTooLongException}, raised once max + longest-delimiter bytes have come without a
 * delimiter; resync skips to the next delimiter without buffering. The encoder refuses a frame
 * holding a delimiter: it could not be read back.
 */
public final class DelimiterCodec implements FrameCodec<Buffer> {

  public static final String NAME = "delimiter";
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

  private final byte[][] delimiters;
  private final int maxFrameBytes;
  private final boolean strip;
  private final Encoder<Buffer> encoder;

  private DelimiterCodec(Builder b) {
    this.delimiters = b.delimiters.toArray(new byte[0][]);
    this.maxFrameBytes = b.maxFrameBytes;
    this.strip = b.strip;
    byte[] first = delimiters[0];
    this.encoder = (frame, out) -> {
      for (byte[] d : delimiters) {
        if (contains(frame, d)) {
          throw new IllegalArgumentException("frame holds the delimiter " + HexFormat.of().formatHex(d));
        }
      }
      out.appendBuffer(frame).appendBytes(first);
    };
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Parses a delimiter written with escapes ({@code \r \n \t \0 \\ \xHH}) or as {@code hex:...}. */
  public static byte[] parseDelimiter(String text) {
    if (text.startsWith("hex:")) {
      try {
        return HexFormat.of().parseHex(text.substring(4));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("delimiter '" + text + "': bad hex: " + e.getMessage());
      }
    }
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    Buffer out = Buffer.buffer(raw.length);
    for (int i = 0; i < raw.length; i++) {
      byte c = raw[i];
      if (c != '\\') {
        out.appendByte(c);
        continue;
      }
      if (++i >= raw.length) {
        throw new IllegalArgumentException("delimiter '" + text + "' ends with a lone backslash");
      }
      switch (raw[i]) {
        case 'r' -> out.appendByte((byte) '\r');
        case 'n' -> out.appendByte((byte) '\n');
        case 't' -> out.appendByte((byte) '\t');
        case '0' -> out.appendByte((byte) 0);
        case '\\' -> out.appendByte((byte) '\\');
        case 'x' -> {
          int hi = i + 1 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
          int lo = i + 2 < raw.length ? Character.digit(raw[i + 2], 16) : -1;
          if (hi < 0 || lo < 0) {
            throw new IllegalArgumentException("delimiter '" + text + "': \\x needs two hex digits");
          }
          out.appendByte((byte) (hi << 4 | lo));
          i += 2;
        }
        default -> throw new IllegalArgumentException(
            "delimiter '" + text + "': unknown escape \\" + (char) raw[i]);
      }
    }
    return out.getBytes();
  }

  private static boolean contains(Buffer frame, byte[] d) {
    int last = frame.length() - d.length;
    outer:
    for (int i = 0; i <= last; i++) {
      for (int k = 0; k < d.length; k++) {
        if (frame.getByte(i + k) != d[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Decoder<Buffer> newDecoder() {
    return new DelimiterDecoder(delimiters, maxFrameBytes, strip);
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
    private final List<byte[]> delimiters = new ArrayList<>();
    private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
    private boolean strip = true;

    /** Adds a delimiter; the first one added is the one the encoder writes. */
    public Builder delimiter(byte[] delimiter) {
      if (delimiter.length == 0) {
        throw new IllegalArgumentException("delimiter must not be empty");
      }
      if (delimiter.length > 256) {
        throw new IllegalArgumentException("delimiter of " + delimiter.length + " bytes is over 256");
      }
      delimiters.add(delimiter.clone());
      return this;
    }

    /** Adds a delimiter written as in configuration, see {@link #parseDelimiter}. */
    public Builder delimiter(String text) {
      return delimiter(parseDelimiter(text));
    }

    public Builder maxFrameBytes(int max) {
      if (max <= 0) {
        throw new IllegalArgumentException("maxFrameBytes " + max + " must be > 0");
      }
      this.maxFrameBytes = max;
      return this;
    }

    public Builder stripDelimiter(boolean strip) {
      this.strip = strip;
      return this;
    }

    public DelimiterCodec build() {
      if (delimiters.isEmpty()) {
        delimiters.add(new byte[] {'\n'});
      }
      return new DelimiterCodec(this);
    }
  }
}
