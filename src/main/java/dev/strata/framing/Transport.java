package dev.strata.framing;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayDeque;

/**
 * A full-duplex stream of frames over a byte stream (a {@code NetSocket} passed as both its read and
 * its write side, or any {@code ReadStream<Buffer>} / {@code WriteStream<Buffer>} pair), usable from plain Vert.x code with no
 * event bus.
 *
 * <pre>{@code
 * Transport<Buffer> t = Transport.over(socket, socket, LineCodec.create());
 * t.handler(line -> t.write(line));            // an echo server
 * t.exceptionHandler(err -> socket.close());   // framing errors arrive here
 * }</pre>
 *
 * <p>Backpressure passes through both ways: {@link #pause()} / {@link #fetch(long)} count frames and
 * pause the byte stream while frames wait; {@link #writeQueueFull()} and {@link #drainHandler} are the
 * byte stream's. Frames already decoded from a chunk wait in a small queue (at most one chunk's worth)
 * until demanded. Not thread-safe: use it on the stream's context.
 */
public final class Transport<F> implements ReadStream<F>, WriteStream<F> {

  private final ReadStream<Buffer> in;
  private final WriteStream<Buffer> out;
  private final FramedStream<F> framed;
  private final boolean resync;
  private final ArrayDeque<F> queue = new ArrayDeque<>(4);
  private long demand = Long.MAX_VALUE;
  private boolean upstreamEnded;
  private boolean endDelivered;
  private Handler<F> handler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;

  private Transport(ReadStream<Buffer> in, WriteStream<Buffer> out, FrameCodec<F> codec, boolean resync,
      FramedStream.Counters counters) {
    this.in = in;
    this.out = out;
    this.resync = resync;
    this.framed = FramedStream.create(codec, in, out, counters, Vertx.currentContext());
    framed.start(new FrameReceiver<>() {
      @Override
      public void frame(F frame) {
        queue.add(frame);
      }

      @Override
      public boolean error(FramingException error) {
        Handler<Throwable> h = exceptionHandler;
        if (h != null) {
          h.handle(error);
        }
        return resync && error.resyncable();
      }

      @Override
      public void readComplete() {
        deliver();
      }

      @Override
      public void inputEnded() {
        upstreamEnded = true;
        deliver();
      }
    }).endOnStreamEnd();
    in.exceptionHandler(this::onFailure);
  }

  /** A transport that stops decoding at the first framing error (after reporting it). */
  public static <F> Transport<F> over(ReadStream<Buffer> in, WriteStream<Buffer> out, FrameCodec<F> codec) {
    return new Transport<>(in, out, codec, false, FramedStream.Counters.NONE);
  }

  /** Like {@link #over}, but skips to the next frame boundary after a resyncable framing error. */
  public static <F> Transport<F> resyncing(ReadStream<Buffer> in, WriteStream<Buffer> out, FrameCodec<F> codec) {
    return new Transport<>(in, out, codec, true, FramedStream.Counters.NONE);
  }

  /** Like {@link #over}, with the bytes and frames counted into {@code counters}. */
  public static <F> Transport<F> over(ReadStream<Buffer> in, WriteStream<Buffer> out, FrameCodec<F> codec,
      FramedStream.Counters counters) {
    return new Transport<>(in, out, codec, false, counters);
  }

  private void onFailure(Throwable t) {
    Handler<Throwable> h = exceptionHandler;
    if (h != null) {
      h.handle(t);
    }
  }

  private void deliver() {
    while (demand > 0 && !queue.isEmpty()) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      F frame = queue.poll();
      Handler<F> h = handler;
      if (h != null) {
        h.handle(frame);
      }
    }
    if (!queue.isEmpty()) {
      in.pause();
    } else if (upstreamEnded && !endDelivered) {
      endDelivered = true;
      Handler<Void> h = endHandler;
      if (h != null) {
        h.handle(null);
      }
    }
  }

  @Override
  public Transport<F> handler(Handler<F> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public Transport<F> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public Transport<F> endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public Transport<F> pause() {
    demand = 0;
    in.pause();
    return this;
  }

  @Override
  public Transport<F> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public Transport<F> fetch(long amount) {
    if (amount > 0) {
      demand = Long.MAX_VALUE - demand <= amount ? Long.MAX_VALUE : demand + amount;
      deliver();
      if (queue.isEmpty() && demand > 0 && !upstreamEnded) {
        in.resume();
      }
    }
    return this;
  }

  /** Writes one frame now. */
  @Override
  public Future<Void> write(F frame) {
    framed.write(frame);
    return framed.send();
  }

  /**
   * Queues a frame to leave with others: at the end of the current read or event-loop task, in one
   * write (pipelining clients use it to send a burst of requests as one segment).
   */
  public void writeSoon(F frame) {
    framed.write(frame);
    framed.flushSoon();
  }

  @Override
  public Future<Void> end() {
    framed.flush();
    return out.end();
  }

  @Override
  public Transport<F> setWriteQueueMaxSize(int maxSize) {
    out.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return out.writeQueueFull();
  }

  @Override
  public Transport<F> drainHandler(Handler<Void> handler) {
    out.drainHandler(handler);
    return this;
  }

  /** Bytes held by the decoder for a frame not yet complete. */
  public int buffered() {
    return framed.buffered();
  }

  /** The transport's byte stream is gone: pending and later writes are dropped. */
  public void closed() {
    framed.closed();
  }
}
