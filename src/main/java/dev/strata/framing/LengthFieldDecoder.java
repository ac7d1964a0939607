package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** Decoder of {@link LengthFieldCodec}: a small header state machine, bodies sliced when whole. */
final class LengthFieldDecoder implements Decoder<Buffer> {

  private static final int HEADER = 4;

  private final int max;
  /** Header bytes seen so far (0..3), or the body being filled when {@code body != null}. */
  private final ByteBuf header = Unpooled.buffer(HEADER, HEADER);
  private ByteBuf body;
  private long skip;
  private boolean stopped;

  LengthFieldDecoder(int max) {
    this.max = max;
  }

  @Override
  public void decode(Buffer chunk, FrameSink<Buffer> sink) {
    if (stopped) {
      return;
    }
    ByteBuf in = ((BufferInternal) chunk).getByteBuf();
    while (in.isReadable() && !stopped) {
      if (skip > 0) {
        int n = (int) Math.min(skip, in.readableBytes());
        in.skipBytes(n);
        skip -= n;
      } else if (body != null) {
        int n = Math.min(body.writableBytes(), in.readableBytes());
        body.writeBytes(in, n);
        if (!body.isWritable()) {
          ByteBuf frame = body;
          body = null;
          sink.frame(BufferInternal.buffer(frame));
        }
      } else if (header.readableBytes() == 0 && in.readableBytes() >= HEADER) {
        int length = in.readInt();
        if (accept(length, sink)) {
          if (in.readableBytes() >= length) {
            sink.frame(BufferInternal.buffer(in.readSlice(length)));
          } else {
            body = Unpooled.buffer(length, length);
          }
        }
      } else {
        header.writeBytes(in, Math.min(header.writableBytes(), in.readableBytes()));
        if (!header.isWritable()) {
          int length = header.readInt();
          header.clear();
          if (accept(length, sink)) {
            body = Unpooled.buffer(length, length);
            if (length == 0) {
              body = null;
              sink.frame(Buffer.buffer());
            }
          }
        }
      }
    }
  }

  /** Checks a length read from a header; on refusal, sets up resync or stops. */
  private boolean accept(int length, FrameSink<Buffer> sink) {
    if (length < 0) {
      sink.error(new CorruptFrameException("negative length " + length));
      stopped = true;
      return false;
    }
    if (length > max) {
      if (sink.error(new FrameTooLongException(length, max, true))) {
        skip = length;
      } else {
        stopped = true;
      }
      return false;
    }
    return true;
  }

  @Override
  public int buffered() {
    return header.readableBytes() + (body == null ? 0 : body.readableBytes());
  }

  @Override
  public boolean stopped() {
    return stopped;
  }
}
