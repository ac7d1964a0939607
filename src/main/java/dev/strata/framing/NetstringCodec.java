package dev.strata.framing;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Netstrings (D. J. Bernstein): the length in ASCII decimal, a colon, the bytes, a comma. A
 * header-then-body protocol, decoded by switching a {@link ModalDecoder} from delimited to fixed mode
 * and back.
 *
 * <pre>
 *   bytes in:   | 5 : h e l l o , | 0 : , | 1 1 : h e l l o   w o r l d , |
 *   frames out:   "hello"           ""      "hello world"
 * </pre>
 *
 * <p>Options: {@code maxFrameBytes} (default 1 MiB; decode). A length over the maximum is a
 * resyncable {@link FrameTooLongException} (its bytes and comma are skipped unbuffered); more than 10
 * bytes without a colon is a {@link FrameTooLongException} that is not resyncable; a length that is not
 * digits, or a body not followed by a comma, is a {@link CorruptFrameException} (not resyncable). A stream that ends inside a netstring is a {@link TruncatedFrameException}.
 */
public final class NetstringCodec implements FrameCodec<Buffer> {

  public static final String NAME = "netstring";
  public static final int DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

  private static final byte[] COLON = {':'};
  private static final Encoder<Buffer> ENCODER = (frame, out) ->
      out.appendString(Integer.toString(frame.length())).appendByte((byte) ':').appendBuffer(frame).appendByte((byte) ',');

  private final int maxFrameBytes;

  private NetstringCodec(int maxFrameBytes) {
    if (maxFrameBytes <= 0) {
      throw new IllegalArgumentException("maxFrameBytes " + maxFrameBytes + " must be > 0");
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  public static NetstringCodec create() {
    return new NetstringCodec(DEFAULT_MAX_FRAME_BYTES);
  }

  public static NetstringCodec create(int maxFrameBytes) {
    return new NetstringCodec(maxFrameBytes);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Decoder<Buffer> newDecoder() {
    return new NetstringDecoder(maxFrameBytes);
  }

  @Override
  public Encoder<Buffer> encoder() {
    return ENCODER;
  }

  @Override
  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** Header mode: a length up to the colon; body mode: the bytes and their comma. */
  private static final class NetstringDecoder extends ModalDecoder<Buffer> {
    private final int max;
    private boolean inBody;

    NetstringDecoder(int max) {
      this.max = max;
      delimited(COLON, 10);
    }

    @Override
    protected boolean midFrame() {
      return inBody;
    }

    @Override
    protected void record(Buffer record, FrameSink<Buffer> sink) {
      if (inBody) {
        int n = record.length() - 1;
        if (record.getByte(n) != ',') {
          fail(new CorruptFrameException("netstring not ended by a comma"), sink);
          return;
        }
        sink.frame(record.slice(0, n));
        inBody = false;
        delimited(COLON, 10);
        return;
      }
      String digits = record.toString(StandardCharsets.US_ASCII);
      if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        fail(new CorruptFrameException("netstring length '" + digits + "' is not a number"), sink);
        return;
      }
      long n = Long.parseLong(digits);
      if (n > max) {
        if (fail(new FrameTooLongException(n, max, true), sink)) {
          skip(n + 1);
        }
        return;
      }
      inBody = true;
      fixed((int) n + 1);
    }
  }
}
