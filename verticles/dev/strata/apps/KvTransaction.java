package dev.strata.apps;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection's transaction state, Redis's: the commands queued since MULTI, whether one was
 * refused while queuing (EXEC then answers EXECABORT), and the keys it WATCHes with whether one was
 * touched since.
 *
 * <p>A connection's own commands come one after the other (one instance, in order), but its close
 * event may arrive on another event loop meanwhile: every method is synchronized, and a closed
 * transaction keeps nothing and counts for nothing. {@code multis} counts the store's connections
 * between MULTI and EXEC: while it is 0, commands do not look their connection up at all.
 */
final class KvTransaction {

  /** Bytes counted per queued argument besides its length, for {@code maxQueuedBytes}. */
  static final int ARGUMENT_OVERHEAD = 16;

  private final KvWatches watches;
  private final AtomicInteger multis;
  private boolean multi;
  private boolean failed;
  private boolean closed;
  private List<List<Buffer>> queue = new ArrayList<>();
  private long queuedBytes;
  /** Watched keys and their expiry time when WATCHed (0: none, or absent). */
  private final Map<KvKey, Long> watched = new HashMap<>();
  private volatile boolean dirty;

  KvTransaction(KvWatches watches, AtomicInteger multis) {
    this.watches = watches;
    this.multis = multis;
  }

  synchronized boolean inMulti() {
    return multi;
  }

  /** MULTI; false when already in one. */
  synchronized boolean begin() {
    if (multi) {
      return false;
    }
    if (!closed) {
      multi = true;
      multis.incrementAndGet();
    }
    return true;
  }

  /**
   * Queues a copy of {@code args} (a request's Buffers may be slices of the connection's read buffer).
   * Returns false when the queue would pass {@code maxBytes}: the transaction is then refused. A
   * refused transaction keeps nothing: its EXEC aborts anyway.
   */
  synchronized boolean queue(List<Buffer> args, long maxBytes) {
    if (failed || closed) {
      return true;
    }
    long bytes = bytes(args);
    if (queuedBytes + bytes > maxBytes) {
      fail();
      return false;
    }
    List<Buffer> copy = new ArrayList<>(args.size());
    for (Buffer b : args) {
      copy.add(b.copy());
    }
    queue.add(copy);
    queuedBytes += bytes;
    return true;
  }

  /** What queuing {@code args} counts against {@code maxQueuedBytes}. */
  static long bytes(List<Buffer> args) {
    long bytes = 0;
    for (Buffer b : args) {
      bytes += b.length() + ARGUMENT_OVERHEAD;
    }
    return bytes;
  }

  synchronized long queuedBytes() {
    return queuedBytes;
  }

  /** A command was refused while queuing: EXEC will answer EXECABORT. */
  synchronized void fail() {
    failed = true;
    queue = new ArrayList<>();
    queuedBytes = 0;
  }

  synchronized boolean failed() {
    return failed;
  }

  /** Queued commands, -1 outside MULTI (CLIENT LIST's {@code multi=}). */
  synchronized int queued() {
    return multi ? queue.size() : -1;
  }

  synchronized int watching() {
    return watched.size();
  }

  /**
   * WATCH of one key: registered before its entry is read ({@code expireAt} is read after this), so that
   * a write either comes before the read or touches this transaction. False if already watched.
   */
  synchronized boolean watch(KvKey key) {
    if (closed || watched.containsKey(key)) {
      return false;
    }
    watches.add(key, this);
    watched.put(key, 0L);
    return true;
  }

  /** The expiry of a key just watched (0: none), for {@link #abortable}. */
  synchronized void watchedExpiry(KvKey key, long expireAt) {
    watched.replace(key, expireAt);
  }

  void touched() {
    dirty = true;
  }

  /**
   * Whether EXEC must abort for WATCH: a watched key was changed, or held a value with a time to live
   * that has passed since (as Redis 7 aborts when a watched key expired between WATCH and EXEC).
   */
  synchronized boolean abortable(long now) {
    if (dirty) {
      return true;
    }
    for (long expireAt : watched.values()) {
      if (expireAt != 0 && expireAt <= now) {
        return true;
      }
    }
    return false;
  }

  /** Ends MULTI (EXEC, DISCARD, RESET) and unwatches every key; returns the queue. */
  synchronized List<List<Buffer>> end() {
    List<List<Buffer>> q = queue;
    queue = new ArrayList<>();
    queuedBytes = 0;
    failed = false;
    if (multi) {
      multi = false;
      multis.decrementAndGet();
    }
    unwatchAll();
    return q;
  }

  /** UNWATCH. */
  synchronized void unwatchAll() {
    for (KvKey key : watched.keySet()) {
      watches.remove(key, this);
    }
    watched.clear();
    dirty = false;
  }

  /** The connection is gone: nothing stays behind, and nothing is kept from now on. */
  synchronized void close() {
    end();
    closed = true;
  }
}
