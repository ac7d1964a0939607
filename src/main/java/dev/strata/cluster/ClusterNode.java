package dev.strata.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import dev.strata.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;

/**
 * Builds a clustered Vert.x instance with the Hazelcast cluster manager. Listeners, applications and
 * push addresses then span members: a listener on one member reaches an application deployed on
 * another over the clustered event bus (Strata's local fast path applies only within a member).
 */
public final class ClusterNode {

  private ClusterNode() {
  }

  /** Hazelcast configuration from an XML file, e.g. conf/cluster.xml. */
  public static Config hazelcastConfig(String file) {
    try {
      return new FileSystemXmlConfig(file);
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("cluster.config: " + file + " not found");
    }
  }

  /** A clustered Vert.x, its event bus on {@code cluster.host}. */
  public static Future<Vertx> start(VertxOptions options, ClusterConfig cluster, Config hazelcast) {
    options.getEventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host());
    return Vertx.builder().with(options).withClusterManager(new HazelcastClusterManager(hazelcast)).buildClustered();
  }
}
