package dev.strata.exchange;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * One request of a listener's connection, waiting for its answer in the connection's correlator. On
 * the local fast path it is also the {@link io.vertx.core.eventbus.Message} the application receives
 * (see {@link RequestMessage} for how it keeps the event bus's contract); {@code reply} and
 * {@code fail} complete it directly, with no event-bus round trip.
 */
final class InboundRequest extends RequestMessage implements Correlator.Entry {

  final ServerExchange<?> owner;
  final long seq;
  final Object tag;
  final Object body;
  final long deadline;
  /** Set while a batch runner calls the application, so that a synchronous reply needs no wake-up. */
  boolean inBatch;
  /** Multiplexed: already in the owner's list of answered requests. */
  boolean queued;
  /** The reply body, a Throwable, or a {@link Ready} frame; valid once {@link #done}. */
  Object result;
  volatile boolean done;
  /** The reply asked for the connection to close after it is written ({@link Headers#CLOSE}). */
  volatile boolean closeAfter;
  /** The reply switches the connection's protocol version ({@link Headers#PROTOCOL}); 0: no change. */
  volatile int protocolVersion;
  private MultiMap headers;

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

  /** Sets the outcome if none was set yet; returns whether this call won (the owner is not told). */
  boolean complete(Object outcome) {
    return complete(outcome, null);
  }

  @Override
  void completed(Object outcome, DeliveryOptions options) {
    if (options != null) {
      replyHeaders(options.getHeaders());
    }
    result = outcome;
    done = true;
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
  long sourceConnection() {
    return owner.connectionId();
  }

  @Override
  Vertx vertx() {
    return owner.setup.vertx;
  }

  @Override
  Sendable sendable() {
    return owner.setup.sendable;
  }

  @Override
  void repliedByApplication() {
    owner.replied(this);
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
}
