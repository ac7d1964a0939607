package dev.strata.exchange;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.ContextInternal;
import java.util.List;

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
 * Strata's listeners use as a fast path: the frames of one socket read go to the application as one
 * batch, with no event-bus round trip per frame, and when the application runs on the connection's
 * own event loop it is called in place. The handler cannot tell the difference: it gets a message,
 * reads its body and headers, and replies or fails. A handler that throws fails the request (the
 * event bus alone would leave the requester waiting for a timeout).
 *
 * <p>Call it from a verticle's {@code start()}: the endpoint belongs to that verticle's context and
 * leaves with it. A worker verticle's handler runs on its worker threads, never on an event loop.
 */
public final class Endpoint {

  private final String address;
  private final ContextInternal context;
  private final Thread thread;
  private final Handler<Message<Object>> handler;
  private final LocalEndpoints table;
  private MessageConsumer<Object> consumer;

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
    ListCodec.register(vertx);
    Endpoint e = new Endpoint(vertx, address, ctx, handler);
    e.consumer = vertx.eventBus().consumer(address, e::invoke);
    return e.consumer.completion().map(v -> {
      e.table.add(e);
      ctx.addCloseHook(completion -> {
        e.table.remove(e);
        completion.succeed();
      });
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

  /** Removes the endpoint from the local table and the event bus. */
  public Future<Void> close() {
    table.remove(this);
    return consumer.unregister();
  }

  /**
   * Runs the handler over a batch of requests from one socket read: in place when already on the
   * handler's thread, else as one task on its context followed by one wake-up of the connection.
   */
  void deliver(List<PendingRequest> batch, PipelinedExchange<?> owner) {
    if (thread == Thread.currentThread()) {
      for (int i = 0; i < batch.size(); i++) {
        invoke(batch.get(i));
      }
      return;
    }
    context.runOnContext(v -> {
      for (int i = 0; i < batch.size(); i++) {
        PendingRequest p = batch.get(i);
        p.inBatch = true;
        invoke(p);
        p.inBatch = false;
      }
      owner.wake();
    });
  }

  private void invoke(Message<Object> message) {
    try {
      handler.handle(message);
    } catch (Throwable t) {
      message.reply(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500,
          "ERR application failed: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage())));
    }
  }
}
