package dev.strata.exchange;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serving member's side of a member route: a batch of requests from a listener on another member
 * goes to a local {@link Endpoint} as one batch (the fast path's delivery, so the application sees what
 * it sees locally), and the outcomes go back in as few messages as possible: those ready when the batch
 * has run (every synchronous reply) as the reply to the batch, later ones gathered per requesting
 * member and sent to its {@code strata.node.<id>.outcomes} once per turn of this member's route context.
 */
final class RouteReceiver {

  /** The failure code that says "no endpoint of this address here": the sender then uses the event bus. */
  static final int NOT_HERE = -404;

  private final Vertx vertx;
  private final ContextInternal context;
  private final LocalEndpoints endpoints;
  private final RouteWire wire;
  private final Sendable sendable;
  private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();

  RouteReceiver(Vertx vertx, ContextInternal context, LocalEndpoints endpoints, RouteWire wire, Sendable sendable) {
    this.vertx = vertx;
    this.context = context;
    this.endpoints = endpoints;
    this.wire = wire;
    this.sendable = sendable;
  }

  void handle(Message<Buffer> m) {
    RouteWire.Requests rq;
    try {
      rq = wire.readRequests(m.body());
    } catch (RuntimeException e) {
      m.fail(400, "ERR unreadable route batch: " + e.getMessage());
      return;
    }
    Endpoint e = endpoints.pick(rq.address, rq.conn); // one connection, one instance: in order
    if (e == null) {
      m.fail(NOT_HERE, "no endpoint of " + rq.address + " on this member");
      return;
    }
    Batch b = new Batch(rq, m);
    List<RoutedRequest> list = new ArrayList<>(rq.seqs.length);
    for (int i = 0; i < rq.seqs.length; i++) {
      list.add(new RoutedRequest(b, i, rq.seqs[i], rq.tags[i], rq.bodies[i]));
    }
    e.deliverRouted(list, b::ran);
  }

  /** The requesting member left: nothing more is sent to it. */
  void forget(String member) {
    outboxes.remove(MemberRoutes.outcomesAddress(member));
  }

  /** One received batch: its outcomes go with the batch's reply until it has run, then to the outbox. */
  final class Batch {
    final RouteWire.Requests requests;
    private Message<Buffer> message;
    private List<Buffer> ready = new ArrayList<>(4);

    Batch(RouteWire.Requests requests, Message<Buffer> message) {
      this.requests = requests;
      this.message = message;
    }

    long timeoutMs() {
      return requests.timeoutMs;
    }

    Vertx vertx() {
      return vertx;
    }

    Sendable sendable() {
      return sendable;
    }

    void completed(RoutedRequest r, Object outcome, DeliveryOptions options) {
      Buffer item = outcome instanceof Throwable t ? RouteWire.failure(requests.batch, r.index, t)
          : wire.reply(requests.batch, r.index, outcome, options == null ? null : options.getHeaders(),
              options == null ? null : options.getCodecName());
      synchronized (this) {
        if (message != null) {
          ready.add(item);
          return;
        }
      }
      outboxes.computeIfAbsent(MemberRoutes.outcomesAddress(requests.origin), Outbox::new).add(item);
    }

    /** The application has been called with every request: what it answered goes back as the reply. */
    void ran() {
      Message<Buffer> m;
      List<Buffer> items;
      synchronized (this) {
        m = message;
        items = ready;
        message = null;
        ready = null;
      }
      m.reply(RouteWire.outcomes(items));
    }
  }

  /** Outcomes that came after their batch's reply, gathered per requesting member. */
  private final class Outbox {
    private final String address;
    private List<Buffer> items = new ArrayList<>();
    private boolean scheduled;

    Outbox(String address) {
      this.address = address;
    }

    void add(Buffer item) {
      boolean schedule;
      synchronized (this) {
        items.add(item);
        schedule = !scheduled;
        scheduled = true;
      }
      if (schedule) {
        context.runOnContext(v -> flush());
      }
    }

    private void flush() {
      List<Buffer> out;
      synchronized (this) {
        out = items;
        items = new ArrayList<>();
        scheduled = false;
      }
      vertx.eventBus().send(address, RouteWire.outcomes(out));
    }
  }
}
