package dev.strata.exchange;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One request of a connection, waiting for its reply in the connection's ordered queue.
 *
 * <p>On the local fast path it is also the {@link Message} the application receives: {@code reply}
 * and {@code fail} complete it directly, with no event-bus round trip. Exactly one outcome wins
 * (reply, failure or timeout); later ones are ignored.
 */
final class PendingRequest implements Message<Object> {

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(PendingRequest.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final PipelinedExchange<?> owner;
  final long seq;
  final Object body;
  final long deadline;
  /** Set while a batch runner calls the application, so that a synchronous reply needs no wake-up. */
  boolean inBatch;
  @SuppressWarnings("unused")
  private volatile int state;
  /** The reply body, a Throwable, or a ready frame (for framing errors); valid once {@link #done}. */
  Object result;
  volatile boolean done;
  /** The reply asked for the connection to close after it is written. */
  volatile boolean closeAfter;
  private MultiMap headers;

  PendingRequest(PipelinedExchange<?> owner, long seq, Object body, long deadline) {
    this.owner = owner;
    this.seq = seq;
    this.body = body;
    this.deadline = deadline;
  }

  /** Sets the outcome if none was set yet; returns whether this call won. */
  boolean complete(Object outcome) {
    if (!STATE.compareAndSet(this, 0, 1)) {
      return false;
    }
    result = outcome;
    done = true;
    return true;
  }

  @Override
  public String address() {
    return owner.setup.options.address();
  }

  @Override
  public MultiMap headers() {
    if (headers == null) {
      headers = owner.headers(seq);
    }
    return headers;
  }

  @Override
  public Object body() {
    return body;
  }

  @Override
  public String replyAddress() {
    return null;
  }

  @Override
  public boolean isSend() {
    return true;
  }

  @Override
  public void reply(Object message, DeliveryOptions options) {
    if (options != null && options.getHeaders() != null && options.getHeaders().contains(Headers.CLOSE)) {
      closeAfter = true;
    }
    if (complete(message)) {
      owner.replied(this);
    }
  }

  @Override
  public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
    reply(message, options);
    return Future.failedFuture("replyAndRequest: a client connection cannot answer a reply");
  }
}
