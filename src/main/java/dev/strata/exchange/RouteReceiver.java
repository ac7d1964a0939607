package dev.strata.exchange;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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
  private final Map<Object, Outbox> outboxes = new ConcurrentHashMap<>();
  /** Requests received and not answered yet: a member that leaves waits for them. */
  private final AtomicInteger held = new AtomicInteger();

  RouteReceiver(Vertx vertx, ContextInternal context, LocalEndpoints endpoints, RouteWire wire, Sendable sendable) {
    this.vertx = vertx;
    this.context = context;
    this.endpoints = endpoints;
    this.wire = wire;
    this.sendable = sendable;
  }

  /** A message of batches over the event bus: the outcomes ready when it has run are its reply. */
  void handle(Message<Buffer> m) {
    List<RouteWire.Requests> batches;
    try {
      batches = wire.readMessage(m.body());
    } catch (RuntimeException e) {
      m.fail(400, "ERR unreadable route message: " + e.getMessage());
      return;
    }
    run(batches, new Received(b -> m.reply(b), null, batches.size()));
  }

  /**
   * A message of batches over a {@link RouteLink} (on the lane's event loop): the outcomes ready when
   * it has run go back on the link as one frame, written in this read (one flush per read); later
   * ones gathered per link. False when unreadable (the caller closes the link).
   */
  boolean handle(Buffer payload, NetSocket link) {
    List<RouteWire.Requests> batches;
    try {
      batches = wire.readMessage(payload);
    } catch (RuntimeException e) {
      return false;
    }
    run(batches, new Received(link::write, link, batches.size()));
    return true;
  }

  private void run(List<RouteWire.Requests> batches, Received received) {
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

  /** A link closed: nothing more is sent on it. */
  void forget(NetSocket link) {
    outboxes.remove(link);
  }

  /**
   * One received message: the outcomes of its batches go with its reply until every batch has been run
   * (so every synchronous reply rides back in that one message), later ones to the outbox.
   */
  final class Received {
    private Consumer<Buffer> reply;
    /** Where outcomes after the reply go (framed for it): the link, or null for the origin's outcomes address. */
    private final NetSocket link;
    private List<Buffer> ready = new ArrayList<>(8);
    private int running;

    Received(Consumer<Buffer> reply, NetSocket link, int batches) {
      this.reply = reply;
      this.link = link;
      this.running = batches;
    }

    /** Adds an outcome to the reply; false once the reply is gone. */
    synchronized boolean add(Buffer item) {
      if (reply == null) {
        return false;
      }
      ready.add(item);
      return true;
    }

    /** A batch has been run. */
    void ran() {
      Consumer<Buffer> r;
      List<Buffer> items;
      synchronized (this) {
        if (--running > 0) {
          return;
        }
        r = reply;
        items = ready;
        reply = null;
        ready = null;
      }
      r.accept(RouteWire.outcomes(items, link != null));
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
        if (received.link != null) {
          NetSocket link = received.link;
          // a link closed meanwhile: the write fails, and the outbox goes
          outboxes.computeIfAbsent(link, k -> new Outbox(b -> link.write(b).onFailure(e -> outboxes.remove(link)), true))
              .add(item);
        } else {
          String address = MemberRoutes.outcomesAddress(requests.origin);
          outboxes.computeIfAbsent(address, k -> new Outbox(b -> vertx.eventBus().send(address, b), false)).add(item);
        }
      }
    }
  }

  /** Outcomes that came after their batch's reply, gathered per requesting member. */
  private final class Outbox {
    private final Consumer<Buffer> out;
    private final boolean framed;
    private List<Buffer> items = new ArrayList<>();
    private boolean scheduled;

    Outbox(Consumer<Buffer> out, boolean framed) {
      this.out = out;
      this.framed = framed;
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
      this.out.accept(RouteWire.outcomes(out, framed));
    }
  }
}
