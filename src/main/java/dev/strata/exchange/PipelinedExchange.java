package dev.strata.exchange;

import dev.strata.framing.Decoder;
import dev.strata.framing.Encoder;
import dev.strata.framing.FrameCodec;
import dev.strata.framing.FrameSink;
import dev.strata.framing.FrameTooLongException;
import dev.strata.framing.FramingException;
import dev.strata.framing.RegionSink;
import dev.strata.stream.CloseReason;
import dev.strata.stream.Connection;
import dev.strata.stream.FrameTap;
import io.vertx.core.Handler;
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
public final class PipelinedExchange<F> implements FrameSink<F>, Handler<Buffer>, Connection.InputEndHandler {

  private static final System.Logger LOG = System.getLogger(PipelinedExchange.class.getName());

  final ExchangeSetup<F> setup;
  private final Connection connection;
  /** Created with the first bytes: an idle connection holds no decoder state. */
  private Decoder<F> decoder;
  /** Where the decoder delivers: this, or for a {@link RegionProtocol} a {@link Regions} over this. */
  private FrameSink<F> sink;
  /** Requests awaiting their turn to be written; created on the first request. */
  private ArrayDeque<PendingRequest> pending;
  private List<PendingRequest> batch;
  private long nextSeq;
  private boolean inRead;
  private boolean paused;
  private boolean closed;
  private CloseReason closeWhenDrained;
  private long timer = -1;
  private MessageConsumer<Object> push;

  PipelinedExchange(ExchangeSetup<F> setup, Connection connection) {
    this.setup = setup;
    this.connection = connection;
  }

  /** Installs an exchange on a freshly accepted connection; call on the connection's event loop. */
  public static <F> void install(Vertx vertx, Connection connection, FrameCodec<F> codec,
      Protocol<F> protocol, ExchangeOptions options) {
    ExchangeSetup.create(vertx, codec, protocol, options, ExchangeObserver.NONE).handle(connection);
  }

  void start() {
    connection.socket().handler(this);
    connection.closeHandler(c -> onClose());
    connection.inputEndHandler(this);
    push = setup.vertx.eventBus().consumer(Headers.pushAddress(connection.id()), this::onPush);
  }

  // ---- inbound ----

  /** A chunk from the socket. */
  @Override
  public void handle(Buffer chunk) {
    connection.countIn(chunk.length());
    if (decoder == null) {
      decoder = setup.codec.newDecoder();
      sink = sinkFor(setup.protocol);
    }
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

  @SuppressWarnings("unchecked")
  private FrameSink<F> sinkFor(Protocol<F> protocol) {
    return protocol instanceof RegionProtocol regions ? (FrameSink<F>) new Regions(regions) : this;
  }

  /** Frames as regions of the read, for a {@link RegionProtocol}: the body is made from the bytes. */
  private final class Regions implements RegionSink {
    private final RegionProtocol protocol;

    Regions(RegionProtocol protocol) {
      this.protocol = protocol;
    }

    @Override
    public void frame(Buffer bytes, int from, int length) {
      if (!admit()) {
        return;
      }
      FrameTap tap = connection.tap();
      if (tap != null) {
        tap.inbound(bytes.getBuffer(from, from + length)); // a copy: the region is reused
      }
      Object body;
      try {
        body = protocol.toBody(bytes, from, length);
      } catch (RuntimeException e) {
        badRequest(e);
        return;
      }
      request(body);
    }

    @Override
    public boolean error(FramingException error) {
      return PipelinedExchange.this.error(error);
    }
  }

  /** Counts an inbound frame; false when the connection is closing and the frame is ignored. */
  private boolean admit() {
    if (closeWhenDrained != null) {
      return false;
    }
    connection.countFrameIn();
    return true;
  }

  @Override
  public void frame(F frame) {
    if (!admit()) {
      return;
    }
    FrameTap tap = connection.tap();
    if (tap != null) {
      tap.inbound(frame);
    }
    Object body;
    try {
      body = setup.protocol.toBody(frame);
    } catch (RuntimeException e) {
      badRequest(e);
      return;
    }
    request(body);
  }

  private void badRequest(RuntimeException e) {
    enqueueReady(setup.protocol.error("ERR bad request: " + e.getMessage()));
  }

  /** Queues a request for an inbound frame's body; it is dispatched with the read's batch. */
  private void request(Object body) {
    PendingRequest p = new PendingRequest(this, nextSeq++, body, System.nanoTime() + setup.timeoutNanos);
    queue().add(p);
    if (batch == null) {
      batch = new ArrayList<>(4);
    }
    batch.add(p);
    connection.inFlight(pending.size());
    armTimer();
  }

  @Override
  public boolean error(FramingException error) {
    setup.observer.framingError(connection, error);
    enqueueReady(setup.protocol.error("ERR " + error.getMessage()));
    if (setup.options.resync() && error.resyncable()) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: {1}; resyncing", connection, error.getMessage());
      return true;
    }
    LOG.log(System.Logger.Level.INFO, "{0}: {1}; closing", connection, error.getMessage());
    closeWhenDrained = error instanceof FrameTooLongException ? CloseReason.FRAME_TOO_LARGE : CloseReason.CORRUPT_FRAME;
    return false;
  }

