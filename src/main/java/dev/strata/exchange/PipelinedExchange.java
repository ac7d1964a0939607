package dev.strata.exchange;

import dev.strata.framing.Decoder;
import dev.strata.framing.Encoder;
import dev.strata.framing.FrameCodec;
import dev.strata.framing.FrameSink;
import dev.strata.framing.FrameTooLongException;
import dev.strata.framing.FramingException;
import dev.strata.stream.CloseReason;
import dev.strata.stream.Connection;
import dev.strata.stream.FrameTap;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The request/response engine of one pipelined connection: frames in, one request each, replies out
 * in request order.
 *
 * <p>Per socket read: decode every frame of the chunk, queue one {@link PendingRequest} per frame,
 * dispatch them as one batch (to a local {@link Endpoint} when the address has one on this node, else
 * one event-bus request each), then write every reply that is ready, in order, in one write. A reply
 * that arrives before the ones ahead of it waits in the queue. Every request leaves the queue with
 * exactly one answer: the reply, the application's failure, a timeout, or "no application".
 *
 * <p>Backpressure: at {@code maxInFlight} queued requests, or when the socket's write queue is full,
 * the socket is paused; it resumes when the queue has drained to half and the writes have drained.
 * Memory per connection is thus bounded by maxInFlight plus the frames of one read.
 *
 * <p>Everything here runs on the connection's event loop, except {@link #replied} and {@link #wake},
 * which applications may call from their own threads.
 */
public final class PipelinedExchange<F> {

  private static final System.Logger LOG = System.getLogger(PipelinedExchange.class.getName());

  final ExchangeOptions options;
  private final Vertx vertx;
  private final ContextInternal context;
  private final Thread thread;
  private final Connection connection;
  private final NetSocket socket;
  private final Decoder<F> decoder;
  private final Encoder<F> encoder;
  private final Protocol<F> protocol;
  private final LocalEndpoints endpoints;
  private final ExchangeObserver observer;
  private final ArrayDeque<PendingRequest> pending = new ArrayDeque<>();
  private final FrameSink<F> sink = new FrameSink<>() {
    @Override
    public void frame(F frame) {
      onFrame(frame);
    }

    @Override
    public boolean error(FramingException error) {
      return onFramingError(error);
    }
  };
  private List<PendingRequest> batch;
  private long nextSeq;
  private boolean inRead;
  private boolean paused;
  private boolean closed;
  private CloseReason closeWhenDrained;
  private long timer = -1;
  private MessageConsumer<Object> push;

  private PipelinedExchange(Vertx vertx, Connection connection, FrameCodec<F> codec, Protocol<F> protocol,
      ExchangeOptions options, ExchangeObserver observer) {
    this.vertx = vertx;
    this.context = (ContextInternal) vertx.getOrCreateContext();
    this.thread = Thread.currentThread();
    this.connection = connection;
    this.socket = connection.socket();
    this.decoder = codec.newDecoder();
    this.encoder = codec.encoder();
    this.protocol = protocol;
    this.options = options;
    this.endpoints = LocalEndpoints.of(vertx);
    this.observer = observer;
  }

  /** Installs an exchange on a freshly accepted connection; call on the connection's event loop. */
  public static <F> PipelinedExchange<F> install(Vertx vertx, Connection connection, FrameCodec<F> codec,
      Protocol<F> protocol, ExchangeOptions options) {
    return install(vertx, connection, codec, protocol, options, ExchangeObserver.NONE);
  }

  /** Like {@link #install(Vertx, Connection, FrameCodec, Protocol, ExchangeOptions)}, reporting to an observer. */
  public static <F> PipelinedExchange<F> install(Vertx vertx, Connection connection, FrameCodec<F> codec,
      Protocol<F> protocol, ExchangeOptions options, ExchangeObserver observer) {
    PipelinedExchange<F> ex = new PipelinedExchange<>(vertx, connection, codec, protocol, options, observer);
    ex.start();
    return ex;
  }

