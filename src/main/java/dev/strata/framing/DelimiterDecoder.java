package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * Decoder of {@link DelimiterCodec}. Searches the chunk in place and slices frames out of it; the
 * bytes of a frame cut by a chunk's end wait in a cumulation of at most max + longest delimiter bytes.
 */
final class DelimiterDecoder implements Decoder<Buffer> {

  private final byte[][] delims;
  private final int longest;
  private final int max;
  private final boolean strip;
  /** Bytes after which a frame is known to be too long: a frame of max bytes plus its delimiter. */
  private final int limit;
  private ByteBuf cum;
  private boolean discarding;
  private boolean stopped;
  /** Length of the delimiter found by the last {@link #find}. */
  private int matchLen;

  DelimiterDecoder(byte[][] delims, int max, boolean strip) {
    this.delims = delims;
    int l = 0;
    for (byte[] d : delims) {
      l = Math.max(l, d.length);
    }
    this.longest = l;
    this.max = max;
    this.strip = strip;
    this.limit = max + l;
  }

  @Override
  public void decode(Buffer chunk, FrameSink<Buffer> sink) {
    ByteBuf in = Chunks.bytes(chunk);
    int r = in.readerIndex();
    int end = in.writerIndex();
    while (r < end && !stopped) {
      if (cum != null && cum.isReadable()) {
        r = decodeCumulated(in, r, end, sink);
        continue;
      }
      int at = find(in, r, end, false);
      if (at >= 0) {
        int next = at + matchLen;
        deliver(chunk, in, r, at, sink);
        r = next;
      } else {
        int rest = end - r;
        if (discarding) {
          keep(in, end - Math.min(rest, longest - 1), end);
        } else if (rest >= limit) {
          tooLong(sink);
          keep(in, end - Math.min(rest, longest - 1), end);
        } else {
          keep(in, r, end);
        }
        r = end;
      }
    }
  }

  /** Continues the frame held in {@code cum} with bytes from {@code in}; returns the new read index. */
  private int decodeCumulated(ByteBuf in, int r, int end, FrameSink<Buffer> sink) {
    int old = cum.readableBytes();
    int direct = find(in, r, end, false);
    int n = Math.min(direct >= 0 ? direct + matchLen - r : end - r, Math.max(limit - old, longest));
    cum.writeBytes(in, r, n);
    int from = cum.readerIndex();
    int at = find(cum, from, cum.writerIndex(), false);
    if (at < 0) {
      if (!discarding && cum.readableBytes() >= limit) {
        tooLong(sink);
      }
      if (discarding) {
        cum.readerIndex(Math.max(from, cum.writerIndex() - (longest - 1)));
        cum.discardReadBytes();
      }
      return r + n;
    }
    int used = at + matchLen - from;
    if (used >= old) { // the frame ends in this chunk: hand the rest back to it
      ByteBuf held = cum;
      cum = null;
      deliver(null, held, from, at, sink);
      return r + (used - old);
    }
    ByteBuf held = cum;
    deliver(null, held, from, at, sink);
    held.readerIndex(from + used);
    if (held.isReadable() && !stopped) {
      cum = Chunks.growable(held.readableBytes(), limit + longest);
      cum.writeBytes(held);
    }
    return r + n;
  }

  /**
   * The frame {@code b[from, at)} followed by a delimiter of {@link #matchLen} bytes. Slicing a
   * cumulation is safe: once a frame is sliced from it, it is never written again.
   */
  private void deliver(Buffer view, ByteBuf b, int from, int at, FrameSink<Buffer> sink) {
    int delim = matchLen;
    if (discarding) {
      discarding = false;
      return;
    }
    if (at - from > max) {
      if (!Chunks.resync(sink, new FrameTooLongException(at - from, max, true))) {
        stopped = true;
      }
      return;
    }
    int len = strip ? at - from : at - from + delim;
    if (view != null) {
      Chunks.emit(sink, view, b, from, len);
    } else {
      sink.frame(Chunks.slice(b, from, len)); // from the cumulation: a Buffer of its own, even for a RegionSink
    }
  }

  private void keep(ByteBuf in, int from, int end) {
    if (cum == null) {
      cum = Chunks.growable(end - from, limit + longest);
    }
    cum.writeBytes(in, from, end - from);
  }

  private void tooLong(FrameSink<Buffer> sink) {
    if (Chunks.resync(sink, new FrameTooLongException(-1, max, true))) {
      discarding = true;
    } else {
      stopped = true;
      cum = null;
    }
  }

  /**
   * The index of the earliest delimiter in {@code b[from, to)}, the longest one on a tie, or -1; also
   * -1 when a delimiter cut by {@code to} could still start earlier or be longer (unless at EOF).
   */
  private int find(ByteBuf b, int from, int to, boolean eof) {
    int best = -1;
    int bestLen = 0;
    for (byte[] d : delims) {
      int i = indexOf(b, from, best < 0 ? to : Math.min(to, best + d.length), d);
      if (i >= 0 && (best < 0 || i < best || i == best && d.length > bestLen)) {
        best = i;
        bestLen = d.length;
      }
    }
    if (best < 0) {
      return -1;
    }
    if (!eof && best > to - longest) {
      for (byte[] d : delims) {
        for (int j = Math.max(from, to - d.length + 1); j <= best; j++) {
          if ((j < best || d.length > bestLen) && startsWithPrefix(b, j, to, d)) {
            return -1;
          }
        }
      }
    }
    matchLen = bestLen;
    return best;
  }

  private static int indexOf(ByteBuf b, int from, int to, byte[] d) {
    int last = to - d.length;
    int i = from;
    while (i <= last) {
      i = b.indexOf(i, last + 1, d[0]);
      if (i < 0) {
        return -1;
      }
      int k = 1;
      while (k < d.length && b.getByte(i + k) == d[k]) {
        k++;
      }
      if (k == d.length) {
        return i;
      }
      i++;
    }
    return -1;
  }

  /** Whether {@code b[j, to)} is a proper prefix of {@code d}. */
  private static boolean startsWithPrefix(ByteBuf b, int j, int to, byte[] d) {
    if (to - j >= d.length) {
      return false;
    }
    for (int k = 0; j + k < to; k++) {
      if (b.getByte(j + k) != d[k]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void finish(FrameSink<Buffer> sink) {
    if (stopped || cum == null || !cum.isReadable() || discarding) {
      return;
    }
    while (cum != null && cum.isReadable() && !stopped) {
      int from = cum.readerIndex();
      int at = find(cum, from, cum.writerIndex(), true);
      if (at < 0) {
        break;
      }
      ByteBuf held = cum;
      deliver(null, held, from, at, sink);
      held.readerIndex(at + matchLen);
    }
    if (cum != null && cum.isReadable() && !stopped) {
      sink.error(new TruncatedFrameException(cum.readableBytes()));
    }
  }

  @Override
  public int buffered() {
    return cum == null ? 0 : cum.readableBytes();
  }

  @Override
  public boolean stopped() {
    return stopped;
  }
}
