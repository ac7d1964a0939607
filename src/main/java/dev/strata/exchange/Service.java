package dev.strata.exchange;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * A request in, a future reply out: the one shape of every request/response in Strata, Finagle's
 * {@code Service}. An application's handler answers one ({@link Endpoint}); a {@link Client} issues
 * them over a connection; {@link #at} issues them to an event-bus address.
 */
@FunctionalInterface
public interface Service<Req, Rep> {

  Future<Rep> request(Req request);

  /**
   * Requests to an event-bus address, with the listeners' fast path: when an {@link Endpoint} on this
   * node serves the address (an application, or a connector's {@code svc.*}), it is called without
   * the event bus (in place when it runs on the caller's event loop), else each request goes over the
   * event bus. Either way the application sees the same {@code Message} (see {@link Endpoint}) and
   * the future fails with a {@code ReplyException} as an event-bus request would: no handler, timeout
   * ({@code options.getSendTimeout()}, 30 s by default), or the application's failure.
   *
   * <p>Use it on one context (a verticle's): completions run there. A service sends all its local
   * requests to the same instance of the endpoint, so they are handled in the order sent.
   *
   * <pre>{@code
   * Service<Object, Object> redis = Service.at(vertx, "svc.redis");
   * redis.request(ValueList.of("GET", "k")).onSuccess(v -> ...);
   * }</pre>
   */
  static Service<Object, Object> at(Vertx vertx, String address, DeliveryOptions options) {
    return new AddressService(vertx, address, options);
  }

  /**
   * One request, as {@code vertx.eventBus().request(address, body, options)} makes it, with the fast path
   * of {@link #at}: an {@link Endpoint} on this node is called without the event bus, in place when it
   * runs on the calling thread (so replies computed there are ready before the caller's read ends). The
   * reply is the whole message: body and headers. On the fast path a reply cannot itself expect an
   * answer ({@code replyAddress()} is null), as for listeners. Call it on an event loop or verticle context.
   */
  static Future<Message<Object>> request(Vertx vertx, String address, Object body, DeliveryOptions options) {
    Endpoint local = LocalEndpoints.of(vertx).pick(address);
    return local == null ? vertx.eventBus().request(address, body, options)
        : LocalRequest.send(vertx, local, body, options);
  }

  /** {@link #at(Vertx, String, DeliveryOptions)} with the default options. */
  static Service<Object, Object> at(Vertx vertx, String address) {
    return at(vertx, address, new DeliveryOptions());
  }
}
