package dev.strata.apps;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The keys WATCHed on one store, and the transactions watching each, as Redis keeps them: a write to
 * a key marks its watchers dirty, and their next EXEC aborts. The store calls {@link #touch} after each
 * change, only when {@link #any()} (one volatile read): while nobody watches, writes pay nothing more.
 *
 * <p>A key that merely expires is not touched (its expiry is checked at EXEC, see
 * {@link KvTransaction}); lazy removal of an expired entry is not a change.
 */
final class KvWatches {

  private final ConcurrentHashMap<KvKey, Set<KvTransaction>> byKey = new ConcurrentHashMap<>();
  /** How many (key, transaction) pairs are registered. */
  private final AtomicInteger pairs = new AtomicInteger();

  /** Whether any key is watched. */
  boolean any() {
    return pairs.get() != 0;
  }

  void add(KvKey key, KvTransaction tx) {
    pairs.incrementAndGet();
    byKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(tx);
  }

  void remove(KvKey key, KvTransaction tx) {
    byKey.computeIfPresent(key, (k, watchers) -> {
      watchers.remove(tx);
      return watchers.isEmpty() ? null : watchers;
    });
    pairs.decrementAndGet();
  }

  /** The key changed (a {@link KvKey} or a lookup view of one): its watchers' EXEC will abort. */
  void touch(Object key) {
    Set<KvTransaction> watchers = byKey.get(key);
    if (watchers != null) {
      for (KvTransaction tx : watchers) {
        tx.touched();
      }
    }
  }

  /** FLUSHDB: every watched key that holds a value ({@code live}) is touched, as Redis does. */
  void touchAll(Predicate<KvKey> live) {
    byKey.forEach((key, watchers) -> {
      if (live.test(key)) {
        watchers.forEach(KvTransaction::touched);
      }
    });
  }
}
