package dev.strata.exchange;

import dev.strata.framing.FrameReceiver;
import dev.strata.framing.FrameSink;
import dev.strata.framing.FrameTooLongException;
import dev.strata.framing.FramedStream;
import dev.strata.framing.FramingException;
import dev.strata.framing.RegionSink;
import dev.strata.framing.TruncatedFrameException;
import dev.strata.stream.CloseReason;
import dev.strata.stream.Connection;
import dev.strata.stream.FrameTap;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The request/response engine of one accepted connection: frames in, one request each, replies out.
 *
 * <p>Three parts, each with one job: the {@link FramedStream} (socket ↔ codec, counts, half-close);
 * the {@link Correlator} of requests awaiting replies, with the reply writing here (pipelined: in
 * request order; multiplexed: as they complete, each with its request's tag); and the listener's
 * {@link Dispatcher} (a local {@link Endpoint}, else the event bus). Per socket read: every frame of
 * the chunk becomes an {@link InboundRequest}, the read's requests are dispatched as one batch, then
 * every reply that can be written is written in one write.
 *
 * <p>Every request gets exactly one answer: the reply, the application's failure, a timeout (one
 * timer per connection, armed for the eldest request), or "no application". Backpressure: at
 * {@code maxInFlight} requests, or when the socket's write queue is full, the socket is paused; it
 * resumes when half have been answered and the writes have drained.
 *
 * <p>Everything here runs on the connection's event loop, except {@link #replied}, which the
 * application may call from its own thread.
 */
