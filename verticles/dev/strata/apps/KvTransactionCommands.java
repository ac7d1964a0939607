package dev.strata.apps;

import static dev.strata.apps.KvCommands.s;

import dev.strata.apps.KvClients.Client;
import dev.strata.apps.KvCommands.Command;
import dev.strata.apps.KvCommands.Headed;
import dev.strata.apps.KvCommands.KvError;
import dev.strata.apps.KvStore.Entry;
import dev.strata.exchange.ErrorValue;
import dev.strata.exchange.Headers;
import dev.strata.exchange.ValueList;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH, with Redis's semantics and texts. Queuing itself is in
 * {@link KvCommands#execute}: between MULTI and EXEC a command is checked (known, arity, AUTH) and
 * queued, never run; a refused one makes EXEC answer EXECABORT.
 *
 * <p>The queue is kept here, on the store's node, by connection ({@link KvClients}: id and client
 * address), rather than on the listener's side to travel with EXEC: the listener is any protocol's
 * and knows no commands, while the store must check each one as it is queued, and must hold WATCH's
 * state anyway (a write by anyone marks its watchers). EXEC is then one small request, and runs
 * alone through the store's {@link KvGate}.
 */
final class KvTransactionCommands {

  static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

  private final KvStore store;
  private final KvClients clients;
  private final Map<String, Command> table;

  KvTransactionCommands(KvStore store, KvClients clients, Map<String, Command> table) {
    this.store = store;
    this.clients = clients;
    this.table = table;
  }

  void register(Map<String, Command> t) {
    t.put("multi", new Command(1, this::multi, Command.AT_ONCE));
    t.put("exec", new Command(1, this::exec, Command.AT_ONCE | Command.ALONE));
    t.put("discard", new Command(1, this::discard, Command.AT_ONCE));
    t.put("watch", new Command(-2, this::watch, Command.AT_ONCE));
    t.put("unwatch", new Command(1, this::unwatch)); // queued inside MULTI, as in Redis
  }

  private KvTransaction transaction(Message<Object> request, String command) {
    Client c = clients.of(request, command);
    if (c == null) {
      throw new KvError("ERR " + command.toUpperCase(Locale.ROOT) + " needs a connection: this request came on none");
    }
    return c.transaction(store.watches(), clients.multis());
  }

  private KvTransaction existing(Message<Object> request, String command) {
    Client c = clients.existing(request, command);
    return c == null ? null : c.transaction();
  }

  private Object multi(List<Buffer> a, Message<Object> request) {
    if (!transaction(request, "multi").begin()) {
      throw new KvError("ERR MULTI calls can not be nested");
    }
    return "OK";
  }

  private Object discard(List<Buffer> a, Message<Object> request) {
    KvTransaction tx = existing(request, "discard");
    if (tx == null || !tx.inMulti()) {
      throw new KvError("ERR DISCARD without MULTI");
    }
    tx.end();
    return "OK";
  }

  private Object watch(List<Buffer> a, Message<Object> request) {
    KvTransaction tx = transaction(request, "watch");
    if (tx.inMulti()) {
      throw new KvError("ERR WATCH inside MULTI is not allowed");
    }
    for (int i = 1; i < a.size(); i++) {
      KvKey key = KvKey.of(a.get(i));
      if (tx.watch(key)) {
        Entry e = store.get(a.get(i)); // after the watch is registered: a write now touches it
        tx.watchedExpiry(key, e == null ? 0 : e.expireAt());
      }
    }
    return "OK";
  }

  private Object unwatch(List<Buffer> a, Message<Object> request) {
    KvTransaction tx = existing(request, "unwatch");
    if (tx != null) {
      tx.unwatchAll();
    }
    return "OK";
  }

  /**
   * EXEC: EXECABORT after a refused command; else, alone (see {@link KvGate}), the null array when a
   * watched key changed or expired, or the array of the queued commands' replies, an error among them
   * as an {@link ErrorValue} (the others still ran: Redis does not roll back).
   */
  private Object exec(List<Buffer> a, Message<Object> request) {
    KvTransaction tx = existing(request, "exec");
    if (tx == null || !tx.inMulti()) {
      throw new KvError("ERR EXEC without MULTI");
    }
    if (tx.failed()) {
      tx.end();
      throw new KvError(EXECABORT);
    }
    try {
      return store.gate().exclusive(() -> {
        boolean abort = tx.abortable(System.currentTimeMillis());
        List<List<Buffer>> queue = tx.end();
        return abort ? ValueList.nullList() : run(queue, request);
      });
    } finally {
      tx.end(); // also when the gate timed out
    }
  }

  private Object run(List<List<Buffer>> queue, Message<Object> request) {
    ValueList replies = ValueList.replies(queue.size());
    String protocol = null;
    for (List<Buffer> command : queue) {
      Object reply;
      try {
        reply = table.get(s(command.get(0)).toLowerCase(Locale.ROOT)).impl().run(command, request);
      } catch (KvError e) {
        reply = new ErrorValue(e.getMessage());
      } catch (RuntimeException e) { // as Endpoint answers a handler that throws, for this command only
        reply = new ErrorValue("ERR application failed: " + e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      }
      if (reply instanceof Headed h) { // HELLO inside MULTI: the connection switches with EXEC's reply
        if (Headers.PROTOCOL.equals(h.header())) {
          protocol = h.headerValue();
        }
        reply = h.value();
      }
      replies.add(reply);
    }
    return protocol == null ? replies : new Headed(replies, Headers.PROTOCOL, protocol);
  }
}
