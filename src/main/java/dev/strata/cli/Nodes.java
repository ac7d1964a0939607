package dev.strata.cli;

import dev.strata.admin.AdminMetrics;
import dev.strata.cluster.ClusterNode;
import dev.strata.config.ClusterConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** Builds the Vert.x instance of a node: standalone, or a member of a Hazelcast cluster. */
final class Nodes {

  private Nodes() {
  }

  /**
   * One event loop per core (Vert.x's default is two): with listeners and applications both at one
   * instance per core, every event loop then holds an instance of each, and the exchange's fast path
   * calls the application in place, with no thread hop. Micrometer with Prometheus: Vert.x's own net,
   * event-bus and JVM meters, scraped at /metrics.
   */
  static VertxOptions options() {
    return new VertxOptions()
        .setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())
        .setMetricsOptions(AdminMetrics.vertxOptions());
  }

  static Vertx create() {
    return Vertx.builder().with(options()).build();
  }

  static Vertx create(ClusterConfig cluster, boolean forceCluster) {
    if (!cluster.enabled() && !forceCluster) {
      return create();
    }
    return ClusterNode.start(options(), cluster, ClusterNode.hazelcastConfig(cluster.config())).await();
  }
}
