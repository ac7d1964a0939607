package dev.strata.apps;

import static dev.strata.apps.KvCommands.SYNTAX;
import static dev.strata.apps.KvCommands.integer;
import static dev.strata.apps.KvCommands.s;
import static dev.strata.apps.KvCommands.typeName;

import dev.strata.apps.KvCommands.Command;
import dev.strata.apps.KvCommands.KvError;
import dev.strata.apps.KvStore.Entry;
import dev.strata.exchange.ValueList;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Commands on keys whatever their type: DEL, EXISTS, TYPE, expiry, DBSIZE, FLUSHDB, KEYS, SCAN. */
final class KvKeyspaceCommands {

  private final KvStore store;

  KvKeyspaceCommands(KvStore store) {
    this.store = store;
  }

  void register(Map<String, Command> t) {
    t.put("del", new Command(-2, a -> {
      long n = 0;
      for (int i = 1; i < a.size(); i++) {
        n += store.remove(a.get(i)) ? 1 : 0;
      }
      return n;
    }));
    t.put("unlink", t.get("del"));
    t.put("exists", new Command(-2, a -> {
      long n = 0;
      for (int i = 1; i < a.size(); i++) {
        n += store.get(a.get(i)) != null ? 1 : 0;
      }
      return n;
    }));
    t.put("type", new Command(2, a -> typeName(store.get(a.get(1)))));
    t.put("expire", new Command(3, a -> expire(a, 1000L)));
    t.put("pexpire", new Command(3, a -> expire(a, 1L)));
    t.put("ttl", new Command(2, a -> ttl(a, 1000L)));
    t.put("pttl", new Command(2, a -> ttl(a, 1L)));
    t.put("persist", new Command(2, a -> {
      boolean[] changed = {false};
      store.compute(a.get(1), (k, old) -> {
        if (old == null || old.expireAt() == 0) {
          return old;
        }
        changed[0] = true;
        return new Entry(old.value(), 0);
      });
      return changed[0] ? 1L : 0L;
    }));
    t.put("dbsize", new Command(1, a -> store.size()));
    t.put("flushdb", new Command(-1, a -> {
      store.clear();
      return "OK";
    }));
    t.put("flushall", t.get("flushdb"));
    t.put("keys", new Command(2, a -> {
      KvGlob glob = new KvGlob(a.get(1).getBytes());
      ValueList out = new ValueList();
      store.forEach((k, e) -> {
        if (glob.matches(k.bytes)) {
          out.add(k.buffer());
        }
      });
      return out;
    }));
    t.put("scan", new Command(-2, this::scan));
  }

  /**
   * {@code SCAN cursor [MATCH pattern] [COUNT n] [TYPE type]}: see {@link KvStore#scan} for the
   * cursor. COUNT is the work per call (keys looked at, before MATCH and TYPE filter), as in Redis; a
   * call returns whole segments, so it may return more.
   */
  private Object scan(List<Buffer> a) {
    long cursor;
    try {
      cursor = Long.parseUnsignedLong(s(a.get(1)));
    } catch (NumberFormatException e) {
      throw new KvError("ERR invalid cursor");
    }
    KvGlob glob = null;
    long count = 10;
    String type = null;
    for (int i = 2; i < a.size(); i += 2) {
      if (i + 1 >= a.size()) {
        throw new KvError(SYNTAX);
      }
      switch (s(a.get(i)).toUpperCase(Locale.ROOT)) {
        case "MATCH" -> glob = new KvGlob(a.get(i + 1).getBytes());
        case "COUNT" -> {
          count = integer(a.get(i + 1));
          if (count < 1) {
            throw new KvError(SYNTAX);
          }
        }
        case "TYPE" -> type = s(a.get(i + 1)).toLowerCase(Locale.ROOT); // unknown: nothing matches (Redis 7.0)
        default -> throw new KvError(SYNTAX);
      }
    }
    ValueList keys = new ValueList();
    KvGlob match = glob == null || glob.matchesAll() ? null : glob;
    String only = type;
    int next = cursor >= KvStore.SEGMENTS || cursor < 0 ? 0 : store.scan((int) cursor, (int) Math.min(count, Integer.MAX_VALUE),
        (k, e) -> {
          if ((match == null || match.matches(k.bytes)) && (only == null || only.equals(typeName(e)))) {
            keys.add(k.buffer());
          }
        });
    return ValueList.of(Buffer.buffer(Integer.toString(next)), keys);
  }

  private Object expire(List<Buffer> a, long unitMillis) {
    long n = integer(a.get(2));
    boolean[] set = {false};
    store.compute(a.get(1), (k, old) -> {
      if (old == null) {
        return null;
      }
      set[0] = true;
      return n <= 0 ? null : new Entry(old.value(), System.currentTimeMillis() + n * unitMillis);
    });
    return set[0] ? 1L : 0L;
  }

  private Object ttl(List<Buffer> a, long unitMillis) {
    Entry e = store.get(a.get(1));
    if (e == null) {
      return -2L;
    }
    if (e.expireAt() == 0) {
      return -1L;
    }
    long left = Math.max(0, e.expireAt() - System.currentTimeMillis());
    return unitMillis == 1 ? left : (left + 500) / 1000;
  }
}
