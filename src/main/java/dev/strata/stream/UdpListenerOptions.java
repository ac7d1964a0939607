package dev.strata.stream;

/**
 * What the byte-stream layer needs to know of a UDP listener.
 *
 * @param name             listener name, unique per node
 * @param host             interface to bind
 * @param port             UDP port, 0 for any free port
 * @param idleTimeoutMs    forget a sender heard nothing from for this many milliseconds; 0 = never
 *                         (then only {@code maxSenders} bounds them)
 * @param maxSenders       senders tracked at once; a new one evicts the least recently heard
 * @param maxDatagramBytes the largest datagram sent; a larger write is dropped and counted
 */
public record UdpListenerOptions(String name, String host, int port, long idleTimeoutMs, int maxSenders,
    int maxDatagramBytes) {

  /**
   * The socket's receive buffer, which Vert.x also uses as the size each datagram is read into: at
   * least 64 KiB so that every datagram fits (Netty's default of 2048 would cut longer ones silently),
   * and more so that a burst is queued by the kernel rather than dropped (capped by net.core.rmem_max).
   */
  static final int RECEIVE_BUFFER = 256 * 1024;

  public UdpListenerOptions {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " must be in 0..65535");
    }
    if (idleTimeoutMs < 0) {
      throw new IllegalArgumentException("idleTimeoutMs " + idleTimeoutMs + " must be >= 0");
    }
    if (maxSenders <= 0) {
      throw new IllegalArgumentException("maxSenders " + maxSenders + " must be > 0");
    }
    if (maxDatagramBytes <= 0 || maxDatagramBytes > 65_507) {
      throw new IllegalArgumentException("maxDatagramBytes " + maxDatagramBytes + " must be in 1..65507");
    }
  }

  public static UdpListenerOptions of(String name, String host, int port) {
    return new UdpListenerOptions(name, host, port, 60_000, 10_000, 65_507);
  }
}