  /** A pre-answered slot, so that error frames keep their place among the replies. */
  private void enqueueReady(F frame) {
    PendingRequest p = new PendingRequest(this, nextSeq++, null, 0);
    p.complete(new ReadyFrame(frame));
    queue().add(p);
  }

  private ArrayDeque<PendingRequest> queue() {
    if (pending == null) {
      pending = new ArrayDeque<>();
    }
    return pending;
  }

  private record ReadyFrame(Object frame) {
  }

  // ---- dispatch ----

  private void dispatch(List<PendingRequest> requests) {
    ExchangeOptions options = setup.options;
    Endpoint local = options.localFirst() ? setup.endpoints.pick(options.address()) : null;
    if (local != null) {
      local.deliver(requests, this);
      return;
    }
    for (PendingRequest p : requests) {
      DeliveryOptions d = new DeliveryOptions()
          .setSendTimeout(options.requestTimeoutMs())
          .setHeaders(headers(p.seq));
      setup.vertx.eventBus().<Object>request(options.address(), p.body, d).onComplete(ar -> {
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
    if (Thread.currentThread() == setup.thread) {
      if (!inRead) {
        drain();
      }
    } else if (!p.inBatch) {
      wake();
    }
  }

  /** Asks the connection's event loop to write what is ready. */
  void wake() {
    setup.context.runOnContext(v -> drain());
  }

  // ---- outbound ----

  /** Writes every answered request at the head of the queue, in order, in one write. */
  private void drain() {
    if (closed || pending == null) {
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
      setup.encoder.encode(frame, out);
      frames++;
      if (head.deadline != 0) {
        long started = head.deadline - setup.timeoutNanos;
        setup.observer.answered(connection, setup.options.address(), now - started, head.result instanceof Throwable);
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
      connection.socket().write(out);
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
      return setup.protocol.error(ErrorTexts.of(t, setup.options.address(), setup.options.requestTimeoutMs()));
    }
    try {
      return setup.protocol.toFrame(r);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "{0}: reply from {1} not writable: {2}", connection, setup.options.address(), e.getMessage());
      return setup.protocol.error("ERR " + e.getMessage());
    }
  }

  private void updateBackpressure() {
    if (closed) {
      return;
    }
    NetSocket socket = connection.socket();
    int queued = pending == null ? 0 : pending.size();
    int max = setup.options.maxInFlight();
    boolean writesFull = socket.writeQueueFull();
    if ((queued >= max || writesFull) && !paused) {
      paused = true;
      if (writesFull) {
        socket.drainHandler(v -> updateBackpressure()); // set only when needed: idle connections stay small
      }
      socket.pause();
      connection.readPaused(true);
    } else if (paused && !writesFull && queued <= max / 2) {
      paused = false;
      socket.resume();
      connection.readPaused(false);
    }
  }

  // ---- timeouts ----

  private void armTimer() {
    if (timer < 0) {
      timer = setup.vertx.setTimer(setup.options.requestTimeoutMs(), id -> onTimer());
    }
  }

  /** Fails every expired request, then re-arms for the oldest one still waiting. */
  private void onTimer() {
    timer = -1;
    if (closed || pending == null) {
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
      timer = setup.vertx.setTimer(Math.max(1, (oldest.deadline - now) / 1_000_000L), id -> onTimer());
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
      frame = setup.protocol.toFrame(message.body());
    } catch (RuntimeException e) {
      message.fail(400, "ERR " + e.getMessage());
      return;
    }
    Buffer out = setup.encoder.encode(frame);
    FrameTap tap = connection.tap();
    if (tap != null) {
      tap.outbound(frame);
    }
    connection.countOut(out.length(), 1);
    connection.socket().write(out);
    message.reply(null);
  }

  /**
   * The peer half-closed: no more requests will come. Every request already read still gets its
   * answer (the peer may still be reading); the connection closes once they are written.
   */
  @Override
  public void inputEnded(Connection c) {
    if (closed) {
      return;
    }
    if (decoder != null && decoder.buffered() > 0) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: input ended inside a frame ({1} bytes dropped)", connection, decoder.buffered());
    }
    if (closeWhenDrained == null) {
      closeWhenDrained = CloseReason.CLIENT_CLOSED;
    }
    if (pending == null || pending.isEmpty()) {
      connection.close(closeWhenDrained);
    }
  }

  private void onClose() {
    closed = true;
    if (timer >= 0) {
      setup.vertx.cancelTimer(timer);
    }
    if (decoder != null && decoder.buffered() > 0) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: closed with {1} bytes of an incomplete frame", connection, decoder.buffered());
    }
    pending = null;
    connection.inFlight(0);
    if (push != null) {
      push.unregister();
    }
  }
}
