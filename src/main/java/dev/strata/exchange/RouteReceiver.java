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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The serving member's side of a member route: a batch of requests from a listener on another member
 * goes to a local {@link Endpoint} as one batch (the fast path's delivery, so the application sees what
 * it sees locally), and the outcomes go back in as few messages as possible: those ready when the batch
 * has run (every synchronous reply) as the reply to the batch, later ones gathered per requesting
 * member and sent to its {@code strata.node.<id>.outcomes} once per turn of this member's route context.
 */
final class RouteReceiver {

  private final Vertx vertx;
  private final ContextInternal context;
  private final LocalEndpoints endpoints;
  private final RouteWire wire;
  private final Sendable sendable;
  private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();
  /** Requests received and not answered yet: a member that leaves waits for them. */
  private final AtomicInteger held = new AtomicInteger();

  RouteReceiver(Vertx vertx, ContextInternal context, LocalEndpoints endpoints, RouteWire wire, Sendable sendable) {
    this.vertx = vertx;
    this.context = context;
    this.endpoints = endpoints;
    this.wire = wire;
    this.sendable = sendable;
  }

  void handle(Message<Buffer> m) {
    List<RouteWire.Requests> batches;
    try {
      batches = wire.readMessage(m.body());
    } catch (RuntimeException e) {
      m.fail(400, "ERR unreadable route message: " + e.getMessage());
      return;
    }
    Received received = new Received(m, batches.size());
    for (RouteWire.Requests rq : batches) {
      held.addAndGet(rq.seqs.length);
      Batch b = new Batch(rq, received);
      List<RoutedRequest> list = new ArrayList<>(rq.seqs.length);
      for (int i = 0; i < rq.seqs.length; i++) {
        list.add(new RoutedRequest(b, i, rq.seqs[i], rq.tags[i], rq.bodies[i]));
      }
      Endpoint e = endpoints.pick(rq.address, rq.conn); // one connection, one instance: in order
      if (e != null) {
        e.deliverRouted(list, received::ran);
      } else {
        forward(list); // the sender's table is behind: the event bus finds whoever serves it now
        received.ran();
      }
    }
  }

  /** Requests for an address with no endpoint here, each over the event bus, as the listener would send them. */
  private void forward(List<RoutedRequest> list) {
    for (RoutedRequest r : list) {
      DeliveryOptions d = new DeliveryOptions().setSendTimeout(r.timeoutMs()).setHeaders(r.headers());
      vertx.eventBus().request(r.address(), r.body(), d).onComplete(ar -> {
        if (ar.succeeded()) {
          r.complete(ar.result().body(), new DeliveryOptions().setHeaders(ar.result().headers()));
        } else {
          r.complete(ar.cause(), null);
        }
      });
    }
  }

  /** How many requests from other members wait for their answer here. */
  int held() {
    return held.get();
  }

  /** The requesting member left: nothing more is sent to it. */
  void forget(String member) {
    outboxes.remove(MemberRoutes.outcomesAddress(member));
  }

  /**
   * One received message: the outcomes of its batches go with its reply until every batch has been run
   * (so every synchronous reply rides back in that one message), later ones to the outbox.
   */
  final class Received {
    private Message<Buffer> message;
    private List<Buffer> ready = new ArrayList<>(8);
    private int running;

    Received(Message<Buffer> message, int batches) {
      this.message = message;
      this.running = batches;
    }

    /** Adds an outcome to the reply; false once the reply is gone. */
    synchronized boolean add(Buffer item) {
      if (message == null) {
        return false;
      }
      ready.add(item);
      return true;
    }

    /** A batch has been run. */
    void ran() {
      Message<Buffer> m;
      List<Buffer> items;
      synchronized (this) {
        if (--running > 0) {
          return;
        }
        m = message;
        items = ready;
        message = null;
        ready = null;
      }
      m.reply(RouteWire.outcomes(items));
    }
  }

  /** One received batch (one read of one connection). */
  final class Batch {
    final RouteWire.Requests requests;
    private final Received received;

    Batch(RouteWire.Requests requests, Received received) {
      this.requests = requests;
      this.received = received;
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
      held.decrementAndGet();
      Buffer item = outcome instanceof Throwable t ? RouteWire.failure(requests.batch, r.index, t)
          : wire.reply(requests.batch, r.index, outcome, options == null ? null : options.getHeaders(),
              options == null ? null : options.getCodecName());
      if (!received.add(item)) {
        outboxes.computeIfAbsent(MemberRoutes.outcomesAddress(requests.origin), Outbox::new).add(item);
      }
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
