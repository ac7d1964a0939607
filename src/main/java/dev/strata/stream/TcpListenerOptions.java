package dev.strata.stream;

import io.vertx.core.net.ServerSSLOptions;

/**
 * What the byte-stream layer needs to know of a listener.
 *
 * @param name           listener name, unique per node
 * @param host           interface to bind
 * @param port           TCP port, 0 for any free port
 * @param idleTimeoutMs  close a connection idle this many milliseconds; 0 = never
 * @param frameTimeoutMs close a connection whose frame, once begun, is not complete this many
 *                       milliseconds later (a slowloris client, whose trickle resets any idle timer); 0 = never
 * @param maxConnections refuse (close at once) connections beyond this many; counted per listener
 * @param maxConnectionsPerIp refuse connections from a remote address that already has this many open
 *                       on the listener; 0 = no limit
 * @param maxWriteQueue  bytes a connection's write queue holds before it counts as full (the layer above
 *                       then stops reading from it); 0 = Vert.x's default
 * @param tls            TLS (key, client auth, protocols, handshake timeout), or null for plaintext
 */
public record TcpListenerOptions(String name, String host, int port, long idleTimeoutMs, long frameTimeoutMs, int maxConnections,
    int maxConnectionsPerIp, int maxWriteQueue, ServerSSLOptions tls) {

  public TcpListenerOptions(String name, String host, int port, long idleTimeoutMs, long frameTimeoutMs,
      int maxConnections, int maxConnectionsPerIp, int maxWriteQueue) {
    this(name, host, port, idleTimeoutMs, frameTimeoutMs, maxConnections, maxConnectionsPerIp, maxWriteQueue, null);
  }

  public TcpListenerOptions {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " must be in 0..65535");
    }
    if (idleTimeoutMs < 0) {
      throw new IllegalArgumentException("idleTimeoutMs " + idleTimeoutMs + " must be >= 0");
    }
    if (frameTimeoutMs < 0) {
      throw new IllegalArgumentException("frameTimeoutMs " + frameTimeoutMs + " must be >= 0");
    }
    if (maxConnectionsPerIp < 0) {
      throw new IllegalArgumentException("maxConnectionsPerIp " + maxConnectionsPerIp + " must be >= 0");
    }
    if (maxConnections <= 0) {
      throw new IllegalArgumentException("maxConnections " + maxConnections + " must be > 0");
    }
    tls = tls == null ? null : tls.copy(); // reloads replace it on the server, never mutate this one
  }

  public static TcpListenerOptions of(String name, String host, int port) {
    return new TcpListenerOptions(name, host, port, 0, 0, 100_000, 0, 0);
  }
}
