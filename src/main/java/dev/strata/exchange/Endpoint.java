package dev.strata.exchange;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application's entry point: serves an address with a plain {@code Handler<Message<Object>>}.
 *
 * <pre>{@code
 * public Future<?> start() {
 *   return Endpoint.serve(vertx, "app.echo", msg -> msg.reply(msg.body()));
 * }
 * }</pre>
 *
 * <p>The handler is registered twice: as an ordinary event-bus consumer (so any sender, on this node
 * or another cluster member, reaches it), and in this node's table of local endpoints, which
 * Strata's listeners and {@link Service#at} use as a fast path: the frames of one socket read go to
 * the application as one batch, with no event-bus round trip per frame, called in place when the
 * application runs on the connection's event loop.
 *
 * <h2>The contract, the same on every path</h2>
 * Whether a request comes through the fast path, the event bus, or from another cluster member, the
 * handler sees the same thing (tested over all three by {@code ServiceContractTest}):
 * <ul>
 *   <li>It runs on the application's own context: {@code Vertx.currentContext()} is (a duplicate of)
 *       the context of the verticle that called {@code serve}, so timers set in the handler and
 *       {@code context.config()} belong to that deployment; a worker verticle's handler runs on its
 *       worker threads, never on an event loop.
 *   <li>{@code isSend()} is true and {@code replyAddress()} is a real address whenever a reply is
 *       expected (a reply sent there from the application's node answers the request, across the
 *       cluster too); headers are {@link Headers#CONNECTION},
 *       {@link Headers#LISTENER}, {@link Headers#SEQ}, {@link Headers#REMOTE} (and {@link Headers#TAG}
 *       on a multiplexed listener).
 *   <li>A body has the same Java type locally and after crossing the cluster: a line is a
 *       {@code String}, a RESP command a {@link ValueList} of {@code Buffer}s, a JSON frame a
 *       {@code JsonObject}, other byte frames a {@code Buffer}.
 *   <li>Bodies are not copied on the fast path: treat a request body as read-only, and copy what you
 *       keep beyond the request ({@code buffer.copy()}): a {@code Buffer} in it may be a slice of the
 *       connection's read buffer, and keeping the slice keeps the whole read (64 KiB) in memory. Do not
 *       modify a reply body once replied.
 *   <li>Every request gets one answer: a handler that throws fails the request with
 *       {@code ERR application failed: <exception>} (the event bus alone would leave the requester
 *       waiting for a timeout); a handler that never replies gets a timeout; a reply after the timeout
 *       is ignored; a reply the event bus cannot carry (no codec for its type, or a Serializable body
 *       that does not serialize, such as an {@code ArrayList} holding Buffers) fails the request with
 *       {@code ERR reply not sendable: ...} on both dispatch modes of a node, with the event bus's
 *       reason. A body the local event bus takes may still have no codec across the cluster (a plain
 *       {@code ArrayList}: reply a {@link ValueList}).
 * </ul>
 *
 * <h2>Order</h2>
 * One connection's requests are handled in the order sent, as by a single instance, on every path: the
 * fast path hands all of a connection's reads to one instance; over the event bus, the node has one
 * consumer per address (not one per instance, which the event bus would serve round-robin, so that
 * two pipelined requests ran at once on two event loops and the second could finish first), and it
 * hands each request to the instance its connection selects ({@link Headers#CONNECTION} and
 * {@link Headers#REMOTE}), in arrival order. Requests from no connection (a verticle's, the bridge's)
 * go round-robin; a publish reaches every instance of the node.
 *
 * <p>Call it from a verticle's {@code start()}: the endpoint belongs to that verticle's context and
 * leaves with it.
 */
public final class Endpoint {

  private final String address;
  private final ContextInternal context;
  private final Thread thread;
  private final Handler<Message<Object>> handler;
  private final LocalEndpoints table;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** {@link #invoke} as a handler, made once (a method reference would be a new object per call). */
  private final Handler<Message<Object>> invoker = this::invoke;

  private Endpoint(Vertx vertx, String address, ContextInternal context, Handler<Message<Object>> handler) {
    this.address = address;
    this.context = context;
    this.thread = context.isEventLoopContext() ? Thread.currentThread() : null;
    this.handler = handler;
    this.table = LocalEndpoints.of(vertx);
  }

  public static Future<Endpoint> serve(Vertx vertx, String address, Handler<Message<Object>> handler) {
    ContextInternal ctx = (ContextInternal) vertx.getOrCreateContext();
    if (ctx.isEventLoopContext() && !ctx.isRunningOnContext()) {
      return Future.failedFuture(new IllegalStateException("Endpoint.serve must be called on the verticle's context"));
    }
    ValueListCodec.register(vertx);
    Endpoint e = new Endpoint(vertx, address, ctx.unwrap(), handler);
    e.table.add(e);
    // a clustered member says which addresses it serves, so other members' listeners route reads here
    Future<Void> routed = MemberRoutes.of(vertx).join().otherwiseEmpty();
    return routed.compose(v -> e.table.joinBus(vertx, e.context, address, (m, target) -> target.call(new Replying(m, vertx))))
        .onFailure(err -> e.close())
        .map(v -> {
          ctx.addCloseHook(completion -> e.close().onComplete(ignored -> completion.succeed()));
          return e;
        });
  }

  public String address() {
    return address;
  }

  /** The event-loop thread the handler runs on, or null for a worker context. */
  Thread thread() {
    return thread;
  }

  /** Removes the endpoint from the local table, and the node's consumer from the event bus with the last one. */
  public Future<Void> close() {
    if (!closed.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    table.remove(this);
    return table.leaveBus(address);
  }

  /**
   * Runs the handler over a batch of requests from one socket read, each on a fresh duplicate of the
   * application's context (as the event bus delivers): in place when already on the application's
   * thread, else as one task on its context followed by one wake-up of the connection.
   */
  void deliver(List<InboundRequest> batch, ServerExchange<?> owner) {
    if (thread == Thread.currentThread()) {
      for (int i = 0; i < batch.size(); i++) {
        context.duplicate().dispatch(batch.get(i), invoker);
      }
      return;
    }
    context.execute(batch, b -> {
      for (int i = 0; i < b.size(); i++) {
        InboundRequest r = b.get(i);
        r.inBatch = true;
        context.duplicate().dispatch(r, invoker);
        r.inBatch = false;
      }
      owner.batchDone(b);
    });
  }

  /**
   * Runs the handler over the requests of one read of a listener on another member (see
   * {@link MemberRoutes}), as {@link #deliver} does, then {@code after}, on the application's context.
   */
  void deliverRouted(List<RoutedRequest> batch, Runnable after) {
    if (thread == Thread.currentThread()) {
      runRouted(batch, after);
    } else {
      context.execute(batch, b -> runRouted(b, after));
    }
  }

  private void runRouted(List<RoutedRequest> batch, Runnable after) {
    for (int i = 0; i < batch.size(); i++) {
      context.duplicate().dispatch(batch.get(i), invoker);
    }
    after.run();
  }

  /** Runs the handler for one message of any path, on a duplicate of the application's context. */
  void call(Message<Object> message) {
    context.duplicate().emit(message, invoker);
  }

  private void invoke(Message<Object> message) {
    try {
      handler.handle(message);
    } catch (Throwable t) {
      message.reply(ErrorTexts.thrown(t));
    }
  }

  /**
   * An event-bus message with the fast path's rules: a reply the event bus cannot carry (no codec, a
   * body Java serialization rejects) fails the request with that reason, instead of {@code reply}
   * throwing and the requester waiting for a timeout; and on a clustered node {@code replyAddress()}
   * is an address a plain {@code send} from this member reaches, as on the fast path. Vert.x's own
   * reply address works across members only through {@code reply}: its handler is not in the
   * cluster's registry, so a {@code send} to it from the application's member finds no handler when
   * the requester (a listener) is on another member, and the request times out.
   */
  private static final class Replying implements Message<Object> {
    private static final String FORWARD_PREFIX = "__strata.forward." + UUID.randomUUID().toString().substring(0, 8) + ".";
    private static final AtomicLong FORWARD_IDS = new AtomicLong();
    /**
     * How long a forwarding address asked for and never answered stays registered: the requester's
     * timeout is not known here, and an address must not outlive every reply that could still count.
     */
    private static final long FORWARD_TTL_MS = 10 * 60_000L;

    private final Message<Object> m;
    private final Vertx vertx;
    private String forwardAddress;
    private MessageConsumer<Object> forwarder;
    private long forwarderTimer = -1;

    Replying(Message<Object> m, Vertx vertx) {
      this.m = m;
      this.vertx = vertx;
    }

    @Override
    public String address() {
      return m.address();
    }

    @Override
    public MultiMap headers() {
      return m.headers();
    }

    @Override
    public Object body() {
      return m.body();
    }

    @Override
    public String replyAddress() {
      String own = m.replyAddress();
      if (own == null || !vertx.isClustered()) {
        return own;
      }
      synchronized (this) {
        if (forwardAddress == null) {
          // local to this member, as the fast path's reply address is; a plain send from here reaches it
          forwardAddress = FORWARD_PREFIX + FORWARD_IDS.incrementAndGet();
          forwarder = vertx.eventBus().localConsumer(forwardAddress,
              f -> reply(f.body(), new DeliveryOptions().setHeaders(f.headers())));
          forwarderTimer = vertx.setTimer(FORWARD_TTL_MS, id -> releaseForwarder());
        }
        return forwardAddress;
      }
    }

    private void releaseForwarder() {
      MessageConsumer<Object> f;
      synchronized (this) {
        f = forwarder;
        forwarder = null;
      }
      if (f != null) {
        f.unregister();
        vertx.cancelTimer(forwarderTimer);
      }
    }

    @Override
    public boolean isSend() {
      return m.isSend();
    }

    @Override
    public void reply(Object message, DeliveryOptions options) {
      releaseForwarder();
      try {
        m.reply(message, options);
      } catch (RuntimeException e) { // no codec (IllegalArgumentException), or the codec's transform failed
        m.reply(ErrorTexts.notSendable(e.getMessage()));
      }
    }

    @Override
    public <R> Future<Message<R>> replyAndRequest(Object message, DeliveryOptions options) {
      releaseForwarder();
      try {
        return m.replyAndRequest(message, options);
      } catch (RuntimeException e) {
        m.reply(ErrorTexts.notSendable(e.getMessage()));
        return Future.failedFuture(e);
      }
    }
  }
}