  private void start() {
    socket.handler(this::onChunk);
    socket.endHandler(v -> onEnd());
    socket.drainHandler(v -> updateBackpressure());
    connection.closeHandler(c -> onClose());
    push = vertx.eventBus().consumer(Headers.pushAddress(connection.id()), this::onPush);
  }

  // ---- inbound ----

  private void onChunk(Buffer chunk) {
    connection.countIn(chunk.length());
    inRead = true;
    try {
      decoder.decode(chunk, sink);
      if (batch != null) {
        List<PendingRequest> b = batch;
        batch = null;
        dispatch(b);
      }
    } finally {
      inRead = false;
    }
    drain();
  }

  private void onFrame(F frame) {
    if (closeWhenDrained != null) {
      return;
    }
    connection.countFrameIn();
    FrameTap tap = connection.tap();
    if (tap != null) {
      tap.inbound(frame);
    }
    Object body;
    try {
      body = protocol.toBody(frame);
    } catch (RuntimeException e) {
      enqueueReady(protocol.error("ERR bad request: " + e.getMessage()));
      return;
    }
    PendingRequest p = new PendingRequest(this, nextSeq++, body, System.nanoTime() + options.requestTimeoutMs() * 1_000_000L);
    pending.add(p);
    if (batch == null) {
      batch = new ArrayList<>(4);
    }
    batch.add(p);
    connection.inFlight(pending.size());
    armTimer();
  }

