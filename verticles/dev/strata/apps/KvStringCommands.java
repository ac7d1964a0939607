package dev.strata.apps;

import static dev.strata.apps.KvCommands.NOT_INT;
import static dev.strata.apps.KvCommands.SYNTAX;
import static dev.strata.apps.KvCommands.integer;
import static dev.strata.apps.KvCommands.s;
import static dev.strata.apps.KvCommands.string;

import dev.strata.apps.KvCommands.Command;
import dev.strata.apps.KvCommands.KvError;
import dev.strata.apps.KvStore.Entry;
import dev.strata.exchange.ValueList;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** String commands: GET, SET and its options, counters, MGET/MSET, APPEND, STRLEN. */
final class KvStringCommands {

  private final KvStore store;

  KvStringCommands(KvStore store) {
    this.store = store;
  }

  void register(Map<String, Command> t) {
    t.put("get", new Command(2, a -> string(store.get(a.get(1)))));
    t.put("set", new Command(-3, this::set));
    t.put("setnx", new Command(3, a -> set(List.of(a.get(0), a.get(1), a.get(2), Buffer.buffer("NX"))) == null ? 0L : 1L));
    t.put("getset", new Command(3, a -> set(List.of(a.get(0), a.get(1), a.get(2), Buffer.buffer("GET")))));
    t.put("getdel", new Command(2, a -> {
      Buffer[] old = {null};
      store.compute(a.get(1), (k, e) -> {
        old[0] = string(e);
        return null;
      });
      return old[0];
    }));
    t.put("incr", new Command(2, a -> add(a.get(1), 1)));
    t.put("decr", new Command(2, a -> add(a.get(1), -1)));
    t.put("incrby", new Command(3, a -> add(a.get(1), integer(a.get(2)))));
    t.put("decrby", new Command(3, a -> {
      long by = integer(a.get(2));
      if (by == Long.MIN_VALUE) {
        throw new KvError("ERR decrement would overflow");
      }
      return add(a.get(1), -by);
    }));
    t.put("append", new Command(3, a -> {
      Entry e = store.compute(a.get(1), (k, old) -> {
        Buffer cur = string(old);
        Buffer next = cur == null ? a.get(2).copy() : cur.copy().appendBuffer(a.get(2));
        return new Entry(next, old == null ? 0 : old.expireAt());
      });
      return (long) ((Buffer) e.value()).length();
    }));
    t.put("strlen", new Command(2, a -> {
      Buffer b = string(store.get(a.get(1)));
      return b == null ? 0L : (long) b.length();
    }));
    t.put("mget", new Command(-2, a -> {
      ValueList out = new ValueList();
      for (int i = 1; i < a.size(); i++) {
        Entry e = store.get(a.get(i));
        out.add(e != null && e.value() instanceof Buffer b ? b : null);
      }
      return out;
    }));
    t.put("mset", new Command(-3, a -> {
      if (a.size() % 2 == 0) {
        throw new KvError("ERR wrong number of arguments for 'mset' command");
      }
      for (int i = 1; i < a.size(); i += 2) {
        store.put(a.get(i), new Entry(KvStore.kept(a.get(i + 1)), 0));
      }
      return "OK";
    }));
  }

  /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]. */
  private Object set(List<Buffer> a) {
    if (a.size() == 3) { // no options: no read-modify-write
      store.put(a.get(1), new Entry(KvStore.kept(a.get(2)), 0));
      return "OK";
    }
    boolean nx = false;
    boolean xx = false;
    boolean get = false;
    boolean keepTtl = false;
    long expireAt = 0;
    for (int i = 3; i < a.size(); i++) {
      String opt = s(a.get(i)).toUpperCase(Locale.ROOT);
      switch (opt) {
        case "NX" -> nx = true;
        case "XX" -> xx = true;
        case "GET" -> get = true;
        case "KEEPTTL" -> keepTtl = true;
        case "EX", "PX", "EXAT", "PXAT" -> {
          if (i + 1 >= a.size() || expireAt != 0) {
            throw new KvError(SYNTAX);
          }
          long n = integer(a.get(++i));
          if (n <= 0) {
            throw new KvError("ERR invalid expire time in 'set' command");
          }
          long now = System.currentTimeMillis();
          expireAt = switch (opt) {
            case "EX" -> now + n * 1000;
            case "PX" -> now + n;
            case "EXAT" -> n * 1000;
            default -> n;
          };
        }
        default -> throw new KvError(SYNTAX);
      }
    }
    if ((nx && xx) || (keepTtl && expireAt != 0)) {
      throw new KvError(SYNTAX);
    }
    final boolean fnx = nx;
    final boolean fxx = xx;
    final boolean fget = get;
    final boolean fkeep = keepTtl;
    final long fexp = expireAt;
    Object[] result = {null};
    boolean[] written = {false};
    store.compute(a.get(1), (k, old) -> {
      Buffer prev = fget ? string(old) : null;
      result[0] = prev;
      if ((fnx && old != null) || (fxx && old == null)) {
        return old;
      }
      written[0] = true;
      return new Entry(KvStore.kept(a.get(2)), fkeep && old != null ? old.expireAt() : fexp);
    });
    if (get) {
      return result[0];
    }
    return written[0] ? "OK" : null;
  }

  private Object add(Buffer key, long by) {
    long[] out = {0};
    store.compute(key, (k, old) -> {
      Buffer cur = string(old);
      long v;
      try {
        v = cur == null ? 0 : Long.parseLong(s(cur));
      } catch (NumberFormatException e) {
        throw new KvError(NOT_INT);
      }
      try {
        out[0] = Math.addExact(v, by);
      } catch (ArithmeticException e) {
        throw new KvError("ERR increment or decrement would overflow");
      }
      return new Entry(Buffer.buffer(Long.toString(out[0])), old == null ? 0 : old.expireAt());
    });
    return out[0];
  }
}