final class ServerExchange<F> implements FrameReceiver<F>, FramedStream.Counters, Connection.InputEndHandler,
    Handler<Connection> {

  /** The rate limit's bucket (only with {@code rateLimit}). */
  private double tokens;
  private long lastRefill;

  private static final System.Logger LOG = System.getLogger(ServerExchange.class.getName());

  final ExchangeSetup<F> setup;
  private final Connection connection;
  private final FramedStream<F> framed;
  /** Requests awaiting their turn to be written; created with the first request. */
  private Correlator<InboundRequest> pending;
  /** Multiplexed: answered requests, in the order they were answered. */
  private ArrayDeque<InboundRequest> answered;
  private List<InboundRequest> batch;
  private long nextSeq;
  private boolean paused;
  private boolean closed;
  private CloseReason closeWhenDrained;
  private long timer = -1;
  /** Armed while the write queue is full: fires {@code slowConsumerTimeout} later. */
  private long stallTimer = -1;
  /** The protocol version the client asked for (a reply with {@link Headers#PROTOCOL}); 0: default. */
  private int version;
  /** Counts this connection's answers (metrics, the dashboard); taken at the first answer. */
  private ExchangeObserver.Answers answers;
  /** Stops this connection's pushes: unregisters its consumer, or detaches it from the member's push routes. */
  private Runnable push;
  /** Whether a request of this connection went over the event bus (then a clustered node says when it closes). */
  private boolean crossedBus;
  /** The node is stopping: nothing more is read; the connection goes once it has answered what it read. */
  private boolean stopping;
  private int owedAtStop;

  ServerExchange(ExchangeSetup<F> setup, Connection connection) {
    this.setup = setup;
    this.connection = connection;
    this.framed = FramedStream.create(setup.codec, connection.input(), connection.output(), this, setup.context);
    if (connection.sender() != null) {
      framed.datagrams(connection.sender().maxDatagramBytes());
    }
  }

  /** A UDP sender's pseudo-connection: a framing error costs its datagram, never the sender. */
  private boolean datagrams() {
    return connection.sender() != null;
  }

  void start() {
    framed.start(this);
    connection.closeHandler(this);
    connection.inputEndHandler(this);
    connection.shutdownHandler(c -> stop());
    String address = Headers.pushAddress(connection.id());
    // clustered: no consumer at all (even a local one costs a trip through the cluster manager); the
    // member's push routes hand this connection its pushes, from this member and from the others
    PushRoutes routes = PushRoutes.of(setup.vertx);
    if (routes.local()) {
      push = routes.attach(connection.id(), setup.context, this::onPush);
    } else {
      MessageConsumer<Object> consumer = setup.vertx.eventBus().consumer(address, this::onPush);
      push = consumer::unregister;
    }
  }

  // ---- counts (FramedStream.Counters) ----

  @Override
  public void read(int bytes) {
    connection.countIn(bytes);
  }

  @Override
  public void wrote(int bytes, int frames) {
    connection.countOut(bytes, frames);
  }

  @Override
  public void held(int bytes) {
    connection.held(bytes);
  }

  // ---- inbound ----

  @Override
  @SuppressWarnings("unchecked")
  public FrameSink<F> sink() {
    return setup.protocol instanceof RegionProtocol regions && !setup.multiplexed()
        ? (FrameSink<F>) new Regions(regions) : this;
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
        badRequest(null, e);
        return;
      }
      request(null, body);
    }

    @Override
    public boolean error(FramingException error) {
      return ServerExchange.this.error(error);
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
    Object tag = null;
    F payload = frame;
    if (setup.tagging != null) {
      tag = setup.tagging.tag(frame);
      if (tag == null) {
        writeNow(null, setup.protocol.error("ERR request without a tag (" + setup.tagging + ")"));
        return;
      }
      payload = setup.tagging.payload(frame);
    }
    Object body;
    try {
      body = setup.protocol.toBody(payload);
    } catch (RuntimeException e) {
      badRequest(tag, e);
      return;
    }
    request(tag, body);
  }

  private void badRequest(Object tag, RuntimeException e) {
    answerWithFrame(tag, setup.protocol.error("ERR bad request: " + e.getMessage()));
  }

  /** Queues a request for an inbound frame's body; it is dispatched with the read's batch. */
  private void request(Object tag, Object body) {
    long now = System.nanoTime();
    if (setup.options.ratePerSecond() > 0 && !takeToken(now)) {
      connection.countRateLimited();
      answerWithFrame(tag, setup.protocol.error("ERR rate limit: more than " + rateText()
          + " requests per second on this connection (rateLimit); request not run"));
      return;
    }
    InboundRequest r = new InboundRequest(this, nextSeq++, tag, body, now + setup.timeoutNanos);
    if (!pending().add(r)) {
      writeNow(tag, setup.protocol.error("ERR tag " + tag + " is already in flight on this connection"));
      return;
    }
    if (batch == null) {
      batch = new ArrayList<>(4);
    }
    batch.add(r);
    connection.inFlight(pending.size());
    armTimer();
  }

  /** The token bucket of {@code rateLimit}: refilled by the time since the last request. */
  private boolean takeToken(long now) {
    int burst = setup.options.rateBurst();
    if (lastRefill == 0) {
      tokens = burst;
    } else {
      tokens = Math.min(burst, tokens + (now - lastRefill) * setup.options.ratePerSecond() / 1e9);
    }
    lastRefill = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  private String rateText() {
    double r = setup.options.ratePerSecond();
    return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
  }

  @Override
  public boolean error(FramingException error) {
    setup.observer.framingError(connection, error);
    connection.countFrameError();
    answerWithFrame(null, setup.protocol.error("ERR " + error.getMessage()));
    if (datagrams()) {
      // the rest of this datagram is skipped (or, resyncing, decoded on); the next starts afresh
      return setup.options.resync() && error.resyncable();
    }
    if (setup.options.resync() && error.resyncable()) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: {1}; resyncing", connection, error.getMessage());
      return true;
    }
    LOG.log(System.Logger.Level.INFO, "{0}: {1}; closing", connection, error.getMessage());
    closeWhenDrained = error instanceof FrameTooLongException ? CloseReason.FRAME_TOO_LARGE
        : error instanceof TruncatedFrameException ? CloseReason.CLIENT_CLOSED : CloseReason.CORRUPT_FRAME;
    return false;
  }

  /**
   * An answer that is already a frame (an error, a push): pipelined, it takes its place after the
   * replies owed; multiplexed, it is written at once.
   */
  private void answerWithFrame(Object tag, F frame) {
    if (setup.tagging != null) {
      writeNow(tag, frame);
    } else {
      pending().add(InboundRequest.ready(this, nextSeq++, null, frame));
    }
  }

  private void writeNow(Object tag, F frame) {
    F out = setup.tagging == null ? frame : setup.tagging.tagged(frame, tag);
    if (!framed.write(out)) {
      out = tooLarge(tag, out);
      framed.write(out);
    }
    FrameTap tap = connection.tap();
    if (tap != null) {
      tap.outbound(out);
    }
    if (!framed.inRead()) {
      framed.flush();
    }
  }

  /**
   * A reply that does not fit in one datagram: counted, and answered with a short error frame instead
   * (which, with a tiny {@code maxDatagramBytes}, may not fit either: then the request gets nothing).
   */
  private F tooLarge(Object tag, F frame) {
    connection.sender().countOversized();
    F error = setup.protocol.error("ERR reply too large (maxDatagramBytes " + connection.sender().maxDatagramBytes() + ")");
    return setup.tagging == null ? error : setup.tagging.tagged(error, tag);
  }

  private Correlator<InboundRequest> pending() {
    if (pending == null) {
      pending = Correlator.of(setup.options.correlation());
    }
    return pending;
  }

  /** Every frame of a read is in: dispatch the read's requests, then write what is ready. */
  @Override
  public void readComplete() {
    if (batch != null) {
      List<InboundRequest> b = batch;
      batch = null;
      setup.dispatcher.dispatch(b, this);
    }
    drain();
  }

  long connectionId() {
    return connection.id();
  }

  /** A request went over the event bus: its application may be on another member. */
  void crossedBus() {
    crossedBus = true;
  }

  String listenerName() {
    return connection.listener();
  }

  String remote() {
    return String.valueOf(connection.remoteAddress());
  }

  MultiMap headers(InboundRequest r) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap()
        .add(Headers.CONNECTION, Long.toString(connection.id()))
        .add(Headers.LISTENER, connection.listener())
        .add(Headers.SEQ, Long.toString(r.seq))
        .add(Headers.REMOTE, String.valueOf(connection.remoteAddress()));
    if (connection.tls() != null && connection.tls().peerSubject() != null) {
      h.add(Headers.PEER_SUBJECT, connection.tls().peerSubject());
    }
    if (r.tag != null) {
      h.add(Headers.TAG, String.valueOf(r.tag));
    }
    return h;
  }

  // ---- answers ----

  /** A request was answered; may run on any thread. */
  void replied(InboundRequest r) {
    if (Thread.currentThread() == setup.thread) {
      answeredOnLoop(r);
      if (!framed.inRead()) {
        drain();
      }
    } else if (!r.inBatch) {
      setup.context.runOnContext(v -> {
        answeredOnLoop(r);
        drain();
      });
    }
  }

  /** Requests answered by their outcomes (from another member): one drain for all of them. */
  void answered(List<InboundRequest> rs) {
    if (Thread.currentThread() == setup.thread) {
      for (int i = 0; i < rs.size(); i++) {
        answeredOnLoop(rs.get(i));
      }
      if (!framed.inRead()) {
        drain();
      }
    } else {
      setup.context.runOnContext(v -> {
        for (int i = 0; i < rs.size(); i++) {
          answeredOnLoop(rs.get(i));
        }
        drain();
      });
    }
  }

  /** A batch run on another thread is done: one wake-up for all its synchronous replies. */
  void batchDone(List<InboundRequest> b) {
    setup.context.runOnContext(v -> {
      for (int i = 0; i < b.size(); i++) {
        InboundRequest r = b.get(i);
        if (r.done) {
          answeredOnLoop(r);
        }
      }
      drain();
    });
  }

  private void answeredOnLoop(InboundRequest r) {
    if (setup.tagging != null && !r.queued && !closed) {
      r.queued = true;
      if (answered == null) {
        answered = new ArrayDeque<>();
      }
      answered.add(r);
    }
  }

  // ---- outbound ----

  /** Writes every reply that may go now (in order, or as answered), then updates backpressure. */
  private void drain() {
    if (closed || pending == null) {
      return;
    }
    int frames = setup.tagging == null ? writeInOrder() : writeAnswered();
    if (frames > 0) {
      framed.flush();
    }
    connection.inFlight(pending.size());
    if (closeWhenDrained != null && pending.isEmpty()) {
      finish();
      return;
    }
    updateBackpressure();
  }

  /** Everything read has been answered and the connection is to go. */
  private void finish() {
    if (stopping) {
      connection.finishShutdown();
    } else {
      connection.close(closeWhenDrained);
    }
  }

  /**
   * The node stops gracefully: stop reading (what the peer sends from now on is never run), answer
   * every request already read, then half-close ({@link Connection#finishShutdown}). The peer gets
   * every reply owed, then end of stream: what it sent and got no reply for was not applied.
   */
  private void stop() {
    if (closed || stopping) {
      return;
    }
    stopping = true;
    owedAtStop = pending == null ? 0 : pending.size();
    if (closeWhenDrained == null) {
      closeWhenDrained = CloseReason.SHUTDOWN;
    }
    if (!paused) {
      paused = true;
      framed.pause();
      connection.readPaused(true);
    }
    if (pending == null || pending.isEmpty()) {
      finish();
    } else {
      drain();
    }
  }

  private int writeInOrder() {
    int frames = 0;
    InboundRequest head;
    long now = 0;
    while ((head = pending.eldest()) != null && head.done) {
      pending.pollEldest();
      if (frames++ == 0) {
        now = System.nanoTime();
      }
      write(head, now);
      if (head.closeAfter) {
        closeWhenDrained = CloseReason.CLIENT_CLOSED;
        pending.clear();
        break;
      }
    }
    return frames;
  }

  private int writeAnswered() {
    int frames = 0;
    long now = System.nanoTime();
    InboundRequest r;
    while (answered != null && (r = answered.poll()) != null) {
      pending.remove(r.tag);
      write(r, now);
      frames++;
      if (r.closeAfter) {
        closeWhenDrained = CloseReason.CLIENT_CLOSED;
        pending.clear();
        answered.clear();
        break;
      }
    }
    return frames;
  }

  private void write(InboundRequest r, long now) {
    if (r.protocolVersion != 0) {
      version = r.protocolVersion;
    }
    F frame = frameOf(r);
    if (setup.tagging != null) {
      frame = setup.tagging.tagged(frame, r.tag);
    }
    boolean failed = r.result instanceof Throwable;
    if (!framed.write(frame)) {
      frame = tooLarge(r.tag, frame);
      framed.write(frame);
      failed = true;
    }
    if (r.deadline != 0) {
      long started = r.deadline - setup.timeoutNanos;
      if (answers == null) {
        answers = setup.observer.answers(connection, setup.options.address());
      }
      answers.answered(now - started, failed);
    }
    FrameTap tap = connection.tap();
    if (tap != null) {
      tap.outbound(frame);
    }
  }

  @SuppressWarnings("unchecked")
  private F frameOf(InboundRequest r) {
    Object result = r.result;
    if (result instanceof InboundRequest.Ready ready) {
      return (F) ready.frame();
    }
    if (result instanceof Throwable t) {
      return setup.protocol.error(ErrorTexts.of(t, setup.options.address(), setup.options.requestTimeoutMs()));
    }
    try {
      return setup.protocol.toFrame(result, version);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "{0}: reply from {1} not writable: {2}", connection, setup.options.address(),
          e.getMessage());
      return setup.protocol.error("ERR " + e.getMessage());
    }
  }

  private void updateBackpressure() {
    if (closed) {
      return;
    }
    int queued = pending == null ? 0 : pending.size();
    int max = setup.options.maxInFlight();
    boolean writesFull = framed.writeQueueFull();
    if ((queued >= max || writesFull) && !paused) {
      paused = true;
      if (writesFull) {
        framed.drainHandler(v -> updateBackpressure()); // set only when needed: idle connections stay small
        armStallTimer();
      }
      framed.pause();
      connection.readPaused(true);
    } else if (paused && !writesFull && queued <= max / 2 && !stopping) {
      paused = false;
      framed.resume();
      connection.readPaused(false);
    }
    if (writesFull && stallTimer < 0 && setup.options.slowConsumerMs() > 0) {
      framed.drainHandler(v -> updateBackpressure()); // paused for in-flight requests first, then the writes filled
      armStallTimer();
    } else if (!writesFull && stallTimer >= 0) {
      setup.vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }

  /** The peer does not read: if its queue is still full {@code slowConsumerTimeout} from now, it goes. */
  private void armStallTimer() {
    long ms = setup.options.slowConsumerMs();
    if (ms <= 0 || stallTimer >= 0) {
      return;
    }
    stallTimer = setup.vertx.setTimer(ms, id -> {
      stallTimer = -1;
      if (!closed && framed.writeQueueFull()) {
        LOG.log(System.Logger.Level.INFO, "{0}: its write queue stayed full for {1} ms (slowConsumerTimeout); closing",
            connection, ms);
        connection.abort(CloseReason.SLOW_CONSUMER); // close() would wait for the queue it will not read
      }
    });
  }

  // ---- timeouts ----

  private void armTimer() {
    if (timer < 0) {
      timer = setup.vertx.setTimer(setup.options.requestTimeoutMs(), id -> onTimer());
    }
  }

  /** Answers every expired request with a timeout, then re-arms for the eldest one still waiting. */
  private void onTimer() {
    timer = -1;
    if (closed || pending == null) {
      return;
    }
    long now = System.nanoTime();
    long next = pending.expire(now, r -> {
      if (r.complete(new ReplyException(ReplyFailure.TIMEOUT, "timeout"))) {
        answeredOnLoop(r);
      }
    });
    if (next != Long.MAX_VALUE) {
      timer = setup.vertx.setTimer(Math.max(1, (next - now) / 1_000_000L), id -> onTimer());
    }
    drain();
  }

  // ---- push and close ----

  /**
   * A body sent to {@code strata.conn.<id>}: written at once as the protocol's out-of-band push when it
   * has one (RESP3) or the connection is multiplexed, else after the replies owed at this moment.
   */
  private void onPush(Message<Object> message) {
    if (closed) {
      return;
    }
    if (stopping) {
      message.fail(503, "ERR " + connection + " is closing: the node is stopping");
      return;
    }
    F frame;
    try {
      F oob = setup.protocol.outOfBandPush(message.body(), version);
      frame = oob != null ? oob : setup.protocol.toFrame(message.body(), version);
      if (oob != null || setup.tagging != null) {
        if (framed.writeQueueFull()) {
          message.fail(503, "ERR " + connection + " does not read what it is sent");
          framed.drainHandler(v -> updateBackpressure());
          armStallTimer();
          return;
        }
        writeNow(null, frame); // multiplexed: untagged (JSON without its tag field, bytes with tag 0)
      } else {
        if (pending().size() >= setup.options.maxInFlight() * 2) {
          message.fail(503, "ERR " + connection + " has too many replies waiting");
          return;
        }
        pending.add(InboundRequest.ready(this, nextSeq++, null, frame));
        drain();
      }
    } catch (RuntimeException e) {
      message.fail(400, "ERR " + e.getMessage());
      return;
    }
    message.reply(null);
  }

  /**
   * The peer half-closed: no more requests will come. Every request already read still gets its
   * answer (the peer may still be reading); the connection closes once they are written.
   */
  @Override
  public void inputEnded(Connection c) {
    framed.inputEnded();
  }

  @Override
  public void inputEnded() {
    if (closed) {
      return;
    }
    if (closeWhenDrained == null) {
      closeWhenDrained = CloseReason.CLIENT_CLOSED;
    }
    if (pending == null || pending.isEmpty()) {
      finish();
    } else {
      drain();
    }
  }

  /** The socket closed (the connection's close handler). */
  @Override
  public void handle(Connection c) {
    closed = true;
    if (framed.buffered() > 0) {
      LOG.log(System.Logger.Level.DEBUG, "{0}: closed with {1} bytes of an incomplete frame", connection, framed.buffered());
    }
    framed.closed();
    if (stopping) {
      int owed = pending == null ? 0 : pending.size();
      connection.shutdownOutcome(owedAtStop, owed);
    }
    if (timer >= 0) {
      setup.vertx.cancelTimer(timer);
    }
    if (stallTimer >= 0) {
      setup.vertx.cancelTimer(stallTimer);
    }
    pending = null;
    answered = null;
    connection.inFlight(0);
    if (push != null) {
      push.run();
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add(Headers.CONNECTION, Long.toString(connection.id()))
        .add(Headers.LISTENER, connection.listener())
        .add(Headers.REMOTE, String.valueOf(connection.remoteAddress()));
    setup.vertx.eventBus().publish(Headers.CONNECTION_CLOSED, connection.id(),
        new DeliveryOptions().setLocalOnly(true).setHeaders(headers));
    if (crossedBus && setup.vertx.isClustered()) {
      setup.vertx.eventBus().publish(Headers.CONNECTION_CLOSED_CLUSTER, connection.id(), new DeliveryOptions().setHeaders(headers));
    }
  }
}
