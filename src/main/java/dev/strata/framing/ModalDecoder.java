package dev.strata.framing;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * A decoder that switches mode mid-stream, as Vert.x's {@code RecordParser} switches between
 * delimited and fixed-size records: the base for header-then-body protocols.
 *
 * <p>A subclass sets the first mode in its constructor and receives each record in
 * {@link #record}, where it may emit frames, switch the mode for the next record
 * ({@link #delimited}, {@link #fixed}), skip bytes ({@link #skip}) or report an error ({@link #fail}).
 * Records are sliced from the chunk when whole; a record cut by a chunk's end is copied, never more
 * than its mode's maximum. {@link NetstringCodec} is the worked example:
 *
 * <pre>
 *   delimited(":", 10)  ->  "5"            record(): fixed(5 + 1)
 *   fixed(6)            ->  "hello,"       record(): frame "hello"; delimited(":", 10)
 * </pre>
 */
public abstract class ModalDecoder<F> implements Decoder<F> {

  private byte[] delimiter;
  private int maxRecord;
  private int fixed = -1;
  private long skip;
  private ByteBuf partial;
  /** Bytes of {@code partial} already searched for the delimiter. */
  private int scanned;
  private boolean stopped;

  /** The next record ends at {@code delimiter} (not included) and is at most {@code maxBytes} bytes. */
  protected final void delimited(byte[] delimiter, int maxBytes) {
    if (delimiter.length == 0 || maxBytes < 0) {
      throw new IllegalArgumentException("delimiter must not be empty and maxBytes " + maxBytes + " must be >= 0");
    }
    this.delimiter = delimiter;
    this.maxRecord = maxBytes;
    this.fixed = -1;
  }

  /**
   * The next record is exactly {@code bytes} bytes; check it against your maximum first. An empty
   * record is delivered when the next byte arrives.
   */
  protected final void fixed(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("fixed record size " + bytes + " must be >= 0");
    }
    this.fixed = bytes;
  }

  /** Skips {@code bytes} bytes before the next record (for resync after a refused frame). */
  protected final void skip(long bytes) {
    this.skip += bytes;
  }

  /** Reports an error; returns true when the subclass should resync (then it sets the next mode). */
  protected final boolean fail(FramingException error, FrameSink<F> sink) {
    if (Chunks.resync(sink, error)) {
      return true;
    }
    stopped = true;
    partial = null;
    return false;
  }

  /** One record of the current mode; the buffer may be a slice of the chunk (valid after return). */
  protected abstract void record(Buffer record, FrameSink<F> sink);

  @Override
  public final void decode(Buffer chunk, FrameSink<F> sink) {
    ByteBuf in = Chunks.bytes(chunk);
    int r = in.readerIndex();
    int end = in.writerIndex();
    while (!stopped && r < end) {
      if (skip > 0) {
        int n = (int) Math.min(skip, end - r);
        r += n;
        skip -= n;
      } else if (fixed >= 0) {
        r = fixedRecord(in, r, end, sink);
      } else {
        r = delimitedRecord(in, r, end, sink);
      }
    }
  }

  private int fixedRecord(ByteBuf in, int r, int end, FrameSink<F> sink) {
    int size = fixed;
    if (partial == null && end - r >= size) {
      record(Chunks.frame(in.slice(r, size)), sink);
      return r + size;
    }
    if (partial == null) {
      partial = Chunks.partial(size);
    }
    int n = Math.min(size - partial.writerIndex(), end - r);
    partial.writeBytes(in, r, n);
    if (partial.writerIndex() == size) {
      ByteBuf whole = partial;
      partial = null;
      record(Chunks.frame(whole), sink);
    }
    return r + n;
  }

  private int delimitedRecord(ByteBuf in, int r, int end, FrameSink<F> sink) {
    byte[] d = delimiter;
    int limit = maxRecord + d.length;
    if (partial == null) {
      int at = indexOf(in, r, Math.min(end, r + limit), d);
      if (at >= 0) {
        record(Chunks.frame(in.slice(r, at - r)), sink);
        return at + d.length;
      }
      if (end - r >= limit) {
        fail(new FrameTooLongException(-1, maxRecord, false), sink);
        return end;
      }
      partial = Chunks.growable(end - r, limit);
      partial.writeBytes(in, r, end - r);
      scanned = end - r;
      return end;
    }
    int old = partial.readableBytes();
    int n = Math.min(end - r, limit - old);
    partial.writeBytes(in, r, n);
    int at = indexOf(partial, Math.max(0, scanned - d.length + 1), partial.writerIndex(), d);
    if (at < 0) {
      scanned = partial.writerIndex();
      if (scanned >= limit) {
        fail(new FrameTooLongException(-1, maxRecord, false), sink);
        return end;
      }
      return r + n;
    }
    ByteBuf whole = partial;
    partial = null;
    record(Chunks.frame(whole.slice(0, at)), sink);
    return r + (at + d.length - old);
  }

  private static int indexOf(ByteBuf b, int from, int to, byte[] d) {
    for (int i = from; i <= to - d.length; i++) {
      int k = 0;
      while (k < d.length && b.getByte(i + k) == d[k]) {
        k++;
      }
      if (k == d.length) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the stream is inside a frame between records (e.g. after a header): EOF is then truncation. */
  protected boolean midFrame() {
    return false;
  }

  @Override
  public void finish(FrameSink<F> sink) {
    if (!stopped && (partial != null || midFrame())) {
      sink.error(new TruncatedFrameException(buffered()));
    }
  }

  @Override
  public int buffered() {
    return partial == null ? 0 : partial.readableBytes();
  }

  @Override
  public int held() {
    return partial == null ? 0 : partial.capacity();
  }

  @Override
  public boolean stopped() {
    return stopped;
  }
}
