package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * Decoder of {@link LengthFieldCodec}. Whole frames are sliced out of the chunk with no copy; only a
 * frame cut by the chunk's end is copied, into a buffer of its announced size (at most the maximum).
 */
final class LengthFieldDecoder implements Decoder<Buffer> {

  private final int max;
  private final int offset;
  private final int fieldBytes;
  private final boolean little;
  private final int adjustment;
  private final int strip;
  private final int header;
  /** A header cut by a chunk's end. */
  private final byte[] head;
  private final ByteBuf headBuf;
  private int headLen;
  /** The frame being filled ({@code bodyLen} bytes), after {@code stripLeft} more bytes are skipped. */
  private final FrameAssembler body;
  private int bodyLen = -1;
  private int stripLeft;
  /** Bytes of a refused frame still to skip. */
  private long skip;
  private boolean stopped;

  LengthFieldDecoder(LengthFieldCodec c) {
    this.max = c.maxFrameBytes;
    this.offset = c.offset;
    this.fieldBytes = c.fieldBytes;
    this.little = c.littleEndian;
    this.adjustment = c.adjustment;
    this.strip = c.strip;
    this.header = c.headerBytes();
    this.head = new byte[header];
    this.headBuf = Unpooled.wrappedBuffer(head);
    this.body = new FrameAssembler(c.maxFrameBytes);
  }

  @Override
  public void decode(Buffer chunk, FrameSink<Buffer> sink) {
    if (!stopped) {
      scan(chunk, sink);
      body.idle();
    }
  }

  private void scan(Buffer chunk, FrameSink<Buffer> sink) {
    ByteBuf in = Chunks.bytes(chunk);
    int r = in.readerIndex();
    int end = in.writerIndex();
    while (r < end) {
      if (skip > 0) {
        int n = (int) Math.min(skip, end - r);
        r += n;
        skip -= n;
      } else if (bodyLen >= 0) {
        r = fill(in, r, end, sink);
      } else if (headLen > 0 || end - r < header) {
        int n = Math.min(header - headLen, end - r);
        in.getBytes(r, head, headLen, n);
        headLen += n;
        r += n;
        if (headLen == header) {
          headLen = 0;
          long frame = frameLength(headBuf, 0, sink);
          if (frame < 0) {
            if (stopped) {
              return;
            }
            skip -= header;
          } else {
            begin(frame);
            if (strip < header) {
              body.add(headBuf, strip, header - strip, sink);
            }
            stripLeft = Math.max(0, strip - header);
            r = fill(in, r, end, sink);
          }
        }
      } else {
        long frame = frameLength(in, r, sink);
        if (frame < 0) {
          if (stopped) {
            return;
          }
        } else if (end - r >= frame) {
          int len = (int) frame - strip;
          Chunks.emit(sink, chunk, in, r + strip, len);
          r += (int) frame;
        } else {
          begin(frame);
          stripLeft = strip;
          r = fill(in, r, end, sink);
        }
      }
      if (stopped) {
        return;
      }
    }
  }

  private void begin(long frame) {
    bodyLen = (int) (frame - strip);
    body.expect(bodyLen);
  }

  /** Skips stripped bytes, then copies body bytes; delivers the frame once whole. */
  private int fill(ByteBuf in, int r, int end, FrameSink<Buffer> sink) {
    if (stripLeft > 0) {
      int n = Math.min(stripLeft, end - r);
      stripLeft -= n;
      r += n;
    }
    if (stripLeft == 0) {
      int n = Math.min(bodyLen - body.size(), end - r);
      body.add(in, r, n, sink);
      r += n;
      if (body.size() == bodyLen) {
        int len = bodyLen;
        bodyLen = -1;
        body.deliver(len, sink);
      }
    }
    return r;
  }

  /**
   * The whole frame's length on the wire from the header at {@code at}, or -1 after an error (then
   * either {@link #stopped} or {@link #skip} counts the frame's bytes from its start).
   */
  private long frameLength(ByteBuf b, int at, FrameSink<Buffer> sink) {
    int i = at + offset;
    long value = switch (fieldBytes) {
      case 1 -> b.getUnsignedByte(i);
      case 2 -> little ? b.getUnsignedShortLE(i) : b.getUnsignedShort(i);
      case 3 -> little ? b.getUnsignedMediumLE(i) : b.getUnsignedMedium(i);
      case 4 -> little ? b.getIntLE(i) : b.getInt(i);
      default -> little ? b.getLongLE(i) : b.getLong(i);
    };
    if (value < 0) {
      return corrupt("negative length " + value, sink);
    }
    if (value > Long.MAX_VALUE - header - Math.max(adjustment, 0)) {
      return corrupt("length " + value + " overflows", sink);
    }
    long frame = value + adjustment + header;
    if (frame < header || frame < strip) {
      return corrupt("length " + value + " gives a frame of " + frame + " bytes, shorter than its header ("
          + header + ") or the bytes to strip (" + strip + ")", sink);
    }
    if (frame - strip > max) {
      if (Chunks.resync(sink, new FrameTooLongException(frame - strip, max, true))) {
        skip = frame;
      } else {
        stopped = true;
      }
      return -1;
    }
    return frame;
  }

  private long corrupt(String message, FrameSink<Buffer> sink) {
    sink.error(new CorruptFrameException(message));
    stopped = true;
    return -1;
  }

  @Override
  public void finish(FrameSink<Buffer> sink) {
    if (!stopped && (headLen > 0 || bodyLen >= 0)) {
      sink.error(new TruncatedFrameException(buffered()));
    }
  }

  @Override
  public int buffered() {
    return headLen + (bodyLen < 0 ? 0 : body.size());
  }

  @Override
  public boolean stopped() {
    return stopped;
  }
}
