package dev.strata.apps;

import static dev.strata.apps.KvCommands.integer;
import static dev.strata.apps.KvCommands.list;

import dev.strata.apps.KvCommands.Command;
import dev.strata.apps.KvStore.Entry;
import dev.strata.exchange.ValueList;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * List commands: LPUSH, RPUSH, LPOP, RPOP, LLEN, LRANGE (all inside compute: lists are mutable; a
 * change in place is reported with {@code store.touched}, for WATCH).
 */
final class KvListCommands {

  private final KvStore store;

  KvListCommands(KvStore store) {
    this.store = store;
  }

  void register(Map<String, Command> t) {
    t.put("lpush", new Command(-3, a -> push(a, true)));
    t.put("rpush", new Command(-3, a -> push(a, false)));
    t.put("lpop", new Command(2, a -> pop(a, true)));
    t.put("rpop", new Command(2, a -> pop(a, false)));
    t.put("llen", new Command(2, a -> {
      long[] n = {0};
      store.compute(a.get(1), (k, e) -> {
        ArrayDeque<Buffer> l = list(e);
        n[0] = l == null ? 0 : l.size();
        return e;
      });
      return n[0];
    }));
    t.put("lrange", new Command(4, a -> {
      long start = integer(a.get(2));
      long stop = integer(a.get(3));
      ValueList out = new ValueList();
      store.compute(a.get(1), (k, e) -> {
        ArrayDeque<Buffer> l = list(e);
        if (l == null) {
          return null;
        }
        int size = l.size();
        long from = start < 0 ? Math.max(0, size + start) : start;
        long to = stop < 0 ? size + stop : Math.min(stop, size - 1);
        Iterator<Buffer> it = l.iterator();
        for (int i = 0; it.hasNext() && i <= to; i++) {
          Buffer b = it.next();
          if (i >= from) {
            out.add(b);
          }
        }
        return e;
      });
      return out;
    }));
  }

  private Object push(List<Buffer> a, boolean left) {
    long[] n = {0};
    store.compute(a.get(1), (k, e) -> {
      ArrayDeque<Buffer> l = list(e);
      Entry next = e;
      if (l == null) {
        l = new ArrayDeque<>();
        next = new Entry(l, 0);
      }
      for (int i = 2; i < a.size(); i++) {
        if (left) {
          l.addFirst(KvStore.kept(a.get(i)));
        } else {
          l.addLast(KvStore.kept(a.get(i)));
        }
      }
      n[0] = l.size();
      return next;
    });
    store.touched(a.get(1));
    return n[0];
  }

  private Object pop(List<Buffer> a, boolean left) {
    Buffer[] out = {null};
    store.compute(a.get(1), (k, e) -> {
      ArrayDeque<Buffer> l = list(e);
      if (l == null) {
        return null;
      }
      out[0] = left ? l.pollFirst() : l.pollLast();
      return l.isEmpty() ? null : e;
    });
    if (out[0] != null) {
      store.touched(a.get(1));
    }
    return out[0];
  }
}
