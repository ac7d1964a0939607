package dev.strata.support;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;

/** Hazelcast configurations for in-process cluster members in tests. */
public final class TestClusters {

  private TestClusters() {
  }

  /**
   * A loopback-only member of {@code clusterName} whose members sit on {@code firstPort} and the next
   * port: give each test class its own name (a random UUID) and its own ports, so that no other test's
   * members can join it.
   */
  public static Config hazelcast(String clusterName, int firstPort) {
    Config c = new Config().setClusterName(clusterName);
    c.setProperty("hazelcast.logging.type", "jdk");
    c.setProperty("hazelcast.phone.home.enabled", "false");
    NetworkConfig n = c.getNetworkConfig().setPort(firstPort).setPortAutoIncrement(true).setPortCount(10);
    n.getJoin().getMulticastConfig().setEnabled(false);
    n.getJoin().getAutoDetectionConfig().setEnabled(false);
    n.getJoin().getTcpIpConfig().setEnabled(true)
        .addMember("127.0.0.1:" + firstPort).addMember("127.0.0.1:" + (firstPort + 1));
    n.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    // what Vert.x's default cluster.xml keeps: its subscriptions and node maps, with a backup
    c.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    c.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    c.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return c;
  }
}
