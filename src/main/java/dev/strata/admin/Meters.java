package dev.strata.admin;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The meters Strata registered, so that they can be removed again: Vert.x shares one Micrometer
 * registry per name across every Vertx instance of the JVM, and a re-registered meter would keep
 * reading a stopped node.
 */
final class Meters {

  private final MeterRegistry registry;
  private final List<Meter> meters = new CopyOnWriteArrayList<>();

  Meters(MeterRegistry registry) {
    this.registry = registry;
  }

  MeterRegistry registry() {
    return registry;
  }

  <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  void removeAll() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
