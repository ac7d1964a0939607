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
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command table of {@link KvVerticle}, with Redis's names, arities and error texts.
 *
 * <p>Replies are protocol-neutral: {@code String} for a status ("OK", "PONG"), {@link Buffer} for a
 * value, {@code Long} for an integer, {@code null} for nil, a {@link ValueList} for several; errors are
 * {@code fail(code, "ERR ...")} / {@code "WRONGTYPE ..."}. RESP writes them as Redis would; lines
 * write them as text.
 */
final class KvCommands {

  /** An error reply, Redis style: the text starts with its code. */
  static final class KvError extends RuntimeException {
    KvError(String text) {
      super(text, null, false, false);
    }
  }

  @FunctionalInterface
  interface Impl {
    Object run(List<Buffer> a);
  }

  /** A reply with a header for the connection (QUIT's close, HELLO's protocol version). */
  record Headed(Object value, String header, String headerValue) {
  }

  /** Arity as Redis counts it (the name included): n exact, -n at least n. */
  record Command(int arity, Impl impl) {
  }

  static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
  static final String NOT_INT = "ERR value is not an integer or out of range";
  static final String SYNTAX = "ERR syntax error";

  private final KvStore store;
  private final Map<String, Command> table = new HashMap<>();

  KvCommands(KvStore store) {
    this.store = store;
    new KvStringCommands(store).register(table);
    new KvListCommands(store).register(table);
    table.put("ping", new Command(-1, a -> a.size() > 1 ? a.get(1) : "PONG"));
    table.put("echo", new Command(2, a -> a.get(1)));
    table.put("del", new Command(-2, a -> {
      long n = 0;
      for (int i = 1; i < a.size(); i++) {
        n += store.remove(s(a.get(i))) ? 1 : 0;
      }
      return n;
    }));
    table.put("exists", new Command(-2, a -> {
      long n = 0;
      for (int i = 1; i < a.size(); i++) {
        n += store.get(s(a.get(i))) != null ? 1 : 0;
      }
      return n;
    }));
    table.put("type", new Command(2, a -> {
      Entry e = store.get(s(a.get(1)));
      return e == null ? "none" : e.value() instanceof Buffer ? "string" : "list";
    }));
    table.put("expire", new Command(3, a -> expire(a, 1000L)));
    table.put("pexpire", new Command(3, a -> expire(a, 1L)));
    table.put("ttl", new Command(2, a -> ttl(a, 1000L)));
    table.put("pttl", new Command(2, a -> ttl(a, 1L)));
    table.put("persist", new Command(2, a -> {
      boolean[] changed = {false};
      store.compute(s(a.get(1)), (k, old) -> {
        if (old == null || old.expireAt() == 0) {
          return old;
        }
        changed[0] = true;
        return new Entry(old.value(), 0);
      });
      return changed[0] ? 1L : 0L;
    }));
    table.put("dbsize", new Command(1, a -> (long) store.size()));
    table.put("flushdb", new Command(-1, a -> {
      store.clear();
      return "OK";
    }));
    table.put("flushall", table.get("flushdb"));
    table.put("keys", new Command(2, a -> {
      java.util.regex.Pattern p = glob(s(a.get(1)));
      ValueList out = new ValueList();
      for (String k : store.keys()) {
        if (p.matcher(k).matches() && store.get(k) != null) {
          out.add(Buffer.buffer(k));
        }
      }
      return out;
    }));
    table.put("select", new Command(2, a -> {
      if (!s(a.get(1)).equals("0")) {
        throw new KvError("ERR DB index is out of range");
      }
      return "OK";
    }));
    table.put("quit", new Command(-1, a -> new Headed("OK", Headers.CLOSE, "true")));
    new KvServerCommands(table).register(table);
  }

  void execute(List<Buffer> args, Message<Object> msg) {
    String name = s(args.get(0)).toLowerCase(Locale.ROOT);
    Command c = table.get(name);
    if (c == null) {
      msg.fail(404, unknown(args));
      return;
    }
    int n = args.size();
    if (c.arity() > 0 ? n != c.arity() : n < -c.arity()) {
      msg.fail(400, "ERR wrong number of arguments for '" + name + "' command");
      return;
    }
    Object reply;
    try {
      reply = c.impl().run(args);
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

  private static String unknown(List<Buffer> args) {
    StringBuilder sb = new StringBuilder("ERR unknown command '").append(s(args.get(0))).append("', with args beginning with: ");
    for (int i = 1; i < args.size() && i < 4; i++) {
      sb.append('\'').append(s(args.get(i))).append("' ");
    }
    return sb.toString();
  }

  private Object expire(List<Buffer> a, long unitMillis) {
    long n = integer(a.get(2));
    boolean[] set = {false};
    store.compute(s(a.get(1)), (k, old) -> {
      if (old == null) {
        return null;
      }
      set[0] = true;
      return n <= 0 ? null : new Entry(old.value(), System.currentTimeMillis() + n * unitMillis);
    });
    return set[0] ? 1L : 0L;
  }

  private Object ttl(List<Buffer> a, long unitMillis) {
    Entry e = store.get(s(a.get(1)));
    if (e == null) {
      return -2L;
    }
    if (e.expireAt() == 0) {
      return -1L;
    }
    long left = Math.max(0, e.expireAt() - System.currentTimeMillis());
    return unitMillis == 1 ? left : (left + 500) / 1000;
  }

  static String s(Buffer b) {
    return b.toString(StandardCharsets.UTF_8);
  }

  static long integer(Buffer b) {
    try {
      return Long.parseLong(s(b));
    } catch (NumberFormatException e) {
      throw new KvError(NOT_INT);
    }
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

  static Buffer string(Entry e) {
    if (e == null) {
      return null;
    }
    if (e.value() instanceof Buffer b) {
      return b;
    }
    throw new KvError(WRONGTYPE);
  }

  private static java.util.regex.Pattern glob(String g) {
    StringBuilder re = new StringBuilder();
    for (char c : g.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return java.util.regex.Pattern.compile(re.toString(), java.util.regex.Pattern.DOTALL);
  }
}
