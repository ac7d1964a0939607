package dev.strata.exchange;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request of a listener's connection, waiting for its answer in the connection's correlator.
 *
 * <p>On the local fast path it is also the {@link Message} the application receives, and it keeps
 * the event bus's contract (see {@link Endpoint}): {@code isSend()} is true, {@code replyAddress()}
 * is a real address (registered the first time it is asked for), headers are the same, a reply the
 * event bus could not carry is refused as the event bus would refuse it. {@code reply} and
 * {@code fail} complete it directly, with no event-bus round trip. Exactly one outcome wins (reply,
 * failure or timeout); later ones are ignored, as a late reply to an expired event-bus request is.
 */
final class InboundRequest implements Message<Object>, Correlator.Entry {

  private static final VarHandle STATE;
  private static final String REPLY_PREFIX = "__strata.reply." + UUID.randomUUID().toString().substring(0, 8) + ".";
  private static final AtomicLong REPLY_IDS = new AtomicLong();

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(InboundRequest.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final ServerExchange<?> owner;
  final long seq;
  final Object tag;
  final Object body;
  final long deadline;
  /** Set while a batch runner calls the application, so that a synchronous reply needs no wake-up. */
  boolean inBatch;
  /** Multiplexed: already in the owner's list of answered requests. */
  boolean queued;
  @SuppressWarnings("unused")
  private volatile int state;
  /** The reply body, a Throwable, or a {@link Ready} frame; valid once {@link #done}. */
  Object result;
  volatile boolean done;
  /** The reply asked for the connection to close after it is written ({@link Headers#CLOSE}). */
  volatile boolean closeAfter;
  /** The reply switches the connection's protocol version ({@link Headers#PROTOCOL}); 0: no change. */
  volatile int protocolVersion;
  private MultiMap headers;
  private volatile MessageConsumer<Object> replyConsumer;
  private String replyAddress;

  InboundRequest(ServerExchange<?> owner, long seq, Object tag, Object body, long deadline) {
    this.owner = owner;
    this.seq = seq;
    this.tag = tag;
    this.body = body;
    this.deadline = deadline;
  }

  /** A slot answered from the start (a framing error, a push): it keeps its place among the replies. */
  static InboundRequest ready(ServerExchange<?> owner, long seq, Object tag, Object frame) {
    InboundRequest r = new InboundRequest(owner, seq, tag, null, 0);
    r.complete(new Ready(frame));
    return r;
  }

  /** An outcome that is already a frame. */
  record Ready(Object frame) {
  }

  /** Sets the outcome if none was set yet; returns whether this call won. */
  boolean complete(Object outcome) {
    if (!STATE.compareAndSet(this, 0, 1)) {
      return false;
    }
    result = outcome;
    done = true;
    MessageConsumer<Object> c = replyConsumer;
    if (c != null) {
      c.unregister();
    }
    return true;
  }

  /** Reads the reply's headers that speak to the connection (close after, protocol version). */
  void replyHeaders(MultiMap h) {
    if (h == null || h.isEmpty()) {
      return;
    }
    if (h.contains(Headers.CLOSE)) {
      closeAfter = true;
    }
    String v = h.get(Headers.PROTOCOL);
    if (v != null) {
      try {
        protocolVersion = Integer.parseInt(v.trim());
      } catch (NumberFormatException ignored) {
        // not a version: the connection keeps its protocol
      }
    }
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
    return done;
  }

  @Override
  public String address() {
    return owner.setup.options.address();
  }

  @Override
  public MultiMap headers() {
    if (headers == null) {
      headers = owner.headers(this);
    }
    return headers;
  }

  @Override
  public Object body() {
    return body;
  }

  /** A real address: a reply sent there (by any verticle of this node) answers this request. */
  @Override
  public synchronized String replyAddress() {
    if (replyAddress == null) {
      replyAddress = REPLY_PREFIX + REPLY_IDS.incrementAndGet();
      if (!done) {
        replyConsumer = owner.setup.vertx.eventBus().localConsumer(replyAddress,
            m -> reply(m.body(), new DeliveryOptions().setHeaders(m.headers())));
        if (done) {
          replyConsumer.unregister();
        }
      }
    }
    return replyAddress;
  }

  @Override
  public boolean isSend() {
    return true;
  }

  @Override
  public void reply(Object message, DeliveryOptions options) {
    String problem = owner.setup.sendable.problem(message, options == null ? null : options.getCodecName());
    Object outcome = message;
    if (problem != null) {
      outcome = ErrorTexts.notSendable(problem);
    } else if (options != null) {
      replyHeaders(options.getHeaders());
    }
    if (complete(outcome)) {
      owner.replied(this);
    }
  }

  @Override
  public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
    reply(message, options);
    return Future.failedFuture(ErrorTexts.noReplyToReplies());
  }
}
