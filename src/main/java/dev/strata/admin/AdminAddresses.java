package dev.strata.admin;

/**
 * Event-bus addresses of the admin layer. Queries ({@code strata.admin.*}) are answered by the node
 * that holds the connections, with JSON bodies, so a cluster can fan them out to every member and
 * merge the answers; events ({@code strata.events.*}) are published by every node.
 */
public final class AdminAddresses {

  /** Body {}: reply {node, listeners: [...]}. */
  public static final String LISTENERS = "strata.admin.listeners";
  /** Body {listener, limit}: reply {node, listener, total, senders: [...]} of a udp listener, or fail 404/400. */
  public static final String SENDERS = "strata.admin.senders";
  /** Body: a connection query (state, listener, sort, desc, offset, limit): reply {node, total, connections}. */
  public static final String CONNECTIONS = "strata.admin.connections";
  /** Body {id}: reply the connection's detail, or fail 404. */
  public static final String CONNECTION = "strata.admin.connection";
  /** Body {id, reason, actor}: closes the connection (audited), or fails 404. */
  public static final String CLOSE = "strata.admin.close";
  /** Body {id, frames}: starts (or joins) the frame tap of a connection: reply {tap, connection, frames}. */
  public static final String TAP_START = "strata.admin.tap.start";
  /** Body {id, tap}: stops that tap. */
  public static final String TAP_STOP = "strata.admin.tap.stop";
  /** Body {id, tap}: reply {frames} held by that tap, or fail 404. */
  public static final String TAP_FRAMES = "strata.admin.tap.frames";
  /** Body {listener}: stops accepting on that listener (audited). */
  public static final String DRAIN = "strata.admin.drain";
  /** Body {}: reply {node, points}: the last minutes of once-a-second points. */
  public static final String HISTORY = "strata.admin.history";
  /** Body {} or {name}: reply {node, connectors: [...]} (one connector, or fail 404, when a name is given). */
  public static final String CONNECTORS = "strata.admin.connectors";
  /** Body {}: reply this node's summary {node, startedAt, uptimeMs, listeners, applications, connections, heap...}. */
  public static final String NODE = "strata.admin.node";
  /** Body {}: reply {node, deployments: [...]}: the node's applications. */
  public static final String DEPLOYMENTS = "strata.admin.deployments";
  /** Body {name, verticle, instances, config, actor}: deploys on the node asked; reply the deployment. */
  public static final String DEPLOY = "strata.admin.deploy";
  /** Body {id, instances, actor}: scales a deployment of the node asked; reply the deployment. */
  public static final String SCALE = "strata.admin.scale";
  /** Body {id, actor}: undeploys a deployment of the node asked. */
  public static final String UNDEPLOY = "strata.admin.undeploy";
  /** Body {actor}: the node re-reads its configuration file and applies its listeners; reply what changed. */
  public static final String RELOAD = "strata.admin.reload";
  /** The cluster-wide map of the nodes whose admin answers: node id to {startedAt}. */
  public static final String NODE_DIRECTORY = "strata.admin.nodes";

  /** Body anything: reply "pong"; the health check's proof that the event bus answers. */
  public static final String PING = "strata.admin.ping";

  /** Each second: {node, t, point, listeners}. */
  public static final String EVENTS_STATS = "strata.events.stats";
  /** A connection opened: its summary. Published only while a dashboard listens. */
  public static final String EVENTS_OPENED = "strata.events.connection.opened";
  /** A connection closed: its summary with the close reason. Published only while a dashboard listens. */
  public static final String EVENTS_CLOSED = "strata.events.connection.closed";
  /** Prefix of a tapped connection's frames: {@code strata.events.tap.<id>} carries {id, frames}. */
  public static final String EVENTS_TAP_PREFIX = "strata.events.tap.";

  private AdminAddresses() {
  }

  /**
   * The address of one node's consumer of a query: every node answers {@code address} (whichever the
   * event bus picks) and {@code address@<node>} (that node only), so that a query can be put to each
   * member, and an action to the member that holds its connection.
   */
  public static String at(String address, String node) {
    return address + "@" + node;
  }
}
