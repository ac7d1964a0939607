package dev.strata.apps;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The key-value data of one node, shared by every instance of {@link KvVerticle} (they run on
 * different event loops, hence a concurrent map; read-modify-write commands use {@code compute}).
 * Values are byte strings ({@link Buffer}) or lists ({@link ArrayDeque} of Buffer). Expiry is lazy on
 * access plus a periodic sweep.
 */
final class KvStore implements Shareable {

  /** A value and its expiry time in epoch millis (0 = none). Immutable except list contents. */
  record Entry(Object value, long expireAt) {
    boolean expired(long now) {
      return expireAt != 0 && expireAt <= now;
    }
  }

  private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();
  private Iterator<Map.Entry<String, Entry>> sweep;

  static KvStore of(Vertx vertx, String name) {
    LocalMap<String, KvStore> stores = vertx.sharedData().getLocalMap("strata.apps.kv");
    KvStore fresh = new KvStore();
    KvStore existing = stores.putIfAbsent(name, fresh);
    return existing == null ? fresh : existing;
  }

  Entry get(String key) {
    Entry e = map.get(key);
    if (e != null && e.expired(System.currentTimeMillis())) {
      map.remove(key, e);
      return null;
    }
    return e;
  }

  void put(String key, Entry e) {
    map.put(key, e);
  }

  boolean remove(String key) {
    Entry e = map.remove(key);
    return e != null && !e.expired(System.currentTimeMillis());
  }

  /** Atomic read-modify-write; the function sees null for an absent or expired key. */
  Entry compute(String key, BiFunction<String, Entry, Entry> f) {
    long now = System.currentTimeMillis();
    return map.compute(key, (k, old) -> f.apply(k, old == null || old.expired(now) ? null : old));
  }

  int size() {
    return map.size();
  }

  void clear() {
    map.clear();
  }

  Iterable<String> keys() {
    return map.keySet();
  }

  /** Removes up to {@code budget} expired entries, resuming where the last sweep stopped. */
  synchronized void sweep(int budget) {
    long now = System.currentTimeMillis();
    for (int i = 0; i < budget; i++) {
      if (sweep == null || !sweep.hasNext()) {
        sweep = map.entrySet().iterator();
        if (!sweep.hasNext()) {
          return;
        }
      }
      Map.Entry<String, Entry> e = sweep.next();
      if (e.getValue().expired(now)) {
        map.remove(e.getKey(), e.getValue());
      }
    }
  }

  /**
   * A value as the store keeps it: an exact copy, since a request's Buffer may be a slice of the
   * connection's read buffer, and keeping the slice would keep the whole read in memory.
   */
  static Buffer kept(Buffer value) {
    return value.copy();
  }

  static Buffer str(Entry e) {
    return e == null ? null : (Buffer) e.value();
  }
}
