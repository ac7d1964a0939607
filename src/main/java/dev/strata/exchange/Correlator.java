package dev.strata.exchange;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * The requests of one connection awaiting their answers, in either direction: a listener's requests
 * awaiting the application's replies, a connector's requests awaiting the remote's responses. Matched
 * in order ({@link Correlation#PIPELINED}) or by tag ({@link Correlation#MULTIPLEXED}). Every entry
 * leaves on its answer, at its deadline ({@link #expire}) or with all the others when the connection
 * goes ({@link #clear}): nothing waits forever. Not thread-safe: one connection's event loop.
 */
abstract class Correlator<E extends Correlator.Entry> implements Iterable<E> {

  /** A request as the correlator sees it. */
  interface Entry {
    /** The request's tag; null for pipelined requests. */
    Object tag();

    /** {@code System.nanoTime()} after which it is answered with a timeout. */
    long deadline();

    /** Whether it has its answer already. */
    boolean done();
  }

  static <E extends Entry> Correlator<E> of(Correlation correlation) {
    return correlation == Correlation.PIPELINED ? new Ordered<>() : new Tagged<>();
  }

  /** Adds a request; false (and nothing added) when its tag is already in flight. */
  abstract boolean add(E e);

  /** The eldest request, or null. */
  abstract E eldest();

  /** Removes and returns the eldest request (pipelined: the one the next answer belongs to). */
  abstract E pollEldest();

  /** Removes and returns the request with this tag, or null. */
  abstract E remove(Object tag);

  abstract int size();

  abstract void clear();

  boolean isEmpty() {
    return size() == 0;
  }

  /**
   * Hands every unanswered request past its deadline to {@code expired}; returns the earliest deadline
   * still pending, or {@link Long#MAX_VALUE} when none is.
   */
  long expire(long now, Consumer<E> expired) {
    long next = Long.MAX_VALUE;
    List<E> late = null;
    for (E e : this) {
      if (e.done()) {
        continue;
      }
      long d = e.deadline();
      if (d - now <= 0) {
        if (late == null) {
          late = new ArrayList<>();
        }
        late.add(e);
      } else if (next == Long.MAX_VALUE || d - next < 0) {
        next = d;
      }
    }
    if (late != null) {
      late.forEach(expired); // after the walk: answering may remove entries
    }
    return next;
  }

  private static final class Ordered<E extends Entry> extends Correlator<E> {
    private final ArrayDeque<E> queue = new ArrayDeque<>();

    @Override
    boolean add(E e) {
      queue.add(e);
      return true;
    }

    @Override
    E eldest() {
      return queue.peek();
    }

    @Override
    E pollEldest() {
      return queue.poll();
    }

    @Override
    E remove(Object tag) {
      throw new IllegalStateException("pipelined requests have no tags");
    }

    @Override
    int size() {
      return queue.size();
    }

    @Override
    void clear() {
      queue.clear();
    }

    @Override
    public Iterator<E> iterator() {
      return queue.iterator();
    }
  }

  private static final class Tagged<E extends Entry> extends Correlator<E> {
    private final LinkedHashMap<Object, E> byTag = new LinkedHashMap<>();

    @Override
    boolean add(E e) {
      return byTag.putIfAbsent(e.tag(), e) == null;
    }

    @Override
    E eldest() {
      Iterator<E> it = byTag.values().iterator();
      return it.hasNext() ? it.next() : null;
    }

    @Override
    E pollEldest() {
      Iterator<E> it = byTag.values().iterator();
      if (!it.hasNext()) {
        return null;
      }
      E e = it.next();
      it.remove();
      return e;
    }

    @Override
    E remove(Object tag) {
      return byTag.remove(tag);
    }

    @Override
    int size() {
      return byTag.size();
    }

    @Override
    void clear() {
      byTag.clear();
    }

    @Override
    public Iterator<E> iterator() {
      return byTag.values().iterator();
    }
  }
}
