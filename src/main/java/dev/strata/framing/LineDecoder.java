package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** Decoder of {@link LineCodec}: scans each chunk in place and slices whole lines out of it. */
final class LineDecoder implements Decoder<Buffer> {

  private final int max;
  private final boolean strip;
  /** Bytes of the current incomplete line; at most max + 1 of them. */
  private ByteBuf partial;
  private boolean discarding;
  private boolean stopped;

  LineDecoder(int max, boolean strip) {
    this.max = max;
    this.strip = strip;
  }

  @Override
  public void decode(Buffer chunk, FrameSink<Buffer> sink) {
    if (stopped) {
      return;
    }
    ByteBuf in = ((BufferInternal) chunk).getByteBuf();
    int end = in.writerIndex();
    int pos = in.readerIndex();
    while (pos < end) {
      int lf = in.indexOf(pos, end, (byte) '\n');
      if (discarding) {
        if (lf < 0) {
          return;
        }
        discarding = false;
        pos = lf + 1;
        continue;
      }
      if (lf < 0) {
        keep(in, pos, end, sink);
        return;
      }
      emit(in, pos, lf, sink);
      if (stopped) {
        return;
      }
      pos = lf + 1;
    }
  }

  /** A whole line: in[from, lf) plus any partial bytes kept from earlier chunks. */
  private void emit(ByteBuf in, int from, int lf, FrameSink<Buffer> sink) {
    int held = partial == null ? 0 : partial.readableBytes();
    int total = held + lf - from; // without the LF
    boolean cr = total > 0 && (lf > from ? in.getByte(lf - 1) : partial.getByte(partial.writerIndex() - 1)) == '\r';
    int content = cr ? total - 1 : total;
    if (content > max) {
      partial = null;
      fail(new FrameTooLongException(content, max, true), sink, false);
      return;
    }
    int frameLen = strip ? content : total + 1;
    ByteBuf frame;
    if (held == 0) {
      frame = in.slice(from, frameLen);
    } else {
      frame = Unpooled.buffer(frameLen);
      frame.writeBytes(partial, partial.readerIndex(), Math.min(held, frameLen));
      if (frameLen > held) {
        frame.writeBytes(in, from, frameLen - held);
      }
      partial = null;
    }
    sink.frame(BufferInternal.buffer(frame));
  }

  /** No LF in in[from, end): keep the bytes unless the line is already too long. */
  private void keep(ByteBuf in, int from, int end, FrameSink<Buffer> sink) {
    int held = partial == null ? 0 : partial.readableBytes();
    int total = held + end - from;
    if (total > max + 1) { // max content bytes plus a CR may wait for their LF
      partial = null;
      fail(new FrameTooLongException(-1, max, true), sink, true);
      return;
    }
    if (partial == null) {
      partial = Unpooled.buffer(Math.min(Math.max(64, total * 2), max + 1));
    }
    partial.writeBytes(in, from, end - from);
  }

  private void fail(FramingException e, FrameSink<Buffer> sink, boolean lineStillOpen) {
    if (sink.error(e)) {
      discarding = lineStillOpen;
    } else {
      stopped = true;
    }
  }

  @Override
  public int buffered() {
    return partial == null ? 0 : partial.readableBytes();
  }

  @Override
  public boolean stopped() {
    return stopped;
  }
}
