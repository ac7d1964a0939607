/**
 * The event-bus bridge: the wire protocol of the Vert.x TCP event-bus bridge (4-byte big-endian
 * length + UTF-8 JSON; {@code send}, {@code publish}, {@code register}, {@code unregister},
 * {@code ping} in, {@code message}, {@code err}, {@code pong} out), so that existing bridge clients in
 * Python, Go, C or Node, and any program that can write JSON to a socket, reach the event bus: call
 * an {@code app.*} address, or register for one and answer requests like a verticle.
 *
 * <p>Built on the lower layers: connections are {@code dev.strata.stream} connections (in the registry
 * and on the dashboard like any other), frames come through a {@code dev.strata.framing.FramedStream}
 * over the {@code json} codec, and requests go out through {@code dev.strata.exchange.Service#request}
 * (an application on this node is called without the event bus, as listeners call it). Unlike the Vert.x bridge it enforces a maximum frame size, answers an
 * unknown or malformed message with an {@code err} and keeps the connection, times out pending
 * replies, and bounds what one client can make the server hold ({@link dev.strata.bridge.BridgeRules}
 * limits, {@link dev.strata.bridge.Outbox} for a client that does not read).
 */
package dev.strata.bridge;
