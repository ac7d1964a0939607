package dev.strata.exchange;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * A request that came from a listener on another member in a batch ({@link MemberRoutes}), handed to
 * a local {@link Endpoint} as the fast path hands its own: the same {@link RequestMessage} rules,
 * headers made as the listener makes them. Its outcome goes back to the listener's member through
 * {@link RouteReceiver}.
 */
final class RoutedRequest extends RequestMessage {

  private final RouteReceiver.Batch batch;
  final int index;
  private final long seq;
  private final String tag;
  private final Object body;
  private MultiMap headers;

  RoutedRequest(RouteReceiver.Batch batch, int index, long seq, String tag, Object body) {
    this.batch = batch;
    this.index = index;
    this.seq = seq;
    this.tag = tag;
    this.body = body;
  }

  @Override
  void completed(Object outcome, DeliveryOptions options) {
    batch.completed(this, outcome, options);
  }

  @Override
  public synchronized String replyAddress() {
    boolean first = !hasReplyAddress();
    String a = super.replyAddress();
    if (first && !isAnswered()) {
      // its consumer must not outlive the listener's timeout: the listener gives up then, and so does this
      vertx().setTimer(batch.timeoutMs(), id -> complete(new ReplyException(ReplyFailure.TIMEOUT, "timeout"), null));
    }
    return a;
  }

  /** The reply crosses the cluster: refused as the clustered event bus refuses it (no codec for the wire). */
  @Override
  Object deliverable(Object message, String codecName) {
    sendable().codecs().lookupCodec(message, codecName, false);
    return message;
  }

  long timeoutMs() {
    return batch.timeoutMs();
  }

  @Override
  long sourceConnection() {
    return batch.requests.conn;
  }

  @Override
  Vertx vertx() {
    return batch.vertx();
  }

  @Override
  Sendable sendable() {
    return batch.sendable();
  }

  @Override
  public String address() {
    return batch.requests.address;
  }

  @Override
  public MultiMap headers() {
    if (headers == null) {
      MultiMap h = MultiMap.caseInsensitiveMultiMap()
          .add(Headers.CONNECTION, Long.toString(batch.requests.conn))
          .add(Headers.LISTENER, String.valueOf(batch.requests.listener))
          .add(Headers.SEQ, Long.toString(seq))
          .add(Headers.REMOTE, String.valueOf(batch.requests.remote));
      if (tag != null) {
        h.add(Headers.TAG, tag);
      }
      headers = h;
    }
    return headers;
  }

  @Override
  public Object body() {
    return body;
  }
}
