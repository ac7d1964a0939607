/**
 * Layer 1, byte streams: TCP and UDP listeners and the live registry of connections.
 *
 * <p>A {@link dev.strata.stream.TcpListener} binds a Vert.x {@code NetServer}, registers every
 * accepted socket as a {@link dev.strata.stream.Connection} (id, addresses, live counters) in the
 * {@link dev.strata.stream.ConnectionRegistry}, and hands it to a handler that the layer above
 * supplies. The entry leaves the registry when the socket closes, whatever the cause. A
 * {@link dev.strata.stream.UdpListener} does the same per remote address: each sender is a
 * {@link dev.strata.stream.UdpSender} registered as a pseudo-connection, bounded in number.
 *
 * <p>May import: Vert.x core. Never: framing, exchange, or the event bus.
 *
 * <pre>{@code
 * ConnectionRegistry registry = new ConnectionRegistry();
 * new TcpListener(vertx, TcpListenerOptions.of("echo", "127.0.0.1", 7070), registry,
 *     conn -> conn.socket().handler(conn.socket()::write)).start();
 * }</pre>
 */
package dev.strata.stream;
