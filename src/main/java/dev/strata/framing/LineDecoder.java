package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * Decoder of {@link LineCodec}: scans each chunk in place (bytes already scanned are never scanned
 * again) and slices whole lines out of it; a line cut by a chunk's end is assembled from its pieces.
 */
final class LineDecoder implements Decoder<Buffer> {

  private final int max;
  private final boolean strip;
  /** Bytes of the current incomplete line; at most max + 1 of them. */
  private final FrameAssembler held;
  private boolean discarding;
  private boolean stopped;

  LineDecoder(int max, boolean strip) {
    this.max = max;
    this.strip = strip;
    this.held = new FrameAssembler(max + 2);
  }

  @Override
  public void decode(Buffer chunk, FrameSink<Buffer> sink) {
    if (!stopped) {
      scan(chunk, sink);
      held.idle();
    }
  }

  private void scan(Buffer chunk, FrameSink<Buffer> sink) {
    ByteBuf in = Chunks.bytes(chunk);
    int end = in.writerIndex();
    int pos = in.readerIndex();
    while (pos < end) {
      int lf = ByteScan.indexOf(in, pos, end, (byte) '\n');
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
      emit(chunk, in, pos, lf, sink);
      if (stopped) {
        return;
      }
      pos = lf + 1;
    }
  }

  /** A whole line: in[from, lf) plus any bytes held from earlier chunks. */
  private void emit(Buffer chunk, ByteBuf in, int from, int lf, FrameSink<Buffer> sink) {
    // kept small so that the JIT inlines it into the scan loop; the rare cases are out of line
    if (held.size() > 0) {
      emitHeld(in, from, lf, sink);
      return;
    }
    int total = lf - from;
    int content = total > 0 && in.getByte(lf - 1) == '\r' ? total - 1 : total;
    if (content > max) {
      tooLong(content, sink);
      return;
    }
    Chunks.emit(sink, chunk, in, from, strip ? content : total + 1);
  }

  private void emitHeld(ByteBuf in, int from, int lf, FrameSink<Buffer> sink) {
    int total = held.size() + lf - from;
    boolean cr = (lf > from ? in.getByte(lf - 1) : held.last()) == '\r';
    int content = cr ? total - 1 : total;
    if (content > max) {
      tooLong(content, sink);
      return;
    }
    held.add(in, from, lf + 1 - from, sink);
    held.deliver(strip ? content : total + 1, sink);
  }

  private void tooLong(int content, FrameSink<Buffer> sink) {
    held.clear();
    fail(new FrameTooLongException(content, max, true), sink, false);
  }

  /** No LF in in[from, end): keep the bytes unless the line is already too long. */
  private void keep(ByteBuf in, int from, int end, FrameSink<Buffer> sink) {
    int total = held.size() + end - from;
    if (total > max + 1) { // max content bytes plus a CR may wait for their LF
      held.clear();
      fail(new FrameTooLongException(-1, max, true), sink, true);
      return;
    }
    held.add(in, from, end - from, sink);
  }

  private void fail(FramingException e, FrameSink<Buffer> sink, boolean lineStillOpen) {
    if (Chunks.resync(sink, e)) {
      discarding = lineStillOpen;
    } else {
      stopped = true;
    }
  }

  @Override
  public int buffered() {
    return held.size();
  }

  @Override
  public boolean stopped() {
    return stopped;
  }
}
