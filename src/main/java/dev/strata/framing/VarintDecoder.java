package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/** Decoder of {@link VarintCodec}: the varint is read byte by byte across chunks, bodies sliced when whole. */
final class VarintDecoder implements Decoder<Buffer> {

  private static final int MAX_VARINT_BYTES = 5;

  private final int max;
  private long value;
  private int varintBytes;
  private final FrameAssembler body;
  /** Size of the body being assembled, or -1. */
  private int bodySize = -1;
  private long skip;
  private boolean stopped;

  VarintDecoder(int max) {
    this.max = max;
    this.body = new FrameAssembler(max);
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
        continue;
      }
      if (bodySize >= 0) {
        int n = Math.min(bodySize - body.size(), end - r);
        body.add(in, r, n, sink);
        r += n;
        if (body.size() == bodySize) {
          int size = bodySize;
          bodySize = -1;
          body.deliver(size, sink);
        }
        continue;
      }
      byte b = in.getByte(r++);
      value |= (long) (b & 0x7F) << (7 * varintBytes);
      varintBytes++;
      if (b < 0) {
        if (varintBytes == MAX_VARINT_BYTES) {
          corrupt("varint longer than " + MAX_VARINT_BYTES + " bytes", sink);
          return;
        }
        continue;
      }
      long len = value;
      value = 0;
      varintBytes = 0;
      if (len > 0xFFFFFFFFL) {
        corrupt("varint length " + len + " is 2^32 or more", sink);
        return;
      }
      if (len > max) {
        if (Chunks.resync(sink, new FrameTooLongException(len, max, true))) {
          skip = len;
          continue;
        }
        stopped = true;
        return;
      }
      int n = (int) len;
      if (end - r >= n) {
        Chunks.emit(sink, chunk, in, r, n);
        r += n;
      } else {
        body.expect(n);
        bodySize = n;
      }
      if (stopped) {
        return;
      }
    }
  }

  private void corrupt(String message, FrameSink<Buffer> sink) {
    sink.error(new CorruptFrameException(message));
    stopped = true;
  }

  @Override
  public void finish(FrameSink<Buffer> sink) {
    if (!stopped && (varintBytes > 0 || bodySize >= 0)) {
      sink.error(new TruncatedFrameException(buffered()));
    }
  }

  @Override
  public int buffered() {
    return varintBytes + (bodySize < 0 ? 0 : body.size());
  }

  @Override
  public boolean stopped() {
    return stopped;
  }
}
