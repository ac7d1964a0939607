package dev.strata.exchange;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.List;

/**
 * One event-bus request per frame, with the connection's headers and the listener's timeout: the
 * path to plain consumers, to applications on other cluster members and to bridge clients.
 */
final class EventBusDispatcher implements Dispatcher {

  private final EventBus bus;
  private final String address;
  private final long timeoutMs;

  EventBusDispatcher(Vertx vertx, String address, long timeoutMs) {
    this.bus = vertx.eventBus();
    this.address = address;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public void dispatch(List<InboundRequest> batch, ServerExchange<?> owner) {
    owner.crossedBus();
    for (int i = 0; i < batch.size(); i++) {
      InboundRequest r = batch.get(i);
      DeliveryOptions d = new DeliveryOptions().setSendTimeout(timeoutMs).setHeaders(r.headers());
      bus.<Object>request(address, r.body, d).onComplete(ar -> {
        Object outcome;
        if (ar.succeeded()) {
          Message<Object> reply = ar.result();
          if (reply.replyAddress() != null) {
            reply.reply(ErrorTexts.noReplyToReplies()); // as the fast path answers replyAndRequest
          }
          r.replyHeaders(reply.headers());
          outcome = reply.body();
        } else {
          outcome = ar.cause();
        }
        if (r.complete(outcome)) {
          owner.replied(r);
        }
      });
    }
  }
}
