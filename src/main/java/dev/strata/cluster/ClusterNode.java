package dev.strata.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import dev.strata.config.ClusterConfig;
import dev.strata.exchange.MemberRoutes;
import dev.strata.exchange.PushRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a clustered Vert.x instance with the Hazelcast cluster manager. Listeners, applications and
 * push addresses then span members: a listener on one member reaches an application deployed on
 * another over the clustered event bus (Strata's local fast path applies only within a member).
 */
public final class ClusterNode {

  /** How many ports from {@code cluster.port} on are tried for a member listed without one. */
  static final int MEMBER_PORTS = 5;

  /** The member attribute that holds Vert.x's node id (HazelcastClusterManager's). */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private ClusterNode() {
  }

  /** Hazelcast configuration from an XML file, e.g. conf/cluster.xml. */
  public static Config hazelcastConfig(String file) {
    try {
      return new FileSystemXmlConfig(file);
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("cluster.config: " + file + " not found");
    } catch (RuntimeException e) { // Hazelcast's InvalidConfigurationException, with the parser's reason
      throw new IllegalArgumentException("cluster.config: " + file + " is not a valid Hazelcast configuration: "
          + e.getMessage(), e);
    }
  }

  /** The configuration of {@code cluster.config}, with {@code cluster.name} and {@code cluster.port} applied. */
  public static Config hazelcastConfig(ClusterConfig cluster) {
    Config c = hazelcastConfig(cluster.config());
    if (cluster.name() != null) {
      c.setClusterName(cluster.name());
    }
    if (cluster.port() != null) {
      NetworkConfig n = c.getNetworkConfig();
      // members listed without a port were meant for the XML's ports: look for them on ours (the first
      // MEMBER_PORTS of them; Hazelcast itself tries three), as host:port entries (it takes no port ranges)
      int ports = n.isPortAutoIncrement() ? Math.min(MEMBER_PORTS, Math.max(1, n.getPortCount())) : 1;
      n.setPort(cluster.port());
      TcpIpConfig tcp = n.getJoin().getTcpIpConfig();
      List<String> members = new ArrayList<>();
      for (String m : tcp.getMembers()) {
        if (m.contains(":")) {
          members.add(m);
        } else {
          for (int i = 0; i < ports; i++) {
            members.add(m + ":" + (cluster.port() + i));
          }
        }
      }
      tcp.setMembers(members);
    }
    return c;
  }

  /** A clustered Vert.x, its event bus on {@code cluster.host}. */
  public static Future<Vertx> start(VertxOptions options, ClusterConfig cluster, Config hazelcast) {
    options.getEventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host()).setPort(cluster.busPort());
    // Vert.x HA: deployments marked ha are redeployed on a survivor when their member dies
    options.setHAEnabled(true).setQuorumSize(cluster.quorum());
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast);
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered()
        .onSuccess(vertx -> {
          watchMembers(vertx, manager);
          // pushes from this member to connections other members hold (its own get theirs from the same interceptor)
          PushRoutes.of(vertx).install();
          MemberRoutes.of(vertx).linkPort(cluster.linkPort());
        });
  }

  /**
   * Tells the member routes when Hazelcast drops a member, so that requests in flight to it fail at once
   * (Vert.x's own node listener slot is taken by its HA manager; a Hazelcast listener is added beside it).
   */
  public static void watchMembers(Vertx vertx, HazelcastClusterManager manager) {
    manager.getHazelcastInstance().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        // Vert.x names members by an attribute of its own, not by Hazelcast's member UUID
        String id = event.getMember().getAttribute(VERTX_NODE_ID);
        MemberRoutes.of(vertx).memberLeft(id != null ? id : event.getMember().getUuid().toString());
      }
    });
  }
}
