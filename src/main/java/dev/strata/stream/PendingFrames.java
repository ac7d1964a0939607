package dev.strata.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's budget for bytes held in unfinished frames, across every connection.
 *
 * <p>Each connection reports what its decoder holds after every read ({@link Connection#held}); a
 * connection whose frames complete within a read reports nothing, so the shared counter is touched
 * only by connections with a frame cut across reads. When the total goes over the limit, the
 * connections holding the most are closed with {@link CloseReason#MEMORY} until what remains fits in
 * {@value #AFTER_SHED_PERCENT}% of it: one client's partial frame never costs another client its
 * connection while a larger holder exists, and a connection whose frames are small (a canary doing
 * round trips) holds nothing and is never chosen. A decoder that allocates a frame's announced size
 * up front reports that size, so a header announcing a large body counts before the body arrives.
 */
public final class PendingFrames {

  static final int AFTER_SHED_PERCENT = 90;

  private final AtomicLong total = new AtomicLong();
  private final Set<Connection> holders = ConcurrentHashMap.newKeySet();
  private final LongAdder shed = new LongAdder();
  private volatile long limit = Long.MAX_VALUE;

  /** The most bytes all unfinished frames of the node may hold together. */
  public void limit(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("limit " + bytes + " must be > 0");
    }
    this.limit = bytes;
  }

  public long limit() {
    return limit;
  }

  /** The connections holding an unfinished frame now (a live view). */
  public java.util.Collection<Connection> holders() {
    return java.util.Collections.unmodifiableSet(holders);
  }

  /** Bytes held now in unfinished frames. */
  public long total() {
    return total.get();
  }

  /** Connections closed so far because the budget ran out. */
  public long shed() {
    return shed.sum();
  }

  /** {@code c} now holds {@code now} bytes instead of {@code before}; called on its event loop. */
  void change(Connection c, int before, int now) {
    if (before == 0) {
      holders.add(c);
    } else if (now == 0) {
      holders.remove(c);
    }
    long t = total.addAndGet((long) now - before);
    if (now > before && t > limit) {
      closeLargest();
    }
  }

  /** Closes the largest holders until what the others hold fits; closes run on their own loops. */
  private synchronized void closeLargest() {
    long keep = limit / 100 * AFTER_SHED_PERCENT;
    List<Holder> candidates = new ArrayList<>();
    long t = 0;
    for (Connection c : holders) {
      int h = c.held(); // a snapshot: other loops keep changing theirs while we sort
      if (h > 0 && !c.memoryClosing()) {
        candidates.add(new Holder(c, h));
        t += h;
      }
    }
    if (t <= limit) {
      return; // the bytes over the limit belong to connections already closing
    }
    candidates.sort((a, b) -> Integer.compare(b.bytes, a.bytes));
    for (Holder h : candidates) {
      if (t <= keep) {
        break;
      }
      t -= h.bytes;
      shed.increment();
      h.connection.closeForMemory();
    }
  }

  private record Holder(Connection connection, int bytes) {
  }
}
