package dev.strata.exchange;

import dev.strata.framing.FrameCodec;
import dev.strata.framing.FramingException;
import dev.strata.framing.Tagging;
import dev.strata.framing.Transport;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayDeque;

/**
 * {@link Client} over a {@link Transport}. Pipelined, a request that times out stays in the queue
 * (abandoned) until its response comes, so that the responses after it still match; a connection
 * whose eldest request has had no response for twice the timeout is closed as dead.
 */
final class TransportClient<F> implements Client<F, F> {

  private static final System.Logger LOG = System.getLogger(TransportClient.class.getName());

  private final Transport<F> transport;
  private final ClientOptions options;
  private final Tagging<F> tagging;
  private final ContextInternal context;
  private final String remote;
  private final long timeoutNanos;
  private final Correlator<Pending<F>> inFlight;
  private final ArrayDeque<Pending<F>> waiting = new ArrayDeque<>();
  private long nextTag = 1;
  private long timer = -1;
  private boolean closed;
  private Handler<Throwable> closeHandler;

  TransportClient(Transport<F> transport, FrameCodec<F> codec, ClientOptions options, String remote) {
    this.transport = transport;
    this.options = options;
    this.remote = remote;
    this.context = (ContextInternal) Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("create a client on its connection's context");
    }
    this.timeoutNanos = options.requestTimeoutMs() * 1_000_000L;
    this.inFlight = Correlator.of(options.correlation());
    if (options.correlation() == Correlation.MULTIPLEXED) {
      this.tagging = codec.tagging();
      if (tagging == null) {
        throw new IllegalArgumentException("multiplexed correlation needs a codec whose frames carry a tag; "
            + codec.name() + " has none");
      }
    } else {
      this.tagging = null;
    }
    transport.handler(this::onResponse);
    transport.exceptionHandler(this::onFailure);
    transport.endHandler(v -> lost("connection closed by " + remote));
    transport.drainHandler(v -> sendWaiting());
  }

  /** A request and its promise; an entry of the correlator once written. */
  private static final class Pending<F> implements Correlator.Entry {
    final F frame;
    final long deadline;
    final Promise<F> promise;
    Object tag;

    Pending(F frame, long deadline, Promise<F> promise) {
      this.frame = frame;
      this.deadline = deadline;
      this.promise = promise;
    }

    @Override
    public Object tag() {
      return tag;
    }

    @Override
    public long deadline() {
      return deadline;
    }

    @Override
    public boolean done() {
      return promise.future().isComplete();
    }
  }

  @Override
  public Future<F> request(F frame) {
    if (!context.inThread()) {
      Promise<F> hop = context.promise();
      context.execute(v -> request(frame).onComplete(hop));
      return hop.future();
    }
    if (closed) {
      return Future.failedFuture(new ExchangeException.Unavailable("connection to " + remote + " is closed"));
    }
    if (waiting.size() >= options.maxWaiting() && !canSend()) {
      return Future.failedFuture(new ExchangeException.Unavailable(
          remote + ": " + waiting.size() + " requests already waiting (maxWaiting)"));
    }
    Pending<F> r = new Pending<>(frame, System.nanoTime() + timeoutNanos, context.promise());
    if (canSend()) {
      send(r);
    } else {
      waiting.add(r);
    }
    armTimer();
    return r.promise.future();
  }

  private boolean canSend() {
    return inFlight.size() < options.maxInFlight() && !transport.writeQueueFull();
  }

  private void send(Pending<F> r) {
    F out = r.frame;
    if (tagging != null) {
      do {
        r.tag = tagging.tagFor(nextTag++);
      } while (!inFlight.add(r)); // a tag still in flight after the counter wrapped: take the next
      out = tagging.tagged(r.frame, r.tag);
    } else {
      inFlight.add(r);
    }
    transport.writeSoon(out);
  }

  private void sendWaiting() {
    Pending<F> r;
    while (!closed && canSend() && (r = waiting.poll()) != null) {
      if (!r.done()) {
        send(r);
      }
    }
  }

  private void onResponse(F frame) {
    Pending<F> r;
    F response = frame;
    if (tagging == null) {
      r = inFlight.pollEldest();
      if (r == null) {
        close("unexpected frame from " + remote + " with no request waiting for it");
        return;
      }
    } else {
      Object tag = tagging.tag(frame);
      r = tag == null ? null : inFlight.remove(tag);
      if (r == null) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: response with tag {1} matches no request (a late one?)", remote, tag);
        return;
      }
      response = tagging.restored(tagging.payload(frame), r.frame); // the requester's own id, not our tag
    }
    r.promise.tryComplete(response); // a timed-out one has failed already: its late response is dropped
    sendWaiting();
  }

  /** A framing error from the remote: the stream can no longer be trusted; everything in flight fails. */
  private void onFailure(Throwable t) {
    close(t instanceof FramingException ? "bad frame from " + remote + ": " + t.getMessage()
        : "connection to " + remote + " failed: " + t.getMessage());
  }

  private void close(String reason) {
    lost(reason);
    transport.end();
  }

  /** The connection is gone: every request in flight or waiting fails now, with the reason. */
  void lost(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    transport.closed();
    if (timer >= 0) {
      context.owner().cancelTimer(timer);
      timer = -1;
    }
    ExchangeException.ConnectionLost failure = new ExchangeException.ConnectionLost("connection lost: " + reason);
    for (Pending<F> r : inFlight) {
      r.promise.tryFail(failure);
    }
    inFlight.clear();
    for (Pending<F> r : waiting) {
      r.promise.tryFail(new ExchangeException.Unavailable("not sent: " + reason));
    }
    waiting.clear();
    Handler<Throwable> h = closeHandler;
    if (h != null) {
      h.handle(failure);
    }
  }

  private void armTimer() {
    if (timer < 0 && !closed) {
      timer = context.owner().setTimer(options.requestTimeoutMs(), id -> onTimer());
    }
  }

  private void onTimer() {
    timer = -1;
    if (closed) {
      return;
    }
    long now = System.nanoTime();
    long next = inFlight.expire(now, r -> {
      r.promise.tryFail(timeout());
      if (tagging != null) {
        inFlight.remove(r.tag);
      }
    });
    Pending<F> eldest = inFlight.eldest();
    if (eldest != null && now - eldest.deadline > timeoutNanos) {
      close("no response from " + remote + " for " + 2 * options.requestTimeoutMs() + " ms");
      return;
    }
    for (Pending<F> r : waiting) {
      if (r.deadline - now <= 0) {
        r.promise.tryFail(timeout());
      } else if (next == Long.MAX_VALUE || r.deadline - next < 0) {
        next = r.deadline;
      }
    }
    waiting.removeIf(Pending::done);
    if (tagging == null && eldest != null) {
      next = Math.min(next, eldest.deadline + timeoutNanos); // check again for a dead connection
    }
    if (next != Long.MAX_VALUE) {
      timer = context.owner().setTimer(Math.max(1, (next - now) / 1_000_000L), id -> onTimer());
    }
  }

  private ExchangeException.Timeout timeout() {
    return new ExchangeException.Timeout("timeout: no response from " + remote + " within "
        + options.requestTimeoutMs() + " ms");
  }

  @Override
  public int inFlight() {
    return inFlight.size();
  }

  @Override
  public int waiting() {
    return waiting.size();
  }

  @Override
  public boolean isOpen() {
    return !closed;
  }

  @Override
  public Client<F, F> closeHandler(Handler<Throwable> handler) {
    this.closeHandler = handler;
    return this;
  }

  @Override
  public Future<Void> close() {
    if (!context.inThread()) {
      Promise<Void> p = context.promise();
      context.execute(v -> close().onComplete(p));
      return p.future();
    }
    close("closed by this side");
    return Future.succeededFuture();
  }
}
