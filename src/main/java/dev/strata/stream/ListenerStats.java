package dev.strata.stream;

import java.util.concurrent.atomic.LongAdder;

/** Per-listener totals kept by the registry (current connections are counted from its entries). */
public final class ListenerStats {

  final String name;
  final ConnectionRegistry registry;
  final LongAdder accepted = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder current = new LongAdder();
  final LongAdder closedForMemory = new LongAdder();
  final LongAdder rejectedPerIp = new LongAdder();
  final LongAdder rateLimited = new LongAdder();
  /** UDP listeners only: datagrams received and sent, dropped, replies too large for one datagram. */
  final LongAdder datagramsIn = new LongAdder();
  final LongAdder datagramsOut = new LongAdder();
  final LongAdder datagramsDropped = new LongAdder();
  final LongAdder repliesOversized = new LongAdder();
  /** Open connections by remote address, kept only for a listener with {@code maxConnectionsPerIp}. */
  private final java.util.concurrent.ConcurrentHashMap<String, Integer> perIp = new java.util.concurrent.ConcurrentHashMap<>();
  private final LongAdder[] closedBy = new LongAdder[CloseReason.values().length];

  ListenerStats(String name, ConnectionRegistry registry) {
    this.name = name;
    this.registry = registry;
    for (int i = 0; i < closedBy.length; i++) {
      closedBy[i] = new LongAdder();
    }
  }

  public String name() {
    return name;
  }

  public long accepted() {
    return accepted.sum();
  }

  public long rejected() {
    return rejected.sum();
  }

  /** Connections closed because the node's budget for partial frames ran out. */
  public long closedForMemory() {
    return closedForMemory.sum();
  }

  /** Connections of this listener that closed for {@code reason}. */
  public long closed(CloseReason reason) {
    return closedBy[reason.ordinal()].sum();
  }

  void countClose(CloseReason reason) {
    closedBy[(reason == null ? CloseReason.CLIENT_CLOSED : reason).ordinal()].increment();
  }

  /** Requests refused by {@code rateLimit}. */
  public long rateLimited() {
    return rateLimited.sum();
  }

  /** Connections refused because their address already held {@code maxConnectionsPerIp}. */
  public long rejectedPerIp() {
    return rejectedPerIp.sum();
  }

  /** Counts one more connection from {@code ip}, unless it already has {@code max}. */
  boolean takeIp(String ip, int max) {
    boolean[] taken = {false};
    perIp.compute(ip, (k, n) -> {
      int now = n == null ? 0 : n;
      if (now >= max) {
        return n;
      }
      taken[0] = true;
      return now + 1;
    });
    return taken[0];
  }

  void releaseIp(String ip) {
    perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
  }

  public long datagramsIn() {
    return datagramsIn.sum();
  }

  public long datagramsOut() {
    return datagramsOut.sum();
  }

  /** Datagrams dropped unread: their sender had {@code maxInFlight} requests unanswered (UDP has no backpressure). */
  public long datagramsDropped() {
    return datagramsDropped.sum();
  }

  /** Replies that did not fit in {@code maxDatagramBytes} (each answered with an error instead). */
  public long repliesOversized() {
    return repliesOversized.sum();
  }

  public long current() {
    return current.sum();
  }
}
