package dev.strata.apps;

import dev.strata.exchange.Endpoint;
import dev.strata.exchange.Headers;
import dev.strata.exchange.ValueList;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A small Redis-like key-value store on {@code app.kv} (or the address in its config). It sees
 * commands, not protocols: a line ({@code SET a 1}, as a String) or a RESP array (a ValueList of
 * Buffers) both become a list of arguments, and replies are protocol-neutral values (see
 * {@link KvCommands}). All instances on a node share one {@link KvStore} and one table of
 * connections ({@link KvClients}).
 *
 * <p>Config: {@code address} (default {@code app.kv}); {@code store}, the name of the node's store to
 * share (default: the address); {@code password}, Redis's {@code requirepass} for the user
 * {@code default} (default none: any {@code AUTH default <anything>} is accepted, as by a Redis without
 * a password); {@code maxQueuedBytes}, what one connection's MULTI may queue (default
 * {@value #MAX_QUEUED_BYTES}). With a password, a connection must {@code AUTH} (or
 * {@code HELLO 3 AUTH default <pass>}) before anything but AUTH, HELLO and QUIT; requests that come on
 * no connection (other verticles, the event-bus bridge, which has its own access rules) are not asked.
 *
 * <p>It runs on event loops only: an EXEC waits for the store's event loops (see {@link KvGate}).
 */
public final class KvVerticle extends VerticleBase {

  /** Default of {@code maxQueuedBytes}: 128 MiB. */
  static final long MAX_QUEUED_BYTES = 128L << 20;

  private KvCommands commands;
  private KvStore store;

  @Override
  public Future<?> start() {
    if (!context.isEventLoopContext()) {
      return Future.failedFuture(new IllegalStateException(
          "the kv application runs on event loops only (an EXEC waits for them): deploy it without a worker threading model"));
    }
    String address = config().getString("address", "app.kv");
    String storeName = config().getString("store", address);
    long maxQueuedBytes = config().getLong("maxQueuedBytes", MAX_QUEUED_BYTES);
    if (maxQueuedBytes <= 0) {
      return Future.failedFuture(new IllegalArgumentException("maxQueuedBytes " + maxQueuedBytes + " must be > 0"));
    }
    store = KvStore.of(vertx, storeName);
    KvClients clients = KvClients.of(vertx, storeName, config().getString("password"));
    commands = new KvCommands(store, clients, maxQueuedBytes);
    store.gate().attach(context, Thread.currentThread());
    vertx.setPeriodic(1_000, id -> store.sweep(500));
    vertx.eventBus().<Long>localConsumer(Headers.CONNECTION_CLOSED,
        m -> clients.closed(m.body(), m.headers().get(Headers.REMOTE)));
    // a connection of another member's listener: its id alone may be one of this member's too
    vertx.eventBus().<Long>consumer(Headers.CONNECTION_CLOSED_CLUSTER, m -> {
      String remote = m.headers().get(Headers.REMOTE);
      if (remote != null) {
        clients.closed(m.body(), remote);
      }
    });
    return Endpoint.serve(vertx, address, this::handle);
  }

  @Override
  public Future<?> stop() {
    if (store != null) {
      store.gate().detach(context);
    }
    return Future.succeededFuture();
  }

  private void handle(Message<Object> msg) {
    List<Buffer> args;
    try {
      args = args(msg.body());
    } catch (IllegalArgumentException e) {
      msg.fail(400, "ERR " + e.getMessage());
      return;
    }
    if (args.isEmpty()) {
      msg.fail(400, "ERR empty command");
      return;
    }
    commands.execute(args, msg);
  }

  /**
   * The arguments of a command: a RESP command (a list of Buffers), a JSON array from a bridge client
   * (its strings as UTF-8 text, never base64-decoded), or a line ({@code SET a 1}).
   */
  static List<Buffer> args(Object body) {
    if (body instanceof ValueList l) { // a RESP command: a class test first (see bytes)
      return bytes(l);
    }
    if (body instanceof List<?> l) {
      return bytes(l);
    }
    if (body instanceof JsonArray a) {
      return bytes(a.getList());
    }
    if (body instanceof String s) {
      return Tokenizer.split(s);
    }
    if (body instanceof Buffer b) {
      return Tokenizer.split(b.toString());
    }
    throw new IllegalArgumentException("cannot read a command from a " + (body == null ? "null" : body.getClass().getSimpleName()));
  }

  /**
   * The class of Vert.x's buffers: tested by identity before any {@code instanceof Buffer}. On JDK 17 a
   * test against an interface that succeeds writes the class's one-entry cache of secondary supertypes;
   * Vert.x casts the same buffers to {@code BufferInternal} on the other event loops, and the two writes
   * bouncing one cache line between cores cost a pipelined RESP SET a sixth of its event-loop time
   * (JDK-8180450, fixed in JDK 23). An identity test and the cast it proves cost nothing.
   */
  private static final Class<?> BUFFER = Buffer.buffer().getClass();

  private static List<Buffer> bytes(List<?> values) {
    int n = values.size();
    List<Buffer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Object v = values.get(i);
      if (v != null && v.getClass() == BUFFER) {
        out.add((Buffer) v);
        continue;
      }
      if (v == null || v instanceof List || v instanceof JsonArray || v instanceof JsonObject) {
        throw new IllegalArgumentException("a command's arguments are strings, not " + (v == null ? "null" : "nested values"));
      }
      out.add(v instanceof Buffer b ? b : Buffer.buffer(String.valueOf(v)));
    }
    return out;
  }
}
