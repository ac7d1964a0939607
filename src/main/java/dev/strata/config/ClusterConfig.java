package dev.strata.config;

/**
 * Clustering across machines with Hazelcast.
 *
 * @param enabled join a cluster (also {@code --cluster} on the command line); default false
 * @param host    the address this member's event bus binds and announces; default 127.0.0.1
 * @param config  Hazelcast XML; default {@code conf/cluster.xml} (loopback, TCP/IP join)
 * @param name    the cluster's name, overriding the XML's {@code cluster-name}: members of different
 *                names never join (several clusters on one machine, or tests); default the XML's
 * @param port    the first Hazelcast port, overriding the XML's {@code port}; TCP/IP members the XML
 *                lists without a port are then looked for on this port and the four after it;
 *                default the XML's
 * @param quorum  Vert.x HA's quorum: applications marked {@code ha} are deployed (and redeployed after a
 *                member dies) only while at least this many members are up; default 1
 */
public record ClusterConfig(Boolean enabled, String host, String config, String name, Integer port, Integer quorum) {

  public ClusterConfig {
    enabled = enabled != null && enabled;
    host = host == null ? "127.0.0.1" : host;
    config = config == null ? "conf/cluster.xml" : config;
    ListenerConfig.require(name == null || !name.isBlank(), "name", "must not be blank");
    ListenerConfig.require(port == null || port > 0 && port < 65536, "port", port + " is out of range 1..65535");
    quorum = quorum == null ? 1 : quorum;
    ListenerConfig.require(quorum >= 1, "quorum", quorum + " must be >= 1");
  }

  public static ClusterConfig defaults() {
    return new ClusterConfig(null, null, null, null, null, null);
  }
}
