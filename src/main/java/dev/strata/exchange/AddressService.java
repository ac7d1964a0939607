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
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Service#at}: a local {@link Endpoint} called directly when there is one, else the event bus.
 * Local requests are timed by one timer per service (armed for the eldest), not one per request.
 */
final class AddressService implements Service<Object, Object> {

  private static final AtomicLong KEYS = new AtomicLong();

  private final Vertx vertx;
  private final String address;
  private final DeliveryOptions options;
  private final ContextInternal context;
  private final LocalEndpoints endpoints;
  private final Sendable sendable;
  private final long timeoutNanos;
  private final Correlator<Local> waiting = Correlator.of(Correlation.MULTIPLEXED);
  /** Picks this service's local endpoint among several instances (see {@link LocalEndpoints#pick(String, long)}). */
  private final long key = KEYS.getAndIncrement();
  private long ids;
  private long timer = -1;

  AddressService(Vertx vertx, String address, DeliveryOptions options) {
    this.vertx = vertx;
    this.address = address;
    this.options = new DeliveryOptions(options.toJson());
    if (options.getHeaders() != null) {
      this.options.setHeaders(options.getHeaders());
    }
    this.context = (ContextInternal) vertx.getOrCreateContext();
    this.endpoints = LocalEndpoints.of(vertx);
    this.sendable = Sendable.of(vertx);
    this.timeoutNanos = options.getSendTimeout() * 1_000_000L;
    ValueListCodec.register(vertx);
  }

  @Override
  public Future<Object> request(Object body) {
    Endpoint local = endpoints.pick(address, key); // one service, one instance: in the order sent
    if (local == null) {
      return vertx.eventBus().request(address, body, options).map(Message::body);
    }
    Object delivered;
    try {
      delivered = sendable.deliverable(body, options.getCodecName());
    } catch (RuntimeException e) {
      return Future.failedFuture(e); // as EventBus.request throws it
    }
    Local r = new Local(delivered, ids++, System.nanoTime() + timeoutNanos, context.promise());
    waiting.add(r);
    armTimer();
    local.call(r);
    return r.promise.future();
  }

  private void armTimer() {
    if (timer < 0) {
      timer = vertx.setTimer(Math.max(1, options.getSendTimeout()), id -> onTimer());
    }
  }

  private void onTimer() {
    timer = -1;
    long now = System.nanoTime();
    long next = waiting.expire(now, r -> r.complete(new ReplyException(ReplyFailure.TIMEOUT, "Timed out after waiting "
        + options.getSendTimeout() + "(ms) for a reply. address: " + r.replyAddress() + ", repliedAddress: " + address), null));
    if (next != Long.MAX_VALUE) {
      timer = vertx.setTimer(Math.max(1, (next - now) / 1_000_000L), id -> onTimer());
    }
  }

  /** One local request: the Message the endpoint sees, completing the caller's promise. */
  private final class Local extends RequestMessage implements Correlator.Entry {
    private final Object body;
    private final Long tag;
    private final long deadline;
    final Promise<Object> promise;
    private MultiMap headers;

    Local(Object body, long tag, long deadline, Promise<Object> promise) {
      this.body = body;
      this.tag = tag;
      this.deadline = deadline;
      this.promise = promise;
    }

    @Override
    void completed(Object outcome, DeliveryOptions replyOptions) {
      context.execute(v -> waiting.remove(tag));
      if (outcome instanceof Throwable t) {
        promise.fail(t);
      } else {
        promise.complete(outcome);
      }
    }

    @Override
    long sourceConnection() {
      return options.getHeaders() == null ? -1 : Headers.parse(options.getHeaders().get(Headers.CONNECTION));
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
      return isAnswered();
    }
  }
}
