package dev.strata.apps;

import dev.strata.apps.KvCommands.KvError;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Supplier;

/**
 * What makes EXEC run alone, with respect to every other client of the store, without a cost to
 * ordinary commands while no EXEC runs.
 *
 * <p>Commands run concurrently on the event loops of the store's {@link KvVerticle} instances (the
 * maps are concurrent; each command is atomic on its key). An EXEC must see and leave the store as if
 * nothing else ran meanwhile. A lock taken by every command would do it, at the price of a shared
 * write (the lock's counter) per command, on every core; instead:
 *
 * <ul>
 *   <li>While no EXEC waits or runs ({@link #engaged()} false: one volatile read), commands take no lock.
 *   <li>An EXEC first makes the gate engaged, so that commands from then on take the lock, shared.
 *       Commands that read "not engaged" just before may still be running: the EXEC waits for a
 *       <em>grace period</em>, until every event loop of the store has run a task posted after that
 *       moment (so it finished whatever command it was in), or is itself blocked in an EXEC (so it is
 *       in none). Its own loop is in none: it runs the EXEC.
 *   <li>Then it takes the lock exclusively, runs, releases; the last EXEC out disengages the gate.
 * </ul>
 *
 * <p>An EXEC therefore blocks its event loop for a grace period (a task's turn on each other loop:
 * microseconds when they are idle, the length of their current task when busy) plus the transaction
 * itself; concurrent EXECs share one grace period and take the lock in turn. Commands of other
 * connections block on the lock while a transaction runs, as Redis's single thread would make them
 * wait. A loop that does not answer within {@code timeoutMs} fails the EXEC (a stuck node).
 *
 * <p>Every thread that runs commands must be {@link #attach attached}: the instances attach their
 * event-loop contexts in {@code start()} (the kv application runs on event loops only). There is one
 * gate per node, shared by all its stores: with a gate per store, an EXEC on one store waiting for a
 * loop blocked in an EXEC on another, which waits for the first loop, would never end.
 */
final class KvGate implements Shareable {

  private final StampedLock lock = new StampedLock();
  private final long timeoutMs;
  /** The contexts that run commands, with their event-loop threads. */
  private final Map<Context, Thread> contexts = new ConcurrentHashMap<>();
  /** EXECs waiting or running: while above 0, commands take the lock. Written under {@code this}. */
  private volatile int exclusives;
  /** The grace period of the EXECs now waiting or running; null when there are none. Guarded by {@code this}. */
  private Grace grace;
  /** Threads inside {@link #exclusive}: in no command. Guarded by {@code this}. */
  private final Set<Thread> parked = new HashSet<>();

  /** The event loops that have not yet run the grace period's task. Guarded by the gate. */
  private static final class Grace {
    final Set<Thread> pending = new HashSet<>();
  }

  KvGate(long timeoutMs) {
    this.timeoutMs = timeoutMs;
  }

  /** The node's gate. */
  static KvGate of(Vertx vertx, long timeoutMs) {
    LocalMap<String, KvGate> gates = vertx.sharedData().getLocalMap("strata.apps.kv.gate");
    KvGate fresh = new KvGate(timeoutMs);
    KvGate existing = gates.putIfAbsent("gate", fresh);
    return existing == null ? fresh : existing;
  }

  /** A context that runs commands on this store, on event-loop thread {@code thread}. */
  void attach(Context context, Thread thread) {
    contexts.put(context, thread);
  }

  void detach(Context context) {
    contexts.remove(context);
  }

  /** Whether commands must take the lock: an EXEC waits or runs. */
  boolean engaged() {
    return exclusives != 0;
  }

  /** Runs an ordinary command holding the lock shared (call it only when {@link #engaged()}). */
  <T> T shared(Supplier<T> command) {
    long stamp = lock.readLock();
    try {
      return command.get();
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /**
   * Runs {@code work} alone: after the grace period, holding the lock exclusively. Blocks the calling
   * event loop meanwhile.
   *
   * @throws KvError when the store's event loops do not all answer within the timeout
   */
  <T> T exclusive(Supplier<T> work) {
    Thread me = Thread.currentThread();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    Grace g;
    synchronized (this) {
      if (exclusives == 0) {
        grace = startGrace();
      }
      exclusives++;
      g = grace;
      parked.add(me);
      notifyAll(); // an EXEC waiting for this loop may go on: it is in no command
    }
    try {
      awaitQuiescence(g, deadline);
      long stamp;
      try {
        stamp = lock.tryWriteLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stamp = 0;
      }
      if (stamp == 0) {
        throw timeout();
      }
      try {
        return work.get();
      } finally {
        lock.unlockWrite(stamp);
      }
    } finally {
      synchronized (this) {
        parked.remove(me);
        if (--exclusives == 0) {
          grace = null;
        }
      }
    }
  }

  /** Posts the grace period's task to one context of each event loop; called under {@code this}. */
  private Grace startGrace() {
    Grace g = new Grace();
    Map<Thread, Context> loops = new HashMap<>();
    contexts.forEach((context, thread) -> loops.putIfAbsent(thread, context));
    g.pending.addAll(loops.keySet());
    loops.forEach((thread, context) -> context.runOnContext(v -> passed(g, thread)));
    return g;
  }

  private synchronized void passed(Grace g, Thread thread) {
    g.pending.remove(thread);
    notifyAll();
  }

  private synchronized void awaitQuiescence(Grace g, long deadline) {
    while (!parked.containsAll(g.pending)) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw timeout();
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw timeout();
      }
    }
  }

  private KvError timeout() {
    return new KvError("ERR EXEC not run: the store's event loops did not all answer within " + timeoutMs + " ms");
  }
}
