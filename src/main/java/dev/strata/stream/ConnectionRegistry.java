package dev.strata.stream;

import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every open connection of this node, by id, plus a bounded ring of summaries of recently closed ones
 * (never the connections themselves: those are released at close with their sockets and buffers).
 * Thread-safe: listeners on every event loop register into it; anyone may read it.
 */
public final class ConnectionRegistry {

  public static final int DEFAULT_CLOSED_RING = 256;

  /** Bits of a connection id below the node's number: 2^40 connections per node's life. */
  public static final int NODE_SHIFT = 40;

  private final AtomicLong ids = new AtomicLong();
  private volatile int node;
  private final Map<Long, Connection> open = new ConcurrentHashMap<>();
  private final Map<String, ListenerStats> listeners = new ConcurrentHashMap<>();
  private final ArrayDeque<ClosedConnection> closed = new ArrayDeque<>();
  private final PendingFrames pending = new PendingFrames();
  private final ShutdownTally shutdown = new ShutdownTally();
  private final int closedRing;
  private final java.util.List<RegistryListener> listenersOfChanges = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ConnectionRegistry() {
    this(DEFAULT_CLOSED_RING);
  }

  public ConnectionRegistry(int closedRing) {
    this.closedRing = closedRing;
  }

  /**
   * Registers a freshly accepted socket, or returns null (and closes it) when the listener already
   * holds {@code maxConnections}, or {@code maxConnectionsPerIp} from the peer's address. The entry is
   * removed when the socket closes.
   */
  Connection register(TcpListenerOptions o, NetSocket socket) {
    ListenerStats stats = stats(o.name());
    if (stats.current() >= o.maxConnections()) {
      stats.rejected.increment();
      socket.close();
      return null;
    }
    String ip = null;
    if (o.maxConnectionsPerIp() > 0) {
      ip = socket.remoteAddress() == null ? "?" : socket.remoteAddress().hostAddress();
      if (!stats.takeIp(ip, o.maxConnectionsPerIp())) {
        stats.rejectedPerIp.increment();
        socket.close();
        return null;
      }
    }
    Connection c = new Connection(((long) node << NODE_SHIFT) + ids.incrementAndGet(), stats, socket, o.idleTimeoutMs());
    c.perIp(ip);
    stats.accepted.increment();
    stats.current.increment();
    open.put(c.id(), c);
    for (RegistryListener l : listenersOfChanges) {
      l.opened(c);
    }
    socket.exceptionHandler(c::failed);
    socket.closeHandler(c); // the connection is its socket's close handler: no extra object per connection
    return c;
  }

  /**
   * Registers a new sender of a UDP listener as a pseudo-connection. Not bounded here: the listener
   * keeps at most {@code maxSenders}, evicting the least recently heard one first.
   */
  Connection registerSender(String listener, UdpSender sender, long idleTimeoutMs) {
    ListenerStats stats = stats(listener);
    Connection c = new Connection(((long) node << NODE_SHIFT) + ids.incrementAndGet(), stats, sender, idleTimeoutMs);
    stats.accepted.increment();
    stats.current.increment();
    open.put(c.id(), c);
    for (RegistryListener l : listenersOfChanges) {
      l.opened(c);
    }
    return c;
  }

  /** The socket of {@code c} closed: out of the open map, into the ring, listeners told. */
  void closed(Connection c, ListenerStats stats) {
    open.remove(c.id());
    stats.current.decrement();
    if (c.perIp() != null) {
      stats.releaseIp(c.perIp());
    }
    c.closed();
    stats.countClose(c.closeReason());
    ClosedConnection summary = c.summary();
    synchronized (closed) {
      if (closed.size() == closedRing) {
        closed.pollFirst();
      }
      closed.addLast(summary);
    }
    for (RegistryListener l : listenersOfChanges) {
      l.closed(c);
    }
  }

  public void addListener(RegistryListener listener) {
    listenersOfChanges.add(listener);
  }

  public void removeListener(RegistryListener listener) {
    listenersOfChanges.remove(listener);
  }

  public ListenerStats stats(String listener) {
    return listeners.computeIfAbsent(listener, k -> new ListenerStats(k, this));
  }

  public Connection get(long id) {
    return open.get(id);
  }

  public Collection<Connection> open() {
    return open.values();
  }

  public int size() {
    return open.size();
  }

  /**
   * The node's number in its cluster (unique among its members, 0 for a node on its own): connection
   * ids are {@code number << 40 | n}, so that no two members of a cluster give the same id (and push
   * address {@code strata.conn.<id>}). Set before the first connection.
   */
  public void node(int number) {
    if (number < 0 || number >= 1 << (63 - NODE_SHIFT)) {
      throw new IllegalArgumentException("node number " + number);
    }
    this.node = number;
  }

  public int node() {
    return node;
  }

  /** The node-wide budget for bytes held in unfinished frames. */
  public PendingFrames pendingFrames() {
    return pending;
  }

  /** What the graceful stop did to this node's connections. */
  public ShutdownTally shutdownTally() {
    return shutdown;
  }

  /** Summaries of recently closed connections, oldest first. */
  public List<ClosedConnection> recentlyClosed() {
    synchronized (closed) {
      return new ArrayList<>(closed);
    }
  }
}
