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
 * @param busPort the port of this member's clustered event bus on {@code host}; default 0, any free port
 *                (give one to open a firewall between machines for it)
 * @param linkPort the first port of this member's member-route links on {@code host}, one per event loop
 *                (linkPort, linkPort + 1, ...); default 0, free ports
 */
public record ClusterConfig(Boolean enabled, String host, String config, String name, Integer port, Integer quorum,
    Integer busPort, Integer linkPort) {

  public ClusterConfig {
    enabled = enabled != null && enabled;
    host = host == null ? "127.0.0.1" : host;
    config = config == null ? "conf/cluster.xml" : config;
    ListenerConfig.require(name == null || !name.isBlank(), "name", "must not be blank");
    ListenerConfig.require(port == null || port > 0 && port < 65536, "port", port + " is out of range 1..65535");
    quorum = quorum == null ? 1 : quorum;
    ListenerConfig.require(quorum >= 1, "quorum", quorum + " must be >= 1");
    busPort = busPort == null ? 0 : busPort;
    ListenerConfig.require(busPort >= 0 && busPort < 65536, "busPort", busPort + " is out of range 0..65535");
    linkPort = linkPort == null ? 0 : linkPort;
    ListenerConfig.require(linkPort >= 0 && linkPort < 65536, "linkPort", linkPort + " is out of range 0..65535");
  }

  /** As before the event-bus and link ports could be given: both any free port. */
  public ClusterConfig(Boolean enabled, String host, String config, String name, Integer port, Integer quorum) {
    this(enabled, host, config, name, port, quorum, null, null);
  }

  public static ClusterConfig defaults() {
    return new ClusterConfig(null, null, null, null, null, null);
  }
}
