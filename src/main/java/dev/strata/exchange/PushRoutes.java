package dev.strata.exchange;

import dev.strata.stream.ConnectionRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.eventbus.impl.MessageImpl;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Push addresses in a cluster without a cluster-wide write per connection.
 *
 * <p>A clustered member registers no consumer per connection: it keeps each connection's push handler in
 * a map ({@link #attach}) and one clustered consumer per member, {@code strata.push.n<k>}. An outbound
 * interceptor on every member reads the member number an id carries ({@code id >> 40}, see
 * {@link ConnectionRegistry#NODE_SHIFT}): a message for one of this member's connections is handed to
 * its handler on the connection's context, as the bus would (a copy made by the body's codec, reply and
 * fail as usual); a message for another member's connection does not go on (its {@code next()} is not
 * called) and is sent instead to that member's push consumer, which delivers it to the connection
 * locally. So a send, publish or request to {@code strata.conn.<id>} from an application, a bridge client
 * or the admin API of any member reaches exactly that connection, as before; an id with no connection
 * here goes on to the bus, which fails a request with {@code NO_HANDLERS} as it always did.
 *
 * <p>Why not a local consumer per connection: in a clustered Vert.x 5 even {@code localConsumer} passes
 * through the cluster manager ({@code ClusteredEventBus.onLocalRegistration}: a worker task and a throttled
 * registration event for Hazelcast's subscription helper, at registration and again at removal), which cost
 * a third of the accept rate of a lone member (docs/cluster.md). An earlier version registered clustered
 * consumers, a Hazelcast multimap write and its backup per connection.
 *
 * <p>A request keeps its answer: the forward is itself a request, and its reply or failure is delivered
 * to the original request's reply address on the sending member (where Vert.x's reply handler waits; a
 * {@link ReplyException} body fails it with its type and code, as {@code Message.fail} does). A push to a
 * member that has left (Hazelcast dropped it) fails at once with {@code NO_HANDLERS} "no connection
 * <id>: its member n<k> is not in the cluster", and so do the forwarded requests in flight to it.
 *
 * <p>Limits: the forward carries the body with its default codec (a body sent with an explicit
 * {@code codecName} and no default codec is refused); the original request's send timeout is not
 * visible to an interceptor, so the forward waits up to {@value #FORWARD_TIMEOUT_MS} ms and the
 * original request's own timeout applies as usual.
 */
public final class PushRoutes implements Shareable {

  /** Prefix of a member's push consumer: {@code strata.push.n<number>}. */
  static final String MEMBER_PREFIX = "strata.push.n";
  /** Header of a forwarded push: the connection id. */
  static final String TARGET = "strata.push.to";
  /** Header of a forwarded push: present ({@code "publish"}) when the original was a publish. */
  static final String KIND = "strata.push.kind";
  static final long FORWARD_TIMEOUT_MS = DeliveryOptions.DEFAULT_TIMEOUT;

  private final Vertx vertx;
  /** This member's number once its Strata node has one; 0 before (its ids are then all another member's). */
  private volatile int self;
  private volatile boolean installed;
  private final Set<Integer> gone = ConcurrentHashMap.newKeySet();
  /** Forwarded requests awaiting their answer, so that a member that leaves fails them at once. */
  private final Map<Long, Forward> inFlight = new ConcurrentHashMap<>();
  /** This member's connections' push handlers, by connection id. */
  private final Map<Long, Sink> sinks = new ConcurrentHashMap<>();
  private final AtomicLong forwards = new AtomicLong();
  private MessageConsumer<Object> consumer;
  private final Handler<DeliveryContext<Object>> interceptor = this::outbound;

  private record Forward(int member, long connection, String replyAddress) {
  }

  private record Sink(ContextInternal context, Handler<Message<Object>> handler) {
  }

  private PushRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The push routes of this Vert.x instance (one per node). */
  public static PushRoutes of(Vertx vertx) {
    LocalMap<String, PushRoutes> map = vertx.sharedData().getLocalMap("strata.exchange.push");
    PushRoutes existing = map.get("push");
    if (existing != null) {
      return existing;
    }
    PushRoutes fresh = new PushRoutes(vertx);
    existing = map.putIfAbsent("push", fresh);
    return existing == null ? fresh : existing;
  }

  /**
   * Installs the interceptor on a clustered Vert.x (the cluster layer does, as the instance is built), so
   * that applications and bridge clients of this member reach other members' connections. Idempotent.
   */
  public synchronized void install() {
    if (installed || !vertx.isClustered()) {
      return;
    }
    installed = true;
    vertx.eventBus().addOutboundInterceptor(interceptor);
  }

  /**
   * This member holds connections numbered {@code number}: consumes {@code strata.push.n<number>}; from
   * now on its connections' push consumers are local ({@link #local}).
   */
  public Future<Void> join(int number) {
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    install();
    MessageConsumer<Object> c;
    synchronized (this) {
      if (consumer != null && self == number) {
        return consumer.completion();
      }
      if (consumer != null) {
        consumer.unregister();
      }
      self = number;
      c = consumer = vertx.eventBus().consumer(MEMBER_PREFIX + number, this::deliver);
    }
    return c.completion();
  }

  /** Stops taking pushes for this member's connections (its node stops). */
  public Future<Void> leave() {
    MessageConsumer<Object> c;
    synchronized (this) {
      c = consumer;
      consumer = null;
      self = 0;
    }
    return c == null ? Future.succeededFuture() : c.unregister();
  }

  /** Whether this node's pushes are routed by member ({@link #join} was called): use {@link #attach}, no consumer. */
  boolean local() {
    return self > 0;
  }

  /**
   * Connection {@code id}'s pushes go to {@code handler}, run on {@code context} (the connection's), until
   * the returned action is run.
   */
  Runnable attach(long id, ContextInternal context, Handler<Message<Object>> handler) {
    Sink sink = new Sink(context, handler);
    sinks.put(id, sink);
    return () -> sinks.remove(id, sink);
  }

  /** The member numbered {@code number} left the cluster: pushes to its connections fail from now on. */
  void memberLeft(int number) {
    gone.add(number);
    for (Map.Entry<Long, Forward> e : inFlight.entrySet()) {
      Forward f = e.getValue();
      if (f.member() == number && inFlight.remove(e.getKey()) != null) {
        answer(f.replyAddress(), null, left(f.connection(), number));
      }
    }
  }

  // ---- the sending member ----

  private void outbound(DeliveryContext<Object> ctx) {
    Message<Object> m = ctx.message();
    String address = m.address();
    if (!address.startsWith(Headers.PUSH_PREFIX)) {
      ctx.next();
      return;
    }
    long id = Headers.parse(address.substring(Headers.PUSH_PREFIX.length()));
    int member = id <= 0 ? 0 : (int) (id >>> ConnectionRegistry.NODE_SHIFT);
    if (member == 0 || member == self) {
      Sink sink = member == 0 ? null : sinks.get(id);
      if (sink == null) {
        ctx.next(); // not a connection id, or no such connection here: the bus answers as usual
        return;
      }
      Message<Object> copy = m instanceof MessageImpl<?, ?> mi ? copyOf(mi) : m;
      complete(ctx, null);
      sink.context().runOnContext(v -> sink.handler().handle(copy));
      return;
    }
    String replyAddress = m.replyAddress();
    if (gone.contains(member)) {
      complete(ctx, null);
      answer(replyAddress, null, left(id, member));
      return;
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(m.headers()).set(TARGET, Long.toString(id));
    if (!ctx.send()) {
      headers.set(KIND, "publish");
    }
    DeliveryOptions o = new DeliveryOptions().setHeaders(headers);
    String to = MEMBER_PREFIX + member;
    try {
      if (replyAddress == null) {
        vertx.eventBus().send(to, ctx.body(), o);
      } else {
        long key = forwards.incrementAndGet();
        inFlight.put(key, new Forward(member, id, replyAddress));
        vertx.eventBus().request(to, ctx.body(), o.setSendTimeout(FORWARD_TIMEOUT_MS)).onComplete(ar -> {
          if (inFlight.remove(key) != null) {
            relay(replyAddress, ar, id, member);
          }
        });
      }
      complete(ctx, null);
    } catch (RuntimeException e) { // a body with no default codec (sent with codecName)
      ReplyException refused = new ReplyException(ReplyFailure.ERROR,
          "cannot push to " + address + " on member n" + member + ": " + e.getMessage());
      complete(ctx, refused);
      answer(replyAddress, null, refused);
    }
  }

  /**
   * The original send is handled here, not by the bus: in Vert.x 5.0 its delivery context is also its
   * write promise; completing it completes a {@code MessageProducer.write} future. Nothing else relies on it.
   */
  @SuppressWarnings("unchecked")
  private static void complete(DeliveryContext<Object> ctx, Throwable failure) {
    if (ctx instanceof Promise<?> p) {
      if (failure == null) {
        ((Promise<Void>) p).tryComplete();
      } else {
        ((Promise<Void>) p).tryFail(failure);
      }
    }
  }

  /** What a consumer receives: a copy of the body made by its codec (a buffer is not shared). */
  @SuppressWarnings("unchecked")
  private static Message<Object> copyOf(MessageImpl<?, ?> m) {
    return (Message<Object>) m.copyBeforeReceive();
  }

  private void relay(String replyAddress, AsyncResult<Message<Object>> ar, long id, int member) {
    if (ar.succeeded()) {
      answer(replyAddress, ar.result(), null);
      return;
    }
    ReplyException e = ar.cause() instanceof ReplyException r ? r
        : new ReplyException(ReplyFailure.ERROR, String.valueOf(ar.cause().getMessage()));
    if (e.failureType() == ReplyFailure.NO_HANDLERS && String.valueOf(e.getMessage()).contains(MEMBER_PREFIX)) {
      e = left(id, member); // no push consumer for that member: it is not (or no longer) in the cluster
    }
    answer(replyAddress, null, e);
  }

  /** Delivers a reply, or a failure, to a request's reply address on this member. */
  private void answer(String replyAddress, Message<Object> reply, ReplyException failure) {
    if (replyAddress == null) {
      return;
    }
    DeliveryOptions local = new DeliveryOptions().setLocalOnly(true);
    if (failure != null) {
      vertx.eventBus().send(replyAddress, failure, local);
    } else {
      vertx.eventBus().send(replyAddress, reply.body(), local.setHeaders(reply.headers()));
    }
  }

  private static ReplyException left(long id, int member) {
    return new ReplyException(ReplyFailure.NO_HANDLERS,
        "no connection " + id + ": its member n" + member + " is not in the cluster");
  }

  // ---- the member that holds the connection ----

  private void deliver(Message<Object> m) {
    long id = Headers.parse(m.headers().get(TARGET));
    String address = Headers.pushAddress(id);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(m.headers());
    boolean publish = headers.contains(KIND);
    headers.remove(TARGET).remove(KIND);
    DeliveryOptions o = new DeliveryOptions().setLocalOnly(true).setHeaders(headers);
    if (publish) {
      vertx.eventBus().publish(address, m.body(), o);
    } else if (m.replyAddress() == null) {
      vertx.eventBus().send(address, m.body(), o);
    } else {
      vertx.eventBus().request(address, m.body(), o.setSendTimeout(FORWARD_TIMEOUT_MS)).onComplete(ar -> {
        if (ar.succeeded()) {
          m.reply(ar.result().body(), new DeliveryOptions().setHeaders(ar.result().headers()));
        } else if (ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
          m.reply(new ReplyException(ReplyFailure.NO_HANDLERS, "no connection " + id + " on member n" + self));
        } else if (ar.cause() instanceof ReplyException r) {
          m.reply(r); // the connection's own failure (503 closing, 400 unwritable...), type and code kept
        } else {
          m.fail(500, String.valueOf(ar.cause().getMessage()));
        }
      });
    }
  }

  /** Forwarded requests awaiting an answer (for tests). */
  int inFlight() {
    return inFlight.size();
  }
}
