package dev.strata.apps;

import dev.strata.apps.KvStore.Entry;
import dev.strata.exchange.Headers;
import dev.strata.exchange.ValueList;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command table of {@link KvVerticle}, with Redis's names, arities and error texts.
 *
 * <p>Replies are protocol-neutral: {@code String} for a status ("OK", "PONG"), {@link Buffer} for a
 * value, {@code Long} for an integer, {@code null} for nil, a {@link ValueList} for several (a
 * {@link ValueList#pairs} list for a map: HGETALL); errors are {@code fail(code, "ERR ...")} /
 * {@code "WRONGTYPE ..."}. RESP writes them as Redis would; lines write them as text.
 */
final class KvCommands {

  /** An error reply, Redis style: the text starts with its code. */
  static final class KvError extends RuntimeException {
    KvError(String text) {
      super(text, null, false, false);
    }
  }

  /** A command of the data: its arguments in, its reply out. */
  @FunctionalInterface
  interface Impl {
    Object run(List<Buffer> a);
  }

  /** A command about the connection it came on (HELLO, CLIENT, AUTH): it needs the request. */
  @FunctionalInterface
  interface ConnectionImpl {
    Object run(List<Buffer> a, Message<Object> request);
  }

  /** A reply with a header for the connection (QUIT's close, HELLO's protocol version). */
  record Headed(Object value, String header, String headerValue) {
  }

  /**
   * Arity as Redis counts it (the name included): n exact, -n at least n. Flags: {@link #AT_ONCE}, run
   * even between MULTI and EXEC instead of being queued (MULTI, EXEC, DISCARD, WATCH, QUIT, RESET, as
   * in Redis); {@link #ALONE}, runs without the shared side of the store's gate (EXEC, which takes the
   * exclusive one).
   */
  record Command(int arity, ConnectionImpl impl, int flags) {
    static final int AT_ONCE = 1;
    static final int ALONE = 2;

    Command(int arity, Impl impl) {
      this(arity, (a, request) -> impl.run(a), 0);
    }

    Command(int arity, ConnectionImpl impl) {
      this(arity, impl, 0);
    }

    boolean is(int flag) {
      return (flags & flag) != 0;
    }
  }

  static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
  static final String NOT_INT = "ERR value is not an integer or out of range";
  static final String SYNTAX = "ERR syntax error";
  static final String NOAUTH = "NOAUTH Authentication required.";
  /** What a client may send before it has authenticated, when a password is set. */
  private static final Set<String> BEFORE_AUTH = Set.of("auth", "hello", "quit");

  private final Map<String, Command> table = new HashMap<>();
  private final KvClients clients;
  private final KvGate gate;
  private final long maxQueuedBytes;

  /**
   * @param maxQueuedBytes what one connection's MULTI may queue (arguments' bytes, plus
   *     {@value KvTransaction#ARGUMENT_OVERHEAD} per argument)
   */
  KvCommands(KvStore store, KvClients clients, long maxQueuedBytes) {
    this.clients = clients;
    this.gate = store.gate();
    this.maxQueuedBytes = maxQueuedBytes;
    new KvStringCommands(store).register(table);
    new KvListCommands(store).register(table);
    new KvHashCommands(store).register(table);
    new KvKeyspaceCommands(store).register(table);
    new KvConnectionCommands(clients).register(table);
    new KvTransactionCommands(store, clients, table).register(table);
    new KvServerCommands(table, store).register(table);
  }

  /**
   * Runs a command, or queues it when its connection is between MULTI and EXEC. Checks come in Redis's
   * order, and a refusal inside MULTI (unknown command, arity, NOAUTH) makes the transaction fail
   * (EXECABORT). A connection's transaction is looked up only while some connection of the store is in
   * MULTI; the store's gate is taken only while an EXEC waits or runs: otherwise a command costs what
   * it did before transactions, two volatile reads more.
   */
  void execute(List<Buffer> args, Message<Object> msg) {
    String name = s(args.get(0)).toLowerCase(Locale.ROOT);
    Command c = table.get(name);
    KvTransaction tx = clients.queuing(msg);
    if (c == null) {
      refuse(msg, tx, name, 404, unknown(args));
      return;
    }
    int n = args.size();
    if (c.arity() > 0 ? n != c.arity() : n < -c.arity()) {
      refuse(msg, tx, name, 400, "ERR wrong number of arguments for '" + name + "' command");
      return;
    }
    if (clients.passwordRequired() && !BEFORE_AUTH.contains(name) && !clients.authenticated(msg)) {
      refuse(msg, tx, name, 401, NOAUTH);
      return;
    }
    if (tx != null && !c.is(Command.AT_ONCE)) {
      long bytes = tx.queuedBytes() + KvTransaction.bytes(args);
      if (tx.queue(args, maxQueuedBytes)) {
        msg.reply("QUEUED");
      } else {
        msg.fail(400, "ERR MULTI queue of " + bytes + " bytes over maxQueuedBytes " + maxQueuedBytes
            + ": the transaction is discarded");
      }
      return;
    }
    Object reply;
    try {
      reply = gate.engaged() && !c.is(Command.ALONE) ? gate.shared(() -> c.impl().run(args, msg)) : c.impl().run(args, msg);
    } catch (KvError e) {
      msg.fail(400, e.getMessage());
      return;
    }
    if (reply instanceof Headed h) {
      msg.reply(h.value(), new DeliveryOptions().addHeader(h.header(), h.headerValue()));
    } else {
      msg.reply(reply);
    }
  }

  /**
   * A command refused before it ran; inside MULTI, its transaction will not run either. EXEC itself
   * refused is Redis's EXECABORT with the reason (and ends MULTI), inside MULTI or not.
   */
  private static void refuse(Message<Object> msg, KvTransaction tx, String name, int code, String text) {
    if (name.equals("exec")) {
      if (tx != null) {
        tx.end();
      }
      msg.fail(code, "EXECABORT Transaction discarded because of: " + (text.startsWith("ERR ") ? text.substring(4) : text));
      return;
    }
    if (tx != null) {
      tx.fail();
    }
    msg.fail(code, text);
  }

  private static String unknown(List<Buffer> args) {
    StringBuilder sb = new StringBuilder("ERR unknown command '").append(s(args.get(0))).append("', with args beginning with: ");
    for (int i = 1; i < args.size() && i < 4; i++) {
      sb.append('\'').append(s(args.get(i))).append("' ");
    }
    return sb.toString();
  }

  static String s(Buffer b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  static Buffer b(String s) {
    return Buffer.buffer(s);
  }

  static long integer(Buffer b) {
    try {
      return Long.parseLong(s(b));
    } catch (NumberFormatException e) {
      throw new KvError(NOT_INT);
    }
  }

  /** Redis's name of an entry's type, as TYPE answers and SCAN's TYPE filters. */
  static String typeName(Entry e) {
    if (e == null) {
      return "none";
    }
    Object v = e.value();
    return v instanceof Buffer ? "string" : v instanceof ArrayDeque ? "list" : "hash";
  }

  @SuppressWarnings("unchecked")
  static ArrayDeque<Buffer> list(Entry e) {
    if (e == null) {
      return null;
    }
    if (e.value() instanceof ArrayDeque<?> l) {
      return (ArrayDeque<Buffer>) l;
    }
    throw new KvError(WRONGTYPE);
  }

  @SuppressWarnings("unchecked")
  static LinkedHashMap<KvKey, Buffer> hash(Entry e) {
    if (e == null) {
      return null;
    }
    if (e.value() instanceof LinkedHashMap<?, ?> h) {
      return (LinkedHashMap<KvKey, Buffer>) h;
    }
    throw new KvError(WRONGTYPE);
  }

  static Buffer string(Entry e) {
    if (e == null) {
      return null;
    }
    if (e.value() instanceof Buffer b) {
      return b;
    }
    throw new KvError(WRONGTYPE);
  }

  /** The connection a request came on (-1: none, e.g. from another verticle). */
  static long connection(Message<Object> request) {
    return Headers.connectionOf(request);
  }
}
