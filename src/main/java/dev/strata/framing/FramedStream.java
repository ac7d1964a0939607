package dev.strata.framing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * One duplex byte stream seen as frames: the wiring every user of a codec needs, written once.
 *
 * <pre>
 *   bytes in ─▶ counted ─▶ Decoder (made with the first byte) ─▶ receiver.frame(...) ... readComplete()
 *   frames out ─▶ write(frame): encoded into one pending buffer ─▶ flush(): one write, counted
 *   end of input (the peer's FIN) ─▶ Decoder.finish (a cut frame is a TruncatedFrameException) ─▶ inputEnded()
 * </pre>
 *
 * <p>Listener connections, connector connections, the event-bus bridge, {@link Transport} and the
 * load generator all use it. Writes are batched: {@link #write} only encodes; the frames go out in one
 * write at the end of the current read (after {@link FrameReceiver#readComplete}), at {@link #flush},
 * or, after {@link #flushSoon}, at the end of the current event-loop task.
 *
 * <p>Over datagrams ({@link #datagrams}) each chunk read is a whole message: its frames are decoded,
 * a partial frame left at its end is a {@link TruncatedFrameException}, and the next chunk starts
 * afresh (no frame spans two datagrams; a stopped decoder is replaced). Writes then go out in chunks
 * of whole frames of at most {@code maxChunkBytes} each; a single frame larger than that is not
 * written ({@link #write} returns false).
 *
 * <p>Not thread-safe: use it on the stream's context. An idle stream holds no decoder and no buffer.
 */
public final class FramedStream<F> implements Handler<Buffer> {

  /** What a stream counts, for whoever keeps the figures (the connection registry, a connector). */
  public interface Counters {
    Counters NONE = new Counters() {
    };

    default void read(int bytes) {
    }

    default void wrote(int bytes, int frames) {
    }

    /** After a read: the bytes now held for an unfinished frame (told only when it changed). */
    default void held(int bytes) {
    }
  }

  private final FrameCodec<F> codec;
  private final Encoder<F> encoder;
  private final ReadStream<Buffer> in;
  private final WriteStream<Buffer> out;
  private final Counters counters;
  private final Context context;
  private FrameReceiver<F> receiver;
  private FrameSink<F> sink;
  private Decoder<F> decoder;
  private Buffer pending;
  private int pendingFrames;
  private int held;
  private boolean inRead;
  private boolean flushScheduled;
  private boolean closed;
  /** Over datagrams: the largest chunk written (0: a byte stream). */
  private int maxChunkBytes;

  private FramedStream(FrameCodec<F> codec, ReadStream<Buffer> in, WriteStream<Buffer> out, Counters counters,
      Context context) {
    this.codec = codec;
    this.encoder = codec.encoder();
    this.in = in;
    this.out = out;
    this.counters = counters;
    this.context = context;
  }

  /**
   * A framed stream over {@code in} and {@code out} (a {@code NetSocket} passed as both). Nothing is
   * read until {@link #start}.
   *
   * @param context the stream's context, where {@link #flushSoon} schedules its flush
   */
  public static <F> FramedStream<F> create(FrameCodec<F> codec, ReadStream<Buffer> in, WriteStream<Buffer> out,
      Counters counters, Context context) {
    return new FramedStream<>(codec, in, out, counters, context);
  }

  /**
   * Starts reading into {@code receiver}. End of input is reported by calling {@link #inputEnded}
   * (a listener's connection does it at the peer's FIN; {@link Transport} at the stream's end).
   */
  public FramedStream<F> start(FrameReceiver<F> receiver) {
    this.receiver = receiver;
    in.handler(this);
    return this;
  }

  /**
   * Each chunk read is a whole message and each chunk written at most {@code maxChunkBytes} (a UDP
   * sender's datagrams). Call before {@link #start}.
   */
  public FramedStream<F> datagrams(int maxChunkBytes) {
    if (maxChunkBytes <= 0) {
      throw new IllegalArgumentException("maxChunkBytes " + maxChunkBytes + " must be > 0");
    }
    this.maxChunkBytes = maxChunkBytes;
    return this;
  }

  /** The stream's end of input, wired to the read side's end handler (for a stream that has one). */
  public FramedStream<F> endOnStreamEnd() {
    in.endHandler(v -> inputEnded());
    return this;
  }

  /** A chunk from the byte stream (the stream's data handler; public only because a handler must be). */
  @Override
  public void handle(Buffer chunk) {
    counters.read(chunk.length());
    if (closed) {
      return;
    }
    if (decoder == null) {
      decoder = codec.newDecoder();
      sink = receiver.sink();
    }
    inRead = true;
    try {
      decoder.decode(chunk, sink);
      if (maxChunkBytes > 0) {
        endOfDatagram();
      }
      receiver.readComplete();
    } finally {
      inRead = false;
    }
    int h = decoder == null ? 0 : decoder.held();
    if (h != held) {
      held = h;
      counters.held(h);
    }
    flush();
  }

  /**
   * A datagram's frames are in: the decoder's end of input (a cut frame is reported, worded for a
   * datagram), then it is let go, so that no state of this datagram reaches the next.
   */
  private void endOfDatagram() {
    Decoder<F> d = decoder;
    decoder = null;
    if (!d.stopped()) {
      FrameSink<F> to = sink;
      d.finish(new FrameSink<>() {
        @Override
        public void frame(F frame) {
          to.frame(frame);
        }

        @Override
        public boolean error(FramingException error) {
          return to.error(error instanceof TruncatedFrameException ? TruncatedFrameException.inDatagram(d.buffered()) : error);
        }
      });
    }
  }

  /** The peer will send nothing more: a partial frame is reported, then the receiver is told. */
  public void inputEnded() {
    if (closed) {
      return;
    }
    if (decoder != null && !decoder.stopped()) {
      decoder.finish(receiver.sink());
    }
    receiver.inputEnded();
    flush();
  }

  /**
   * Encodes a frame after those already pending; it is written at the next flush. Returns false only
   * over datagrams, for a frame larger than one datagram may be: it is not written.
   */
  public boolean write(F frame) {
    if (closed) {
      return true;
    }
    if (maxChunkBytes > 0) {
      return writeDatagram(frame);
    }
    if (pending == null) {
      pending = Buffer.buffer(64);
    }
    encoder.encode(frame, pending);
    pendingFrames++;
    return true;
  }

  /** Over datagrams: whole frames per chunk; the pending chunk goes out first when this one would not fit. */
  private boolean writeDatagram(F frame) {
    Buffer one = Buffer.buffer(64);
    encoder.encode(frame, one);
    if (one.length() > maxChunkBytes) {
      return false;
    }
    if (pending != null && pending.length() + one.length() > maxChunkBytes) {
      send();
    }
    if (pending == null) {
      pending = one;
    } else {
      pending.appendBuffer(one);
    }
    pendingFrames++;
    return true;
  }

  /** Appends frames already encoded (a client that sends the same request again keeps its bytes). */
  public void writeEncoded(Buffer frames, int count) {
    if (closed) {
      return;
    }
    if (pending == null) {
      pending = Buffer.buffer(Math.max(64, frames.length()));
    }
    pending.appendBuffer(frames);
    pendingFrames += count;
  }

  /** Writes every pending frame in one write. */
  public void flush() {
    if (pending != null) {
      send();
    }
  }

  /** Writes every pending frame now; the future completes when the bytes are written. */
  public Future<Void> send() {
    Buffer b = pending;
    if (b == null || closed) {
      pending = null;
      return closed ? Future.failedFuture("stream closed") : Future.succeededFuture();
    }
    pending = null;
    int frames = pendingFrames;
    pendingFrames = 0;
    counters.wrote(b.length(), frames);
    return out.write(b);
  }

  /**
   * Flushes at the end of the current read, or else at the end of the current task on the stream's
   * context: frames written by several requests of one task share one write.
   */
  public void flushSoon() {
    if (inRead || flushScheduled || pending == null) {
      return;
    }
    flushScheduled = true;
    context.runOnContext(v -> {
      flushScheduled = false;
      flush();
    });
  }

  /** Whether a read is being decoded (frames written now go out with its flush). */
  public boolean inRead() {
    return inRead;
  }

  public void pause() {
    in.pause();
  }

  public void resume() {
    in.resume();
  }

  public boolean writeQueueFull() {
    return out.writeQueueFull();
  }

  public void drainHandler(Handler<Void> handler) {
    out.drainHandler(handler);
  }

  /** Bytes the decoder holds for a frame not yet complete. */
  public int buffered() {
    return decoder == null ? 0 : decoder.buffered();
  }

  /** The stream closed: later input and writes are ignored, and the decoder with its partial frame is let go. */
  public void closed() {
    closed = true;
    pending = null;
    decoder = null;
    sink = null;
    if (held != 0) {
      held = 0;
      counters.held(0);
    }
  }
}
