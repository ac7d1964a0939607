package dev.strata.exchange;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;

/**
 * {@link Service#request}: one request with its own options to an {@link Endpoint} on this node, without
 * the event bus; its own timer, its whole reply (body and headers) as a {@link Message}.
 */
final class LocalRequest extends RequestMessage {

  private final Vertx vertx;
  private final Sendable sendable;
  private final String address;
  private final Object body;
  private final DeliveryOptions options;
  private final Promise<Message<Object>> promise;
  private final long timer;
  private MultiMap headers;

  private LocalRequest(Vertx vertx, Sendable sendable, String address, Object body, DeliveryOptions options,
      ContextInternal context) {
    this.vertx = vertx;
    this.sendable = sendable;
    this.address = address;
    this.body = body;
    this.options = options;
    this.promise = context.promise();
    long ms = options.getSendTimeout();
    this.timer = vertx.setTimer(Math.max(1, ms), id -> complete(new ReplyException(ReplyFailure.TIMEOUT,
        "Timed out after waiting " + ms + "(ms) for a reply. address: " + address), null));
  }

  static Future<Message<Object>> send(Vertx vertx, Endpoint endpoint, Object body, DeliveryOptions options) {
    Sendable sendable = Sendable.of(vertx);
    Object delivered;
    try {
      delivered = sendable.deliverable(body, options.getCodecName());
    } catch (RuntimeException e) {
      return Future.failedFuture(e); // as EventBus.request throws it
    }
    LocalRequest r = new LocalRequest(vertx, sendable, endpoint.address(), delivered, options,
        (ContextInternal) vertx.getOrCreateContext());
    endpoint.call(r);
    return r.promise.future();
  }

  @Override
  void completed(Object outcome, DeliveryOptions replyOptions) {
    vertx.cancelTimer(timer);
    if (outcome instanceof Throwable t) {
      promise.fail(t);
    } else {
      promise.complete(new Reply(outcome, replyOptions == null ? null : replyOptions.getHeaders()));
    }
  }

  @Override
  Vertx vertx() {
    return vertx;
  }

  @Override
  Sendable sendable() {
    return sendable;
  }

  @Override
  long sourceConnection() {
    return options.getHeaders() == null ? -1 : Headers.parse(options.getHeaders().get(Headers.CONNECTION));
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public MultiMap headers() {
    if (headers == null) {
      headers = copyOf(options);
    }
    return headers;
  }

  @Override
  public Object body() {
    return body;
  }

  /** A reply that expects no answer (the fast path's replies cannot ask back: see {@link RequestMessage}). */
  private record Reply(Object body, MultiMap replyHeaders) implements Message<Object> {

    @Override
    public String address() {
      return null;
    }

    @Override
    public MultiMap headers() {
      return replyHeaders == null ? MultiMap.caseInsensitiveMultiMap() : replyHeaders;
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
      // nobody waits for an answer to this reply
    }

    @Override
    public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
      return Future.failedFuture(ErrorTexts.noReplyToReplies());
    }
  }
}
