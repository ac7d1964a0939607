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

  ListenerStats(String name, ConnectionRegistry registry) {
    this.name = name;
    this.registry = registry;
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

  public long current() {
    return current.sum();
  }
}
