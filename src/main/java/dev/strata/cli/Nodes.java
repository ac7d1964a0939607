package dev.strata.cli;

import dev.strata.admin.AdminMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** Builds the Vert.x instance of a node. */
final class Nodes {

  private Nodes() {
  }

  static Vertx create() {
    // Micrometer with Prometheus: Vert.x's own net, event-bus and JVM meters, scraped at /metrics.
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(AdminMetrics.vertxOptions()))
        .build();
  }
}
