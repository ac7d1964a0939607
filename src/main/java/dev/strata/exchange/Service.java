package dev.strata.exchange;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

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

  /** {@link #at(Vertx, String, DeliveryOptions)} with the default options. */
  static Service<Object, Object> at(Vertx vertx, String address) {
    return at(vertx, address, new DeliveryOptions());
  }
}
