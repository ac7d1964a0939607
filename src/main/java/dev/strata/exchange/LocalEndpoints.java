package dev.strata.exchange;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The applications of this Vert.x instance that were registered through {@link Endpoint}, by address:
 * the fast path's routing table (copy-on-write arrays, since reads, one per socket read, vastly
 * outnumber deployments), and the node's one event-bus consumer per address, which hands each message
 * to an instance by its connection (see {@link Endpoint}, "Order").
 */
final class LocalEndpoints implements Shareable {

  private static final Endpoint[] NONE = new Endpoint[0];

  private final Map<String, Endpoint[]> byAddress = new ConcurrentHashMap<>();
  private volatile Runnable onChange;
  /** The event-bus consumer of each address, while it has endpoints; guarded by {@code this}. */
  private final Map<String, Bus> buses = new HashMap<>();

  /** One address's consumer on the event bus, on a context of its own, and how many endpoints share it. */
  private static final class Bus {
    final Promise<Void> ready = Promise.promise();
    final AtomicLong next = new AtomicLong();
    MessageConsumer<Object> consumer;
    int endpoints;
    boolean closed;
  }

  static LocalEndpoints of(Vertx vertx) {
    LocalMap<String, LocalEndpoints> map = vertx.sharedData().getLocalMap("strata.exchange");
    LocalEndpoints existing = map.get("endpoints");
    if (existing != null) {
      return existing;
    }
    LocalEndpoints fresh = new LocalEndpoints();
    existing = map.putIfAbsent("endpoints", fresh);
    return existing == null ? fresh : existing;
  }

  void add(Endpoint e) {
    Endpoint[] before = byAddress.get(e.address());
    byAddress.compute(e.address(), (k, old) -> {
      Endpoint[] a = old == null ? NONE : old;
      Endpoint[] b = Arrays.copyOf(a, a.length + 1);
      b[a.length] = e;
      return b;
    });
    if (before == null) {
      changed();
    }
  }

  void remove(Endpoint e) {
    Endpoint[] after = byAddress.computeIfPresent(e.address(), (k, old) -> {
      Endpoint[] b = Arrays.stream(old).filter(x -> x != e).toArray(Endpoint[]::new);
      return b.length == 0 ? null : b;
    });
    if (after == null) {
      changed();
    }
  }

  /** The addresses served here, for the member's route ({@link MemberRoutes}). */
  Set<String> addresses() {
    return Set.copyOf(byAddress.keySet());
  }

  /** Called (on any thread) when an address gains its first endpoint or loses its last. */
  void onChange(Runnable listener) {
    this.onChange = listener;
  }

  private void changed() {
    Runnable r = onChange;
    if (r != null) {
      r.run();
    }
  }

  /** {@link #pick(String, long)} without a key: the calling thread chooses. */
  Endpoint pick(String address) {
    return pick(address, -1);
  }

  /**
   * An endpoint for the address: one on the calling thread if any (no hop); else the one {@code key}
   * selects, the same for every request of one caller (a listener's connection, a {@link Service}),
   * so that one caller's requests are handled in the order sent, as by a single instance (round-robin
   * handed a pipelined client's reads, or a verticle's requests, to instances that ran them out of
   * order); a negative key: the same one for the calling thread.
   */
  Endpoint pick(String address, long key) {
    Endpoint[] a = byAddress.get(address);
    if (a == null) {
      return null;
    }
    Thread t = Thread.currentThread();
    for (Endpoint e : a) {
      if (e.thread() == t) {
        return e;
      }
    }
    // a key keeps one caller's requests on one instance; without one, the calling thread does
    return a[(int) Math.floorMod(key < 0 ? System.identityHashCode(t) : key, (long) a.length)];
  }

  /**
   * Joins the node's event-bus consumer of {@code address}, registering it with the first endpoint (on
   * a context of its own, not an instance's, since it outlives any one of them; on the event loop of
   * {@code first}, the first endpoint's context, so that no event loop is taken from the pool's
   * rotation and the pool hands out loops as it would without it). It calls
   * {@code deliver} with each message and the endpoint that takes it; completes once the consumer is
   * registered (cluster-wide on a clustered node).
   */
  Future<Void> joinBus(Vertx vertx, ContextInternal first, String address,
      BiConsumer<Message<Object>, Endpoint> deliver) {
    Bus bus;
    synchronized (this) {
      bus = buses.get(address);
      if (bus != null) {
        bus.endpoints++;
        return bus.ready.future();
      }
      bus = new Bus();
      bus.endpoints = 1;
      buses.put(address, bus);
    }
    Bus b = bus;
    ContextInternal ctx = ((VertxInternal) vertx).contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
        .withEventLoop(first.nettyEventLoop()).build();
    ctx.runOnContext(v -> {
      MessageConsumer<Object> c;
      synchronized (this) {
        if (b.closed) {
          b.ready.tryFail("the endpoints of " + address + " closed");
          return;
        }
        c = vertx.eventBus().consumer(address, m -> route(address, b, m, deliver));
        b.consumer = c;
      }
      c.completion().onComplete(b.ready);
    });
    return b.ready.future();
  }

  /** Leaves the consumer of {@code address}; the last endpoint to leave unregisters it. */
  Future<Void> leaveBus(String address) {
    MessageConsumer<Object> c;
    synchronized (this) {
      Bus bus = buses.get(address);
      if (bus == null || --bus.endpoints > 0) {
        return Future.succeededFuture();
      }
      buses.remove(address);
      bus.closed = true;
      c = bus.consumer;
    }
    return c == null ? Future.succeededFuture() : c.unregister();
  }

  /**
   * A message from the event bus, on the consumer's context, in arrival order: to the endpoint its
   * connection selects (always the same one, so that the connection's requests stay in order: the
   * endpoint runs them on its context, in the order handed over), round-robin without a connection,
   * to every endpoint for a publish.
   */
  private void route(String address, Bus bus, Message<Object> m, BiConsumer<Message<Object>, Endpoint> deliver) {
    Endpoint[] a = byAddress.get(address);
    if (a == null) {
      m.fail(503, "ERR no application at " + address);
      return;
    }
    if (!m.isSend()) {
      for (Endpoint e : a) {
        deliver.accept(m, e);
      }
      return;
    }
    String conn = m.headers().get(Headers.CONNECTION);
    long key;
    if (conn == null) {
      key = bus.next.getAndIncrement();
    } else {
      String remote = m.headers().get(Headers.REMOTE);
      key = conn.hashCode() * 31L + (remote == null ? 0 : remote.hashCode());
    }
    deliver.accept(m, a[(int) Math.floorMod(key, (long) a.length)]);
  }
}
