package dev.strata.apps;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * The key-value data of one node, shared by every instance of {@link KvVerticle} (they run on
 * different event loops, hence concurrent maps; read-modify-write commands use {@code compute}).
 * Keys are {@link KvKey}s (bytes); values are byte strings ({@link Buffer}), lists ({@link ArrayDeque}
 * of Buffer) or hashes ({@link LinkedHashMap} of KvKey to Buffer). Expiry is lazy on access plus a
 * periodic sweep.
 *
 * <p>The keys are spread over {@value #SEGMENTS} maps by the top bits of their (mixed) hash, which is
 * what makes SCAN's guarantee cheap: a key stays in its segment for its whole life, so a cursor that
 * is a segment number, visiting whole segments, returns every key present for the whole iteration,
 * and none twice, whatever the maps do meanwhile (resizes included). A lookup costs one array index
 * more than with one map.
 *
 * <p>Transactions: every change goes through {@link #put}, {@link #remove}, {@link #compute} or
 * {@link #clear}, which tell the {@link KvWatches} (only while a key is watched); a command that changes
 * a list or hash in place says so with {@link #touched}. The node's {@link KvGate} lets EXEC run
 * alone.
 */
final class KvStore implements Shareable {

  /** A value and its expiry time in epoch millis (0 = none). Immutable except list and hash contents. */
  record Entry(Object value, long expireAt) {
    boolean expired(long now) {
      return expireAt != 0 && expireAt <= now;
    }
  }

  private static final int SEGMENT_BITS = 10;
  /** Number of segments, and the bound of SCAN cursors. */
  static final int SEGMENTS = 1 << SEGMENT_BITS;

  /** How long an EXEC waits for the store's event loops before it gives up. */
  static final long EXEC_TIMEOUT_MS = 5_000;

  private final ConcurrentHashMap<KvKey, Entry>[] segments;
  private final KvWatches watches = new KvWatches();
  private final KvGate gate;
  private int sweepSegment;
  private Iterator<Map.Entry<KvKey, Entry>> sweep;

  @SuppressWarnings("unchecked")
  KvStore(KvGate gate) {
    this.gate = gate;
    segments = new ConcurrentHashMap[SEGMENTS];
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new ConcurrentHashMap<>();
    }
  }

  static KvStore of(Vertx vertx, String name) {
    LocalMap<String, KvStore> stores = vertx.sharedData().getLocalMap("strata.apps.kv");
    KvStore fresh = new KvStore(KvGate.of(vertx, EXEC_TIMEOUT_MS));
    KvStore existing = stores.putIfAbsent(name, fresh);
    return existing == null ? fresh : existing;
  }

  KvWatches watches() {
    return watches;
  }

  KvGate gate() {
    return gate;
  }

  private ConcurrentHashMap<KvKey, Entry> segment(Object key) {
    return segments[(key.hashCode() * 0x9E3779B9) >>> (32 - SEGMENT_BITS)];
  }

  Entry get(Buffer key) {
    Object probe = KvKey.probe(key);
    ConcurrentHashMap<KvKey, Entry> m = segment(probe);
    Entry e = m.get(probe);
    if (e != null && e.expired(System.currentTimeMillis())) {
      m.remove(probe, e);
      return null;
    }
    return e;
  }

  void put(Buffer key, Entry e) {
    KvKey k = KvKey.of(key);
    segment(k).put(k, e);
    if (watches.any()) {
      watches.touch(k);
    }
  }

  boolean remove(Buffer key) {
    Object probe = KvKey.probe(key);
    Entry e = segment(probe).remove(probe);
    boolean removed = e != null && !e.expired(System.currentTimeMillis());
    if (removed && watches.any()) {
      watches.touch(probe);
    }
    return removed;
  }

  /**
   * Atomic read-modify-write; the function sees null for an absent or expired key. Returning another
   * entry than it was given is a change (for WATCH); a change made inside the given entry (a list or
   * hash) is not seen: call {@link #touched} too.
   */
  Entry compute(Buffer key, BiFunction<KvKey, Entry, Entry> f) {
    long now = System.currentTimeMillis();
    KvKey k = KvKey.of(key);
    if (!watches.any()) {
      return segment(k).compute(k, (kk, old) -> f.apply(kk, old == null || old.expired(now) ? null : old));
    }
    boolean[] changed = {false};
    Entry result = segment(k).compute(k, (kk, old) -> {
      Entry live = old == null || old.expired(now) ? null : old;
      Entry next = f.apply(kk, live);
      changed[0] = next != live;
      return next;
    });
    if (changed[0]) {
      watches.touch(k);
    }
    return result;
  }

  /** The list or hash at {@code key} was changed in place (see {@link #compute}). */
  void touched(Buffer key) {
    if (watches.any()) {
      watches.touch(KvKey.probe(key));
    }
  }

  /** Keys, expired ones not yet swept included (as Redis's DBSIZE counts them). */
  long size() {
    long n = 0;
    for (ConcurrentHashMap<KvKey, Entry> m : segments) {
      n += m.mappingCount();
    }
    return n;
  }

  void clear() {
    if (watches.any()) {
      long now = System.currentTimeMillis();
      watches.touchAll(k -> {
        Entry e = segment(k).get(k);
        return e != null && !e.expired(now);
      });
    }
    for (ConcurrentHashMap<KvKey, Entry> m : segments) {
      m.clear();
    }
  }

  /** Every live key and its entry, segment by segment. */
  void forEach(BiConsumer<KvKey, Entry> visit) {
    scan(0, Integer.MAX_VALUE, visit);
  }

  /**
   * SCAN's step: visits the live keys of whole segments from segment {@code cursor} on, until at least
   * {@code count} keys were looked at; returns the next cursor, 0 once the last segment is done.
   * A cursor at or past {@link #SEGMENTS} ends the iteration.
   */
  int scan(int cursor, int count, BiConsumer<KvKey, Entry> visit) {
    long now = System.currentTimeMillis();
    int seen = 0;
    int s = cursor;
    while (s < SEGMENTS && seen < count) {
      for (Map.Entry<KvKey, Entry> e : segments[s].entrySet()) {
        seen++;
        if (!e.getValue().expired(now)) {
          visit.accept(e.getKey(), e.getValue());
        }
      }
      s++;
    }
    return s >= SEGMENTS ? 0 : s;
  }

  /** Removes up to {@code budget} expired entries, resuming where the last sweep stopped. */
  synchronized void sweep(int budget) {
    long now = System.currentTimeMillis();
    int emptySegments = 0;
    for (int i = 0; i < budget && emptySegments <= SEGMENTS; ) {
      if (sweep == null || !sweep.hasNext()) {
        sweepSegment = (sweepSegment + 1) % SEGMENTS;
        sweep = segments[sweepSegment].entrySet().iterator();
        if (!sweep.hasNext()) {
          emptySegments++;
          continue;
        }
      }
      Map.Entry<KvKey, Entry> e = sweep.next();
      i++;
      if (e.getValue().expired(now)) {
        segments[sweepSegment].remove(e.getKey(), e.getValue());
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
}