  private boolean onFramingError(FramingException error) {
    observer.framingError(connection, error);
    enqueueReady(protocol.error("ERR " + error.getMessage()));
    if (options.resync() && error.resyncable()) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: {1}; resyncing", connection, error.getMessage());
      return true;
    }
    LOG.log(System.Logger.Level.INFO, "{0}: {1}; closing", connection, error.getMessage());
    closeWhenDrained = error instanceof FrameTooLongException ? CloseReason.FRAME_TOO_LARGE : CloseReason.CORRUPT_FRAME;
    return false;
  }

  private void onEnd() {
    decoder.finish(new FrameSink<>() {
      @Override
      public void frame(F frame) {
        onFrame(frame);
      }

      @Override
      public boolean error(FramingException error) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1}", connection, error.getMessage());
        return false;
      }
    });
  }

  /** A pre-answered slot, so that error frames keep their place among the replies. */
  private void enqueueReady(F frame) {
    PendingRequest p = new PendingRequest(this, nextSeq++, null, 0);
    p.complete(new ReadyFrame(frame));
    pending.add(p);
  }

  private record ReadyFrame(Object frame) {
  }

  // ---- dispatch ----

  private void dispatch(List<PendingRequest> requests) {
    Endpoint local = options.localFirst() ? endpoints.pick(options.address()) : null;
    if (local != null) {
      local.deliver(requests, this);
      return;
    }
    for (PendingRequest p : requests) {
      DeliveryOptions d = new DeliveryOptions()
          .setSendTimeout(options.requestTimeoutMs())
          .setHeaders(headers(p.seq));
      vertx.eventBus().<Object>request(options.address(), p.body, d).onComplete(ar -> {
        if (ar.succeeded() && ar.result().headers().contains(Headers.CLOSE)) {
          p.closeAfter = true;
        }
        if (p.complete(ar.succeeded() ? ar.result().body() : ar.cause())) {
          drain();
        }
      });
    }
  }

  MultiMap headers(long seq) {
    return MultiMap.caseInsensitiveMultiMap()
        .add(Headers.CONNECTION, Long.toString(connection.id()))
        .add(Headers.LISTENER, connection.listener())
        .add(Headers.SEQ, Long.toString(seq))
        .add(Headers.REMOTE, String.valueOf(connection.remoteAddress()));
  }

  /** A request was answered; may run on any thread. */
  void replied(PendingRequest p) {
    if (Thread.currentThread() == thread) {
      if (!inRead) {
        drain();
      }
    } else if (!p.inBatch) {
      wake();
    }
  }

  /** Asks the connection's event loop to write what is ready. */
  void wake() {
    context.runOnContext(v -> drain());
  }

  // ---- outbound ----

  /** Writes every answered request at the head of the queue, in order, in one write. */
  private void drain() {
    if (closed) {
      return;
    }
    Buffer out = null;
    int frames = 0;
    PendingRequest head;
    FrameTap tap = connection.tap();
    long now = 0;
    while ((head = pending.peek()) != null && head.done) {
      pending.poll();
      if (out == null) {
        out = Buffer.buffer(64);
        now = System.nanoTime();
      }
      F frame = frameOf(head);
      encoder.encode(frame, out);
      frames++;
      if (head.deadline != 0) {
        long started = head.deadline - options.requestTimeoutMs() * 1_000_000L;
        observer.answered(connection, options.address(), now - started, head.result instanceof Throwable);
      }
      if (tap != null) {
        tap.outbound(frame);
      }
      if (head.closeAfter) {
        closeWhenDrained = CloseReason.CLIENT_CLOSED;
        pending.clear();
        break;
      }
    }
    if (frames > 0) {
      connection.countOut(out.length(), frames);
      socket.write(out);
    }
    connection.inFlight(pending.size());
    if (closeWhenDrained != null && pending.isEmpty()) {
      connection.close(closeWhenDrained);
      return;
    }
    updateBackpressure();
  }

  @SuppressWarnings("unchecked")
  private F frameOf(PendingRequest p) {
    Object r = p.result;
    if (r instanceof ReadyFrame ready) {
      return (F) ready.frame();
    }
    if (r instanceof Throwable t) {
      return protocol.error(ErrorTexts.of(t, options.address(), options.requestTimeoutMs()));
    }
    try {
      return protocol.toFrame(r);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "{0}: reply from {1} not writable: {2}", connection, options.address(), e.getMessage());
      return protocol.error("ERR " + e.getMessage());
    }
  }

  private void updateBackpressure() {
    if (closed) {
      return;
    }
    boolean full = pending.size() >= options.maxInFlight() || socket.writeQueueFull();
    if (full && !paused) {
      paused = true;
      socket.pause();
      connection.readPaused(true);
    } else if (paused && !socket.writeQueueFull() && pending.size() <= options.maxInFlight() / 2) {
      paused = false;
      socket.resume();
      connection.readPaused(false);
    }
  }

  // ---- timeouts ----

  private void armTimer() {
    if (timer < 0) {
      timer = vertx.setTimer(options.requestTimeoutMs(), id -> onTimer());
    }
  }

  /** Fails every expired request, then re-arms for the oldest one still waiting. */
  private void onTimer() {
    timer = -1;
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    PendingRequest oldest = null;
    for (PendingRequest p : pending) {
      if (p.done) {
        continue;
      }
      if (p.deadline - now <= 0) {
        p.complete(new ReplyException(ReplyFailure.TIMEOUT, "timeout"));
      } else if (oldest == null) {
        oldest = p;
      }
    }
    if (oldest != null) {
      timer = vertx.setTimer(Math.max(1, (oldest.deadline - now) / 1_000_000L), id -> onTimer());
    }
    drain();
  }

  // ---- push and close ----

  private void onPush(Message<Object> message) {
    if (closed) {
      return;
    }
    F frame;
    try {
      frame = protocol.toFrame(message.body());
    } catch (RuntimeException e) {
      message.fail(400, "ERR " + e.getMessage());
      return;
    }
    Buffer out = encoder.encode(frame);
    FrameTap tap = connection.tap();
    if (tap != null) {
      tap.outbound(frame);
    }
    connection.countOut(out.length(), 1);
    socket.write(out);
    message.reply(null);
  }

  private void onClose() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    pending.clear();
    connection.inFlight(0);
    if (push != null) {
      push.unregister();
    }
  }
}
