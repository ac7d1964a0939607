package dev.strata.cli;

import dev.strata.admin.AdminMetrics;
import dev.strata.cluster.ClusterNode;
import dev.strata.config.ClusterConfig;
import dev.strata.config.StrataConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/** Builds the Vert.x instance of a node: standalone, or a member of a Hazelcast cluster. */
final class Nodes {

  private Nodes() {
  }

  /**
   * One event loop per core (Vert.x's default is two): with listeners and applications both at one
   * instance per core, every event loop then holds an instance of each, and the exchange's fast path
   * calls the application in place, with no thread hop. With the admin server on, Micrometer with
   * Prometheus: Vert.x's own net, event-bus and JVM meters, scraped at /metrics; without it, no
   * meters are kept at all.
   */
  static VertxOptions options(boolean metrics) {
    VertxOptions o = new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors());
    return metrics ? o.setMetricsOptions(AdminMetrics.vertxOptions()) : o;
  }

  static Vertx create(StrataConfig config, boolean forceCluster) {
    boolean metrics = config.admin().enabled();
    ClusterConfig cluster = config.cluster();
    if (!cluster.enabled() && !forceCluster) {
      return Vertx.builder().with(options(metrics)).build();
    }
    return ClusterNode.start(options(metrics), cluster, ClusterNode.hazelcastConfig(cluster)).await();
  }
}
