package dev.strata.exchange;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request handed to an {@link Endpoint} without the event bus, keeping the event bus's contract:
 * {@code isSend()} is true, {@code replyAddress()} is a real address (registered the first time it is
 * asked for: a reply sent there answers the request), a reply the event bus could not carry is
 * refused as the event bus would refuse it, {@code replyAndRequest} fails as a requester that does not
 * answer replies makes it fail. Exactly one outcome wins (reply, failure or timeout); later ones are
 * ignored, as a late reply to an expired event-bus request is.
 */
abstract class RequestMessage implements Message<Object> {

  private static final VarHandle STATE;
  private static final String REPLY_PREFIX = "__strata.reply." + UUID.randomUUID().toString().substring(0, 8) + ".";
  private static final AtomicLong REPLY_IDS = new AtomicLong();

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(RequestMessage.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused")
  private volatile int state;
  private volatile MessageConsumer<Object> replyConsumer;
  private String replyAddress;

  /** The node's event bus and codec table, for reply addresses and the codec check. */
  abstract Vertx vertx();

  abstract Sendable sendable();

  /** The outcome won: record it and tell whoever waits. Called once, on the replying thread. */
  abstract void completed(Object outcome, DeliveryOptions options);

  /** Sets the outcome if none was set yet; returns whether this call won. */
  final boolean complete(Object outcome, DeliveryOptions options) {
    if (!STATE.compareAndSet(this, 0, 1)) {
      return false;
    }
    MessageConsumer<Object> c = replyConsumer;
    if (c != null) {
      c.unregister();
    }
    completed(outcome, options);
    return true;
  }

  final boolean isAnswered() {
    return state != 0;
  }

  /** Whether {@link #replyAddress} was asked for. */
  final synchronized boolean hasReplyAddress() {
    return replyAddress != null;
  }

  @Override
  public synchronized String replyAddress() {
    if (replyAddress == null) {
      replyAddress = REPLY_PREFIX + REPLY_IDS.incrementAndGet();
      if (!isAnswered()) {
        replyConsumer = vertx().eventBus().localConsumer(replyAddress,
            m -> reply(m.body(), new DeliveryOptions().setHeaders(m.headers())));
        if (isAnswered()) {
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
    Object delivered;
    try {
      // what the event bus would deliver, or its refusal (no codec, a body Java serialization rejects)
      delivered = deliverable(message, options == null ? null : options.getCodecName());
    } catch (RuntimeException e) {
      delivered = ErrorTexts.notSendable(e.getMessage());
      options = null;
    }
    if (complete(delivered, options)) {
      repliedByApplication();
    }
  }

  /**
   * What the requester receives for a reply body, or the event bus's refusal (a RuntimeException):
   * here, what the local event bus would deliver.
   */
  Object deliverable(Object message, String codecName) {
    return sendable().deliverable(message, codecName);
  }

  /** The id of the connection the request came from, or -1 (see {@link Headers#connectionOf}). */
  abstract long sourceConnection();

  /** The headers a request was sent with, as a copy of its own (the event bus delivers one too). */
  static io.vertx.core.MultiMap copyOf(DeliveryOptions options) {
    io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
    if (options.getHeaders() != null) {
      headers.addAll(options.getHeaders());
    }
    return headers;
  }

  /** After {@link #completed}, when the outcome came from the application's reply or failure. */
  void repliedByApplication() {
  }

  @Override
  public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
    reply(message, options);
    return Future.failedFuture(ErrorTexts.noReplyToReplies());
  }
}
