package dev.strata.config;

/**
 * Clustering across machines with Hazelcast.
 *
 * @param enabled join a cluster (also {@code --cluster} on the command line); default false
 * @param host    the address this member's event bus binds and announces; default 127.0.0.1
 * @param config  Hazelcast XML; default {@code conf/cluster.xml} (loopback, TCP/IP join)
 */
public record ClusterConfig(Boolean enabled, String host, String config) {

  public ClusterConfig {
    enabled = enabled != null && enabled;
    host = host == null ? "127.0.0.1" : host;
    config = config == null ? "conf/cluster.xml" : config;
  }

  public static ClusterConfig defaults() {
    return new ClusterConfig(null, null, null);
  }
}
