package dev.strata.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;

/** Where the meters live: Vert.x's Prometheus registry when the node has one, else a private one. */
public final class AdminMetrics {

  private AdminMetrics() {
  }

  /**
   * Metrics options for the node's {@code Vertx}: Vert.x's own net, event-bus and JVM meters. Every
   * connection has its own push address ({@code strata.conn.<id>}); left alone, each would become its
   * own event-bus series (unbounded cardinality, and measured to cut pipelined throughput several
   * times over), so they are folded into one {@code strata.conn.*} series.
   */
  public static MicrometerMetricsOptions vertxOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .addLabelMatch(new Match()
            .setDomain(MetricsDomain.EVENT_BUS)
            .setLabel(Label.EB_ADDRESS.toString())
            .setType(MatchType.REGEX)
            .setValue("strata\\.conn\\..*")
            .setAlias("strata.conn.*"))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  /**
   * Vert.x's default registry if it is a Prometheus one (the node was built with
   * {@link #vertxOptions()}), else a fresh registry holding only Strata's meters.
   */
  public static PrometheusMeterRegistry registry() {
    MeterRegistry r = BackendRegistries.getDefaultNow();
    return r instanceof PrometheusMeterRegistry p ? p : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
