package dev.strata.apps;

import static dev.strata.apps.KvCommands.hash;
import static dev.strata.apps.KvCommands.integer;
import static dev.strata.apps.KvCommands.s;

import dev.strata.apps.KvCommands.Command;
import dev.strata.apps.KvCommands.KvError;
import dev.strata.apps.KvStore.Entry;
import dev.strata.exchange.ValueList;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Hash commands: HSET, HGET, HMGET, HGETALL, HDEL, HEXISTS, HLEN, HKEYS, HVALS, HSTRLEN, HINCRBY,
 * HSETNX, HMSET. A hash is a {@link LinkedHashMap} of field to value (fields binary-safe, in the order
 * they were added, as Redis keeps a small hash); it is read and changed only inside the store's
 * {@code compute}, like lists (a change in place is reported with {@code store.touched}, for WATCH).
 * A hash left empty is removed, as in Redis.
 */
final class KvHashCommands {

  private final KvStore store;

  KvHashCommands(KvStore store) {
    this.store = store;
  }

  /** The entry if it holds a hash, a new empty hash if there is none (a WRONGTYPE error for another type). */
  private static Entry orNewHash(Entry e) {
    return hash(e) != null ? e : new Entry(new LinkedHashMap<>(), 0);
  }

  void register(Map<String, Command> t) {
    t.put("hset", new Command(-4, a -> hset(a, "hset")));
    t.put("hmset", new Command(-4, a -> {
      hset(a, "hmset");
      return "OK";
    }));
    t.put("hsetnx", new Command(4, a -> {
      long[] added = {0};
      store.compute(a.get(1), (k, e) -> {
        Entry next = orNewHash(e);
        LinkedHashMap<KvKey, Buffer> h = hash(next);
        if (h.putIfAbsent(KvKey.of(a.get(2)), KvStore.kept(a.get(3))) == null) {
          added[0] = 1;
        }
        return next;
      });
      if (added[0] > 0) {
        store.touched(a.get(1));
      }
      return added[0];
    }));
    t.put("hget", new Command(3, a -> read(a.get(1), h -> h.get(KvKey.probe(a.get(2))), null)));
    t.put("hmget", new Command(-3, a -> read(a.get(1), h -> {
      ValueList out = new ValueList(a.size() - 2);
      for (int i = 2; i < a.size(); i++) {
        out.add(h.get(KvKey.probe(a.get(i))));
      }
      return out;
    }, nulls(a.size() - 2))));
    t.put("hgetall", new Command(2, a -> read(a.get(1), h -> {
      ValueList out = ValueList.pairs(h.size());
      h.forEach((f, v) -> out.with(f.buffer(), v));
      return out;
    }, ValueList.pairs(0))));
    t.put("hkeys", new Command(2, a -> read(a.get(1), h -> {
      ValueList out = new ValueList(h.size());
      h.keySet().forEach(f -> out.add(f.buffer()));
      return out;
    }, new ValueList())));
    t.put("hvals", new Command(2, a -> read(a.get(1), h -> ValueList.copyOf(h.values()), new ValueList())));
    t.put("hlen", new Command(2, a -> read(a.get(1), h -> (long) h.size(), 0L)));
    t.put("hexists", new Command(3, a -> read(a.get(1), h -> h.containsKey(KvKey.probe(a.get(2))) ? 1L : 0L, 0L)));
    t.put("hstrlen", new Command(3, a -> read(a.get(1), h -> {
      Buffer v = h.get(KvKey.probe(a.get(2)));
      return v == null ? 0L : (long) v.length();
    }, 0L)));
    t.put("hdel", new Command(-3, a -> {
      long[] n = {0};
      store.compute(a.get(1), (k, e) -> {
        LinkedHashMap<KvKey, Buffer> h = hash(e);
        if (h == null) {
          return null;
        }
        for (int i = 2; i < a.size(); i++) {
          n[0] += h.remove(KvKey.probe(a.get(i))) != null ? 1 : 0;
        }
        return h.isEmpty() ? null : e;
      });
      if (n[0] > 0) {
        store.touched(a.get(1));
      }
      return n[0];
    }));
    t.put("hincrby", new Command(4, a -> {
      long by = integer(a.get(3));
      long[] out = {0};
      store.compute(a.get(1), (k, e) -> {
        Entry next = orNewHash(e);
        LinkedHashMap<KvKey, Buffer> h = hash(next);
        KvKey field = KvKey.of(a.get(2));
        Buffer cur = h.get(field);
        long v;
        try {
          v = cur == null ? 0 : Long.parseLong(s(cur));
        } catch (NumberFormatException x) {
          throw new KvError("ERR hash value is not an integer");
        }
        try {
          out[0] = Math.addExact(v, by);
        } catch (ArithmeticException x) {
          throw new KvError("ERR increment or decrement would overflow");
        }
        h.put(field, Buffer.buffer(Long.toString(out[0])));
        return next;
      });
      store.touched(a.get(1));
      return out[0];
    }));
  }

  /** HSET key field value [field value ...]: the number of fields added (not those updated). */
  private Object hset(List<Buffer> a, String name) {
    if (a.size() % 2 != 0) {
      throw new KvError("ERR wrong number of arguments for '" + name + "' command");
    }
    long[] added = {0};
    store.compute(a.get(1), (k, e) -> {
      Entry next = orNewHash(e);
      LinkedHashMap<KvKey, Buffer> h = hash(next);
      for (int i = 2; i < a.size(); i += 2) {
        if (h.put(KvKey.of(a.get(i)), KvStore.kept(a.get(i + 1))) == null) {
          added[0]++;
        }
      }
      return next;
    });
    store.touched(a.get(1));
    return added[0];
  }

  /**
   * A read of the hash at {@code key}, inside compute (the hash is not thread-safe): {@code f}'s answer,
   * or {@code absent} when there is no such key; WRONGTYPE when the key holds something else.
   */
  private Object read(Buffer key, Function<LinkedHashMap<KvKey, Buffer>, Object> f, Object absent) {
    Object[] out = {absent};
    store.compute(key, (k, e) -> {
      LinkedHashMap<KvKey, Buffer> h = hash(e);
      if (h != null) {
        out[0] = f.apply(h);
      }
      return e;
    });
    return out[0];
  }

  private static ValueList nulls(int n) {
    ValueList out = new ValueList(n);
    for (int i = 0; i < n; i++) {
      out.add(null);
    }
    return out;
  }
}
