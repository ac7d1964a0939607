package dev.strata.stream;

import io.vertx.core.net.SocketAddress;

/**
 * What the registry keeps of a connection once it has closed: identity, counters, reason and times.
 * A few hundred bytes; the socket, the decoder and any buffer of a partial frame are not reachable
 * from it, so a hostile client that opens, half-sends and closes cannot pin memory through the
 * recently-closed ring.
 */
public record ClosedConnection(long id, String listener, SocketAddress remoteAddress, SocketAddress localAddress,
    long openedAt, long closedAt, long bytesIn, long bytesOut, long framesIn, long framesOut, int peakInFlight,
    CloseReason closeReason) {
}
