package dev.strata.stream;

import java.util.concurrent.atomic.LongAdder;

/** Per-listener totals kept by the registry (current connections are counted from its entries). */
public final class ListenerStats {

  final String name;
  final ConnectionRegistry registry;
  final LongAdder accepted = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder current = new LongAdder();

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

  public long current() {
    return current.sum();
  }
}
