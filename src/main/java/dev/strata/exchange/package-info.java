/**
 * Layer 3, request/response, in both directions. Inbound, each frame of a listener's connection
 * becomes a request to the listener's address and each reply is written back, in request order or by
 * tag; outbound, a {@link dev.strata.exchange.Client} (and the connectors built on it) turns requests
 * into frames on a remote connection and matches the responses.
 *
 * <p>{@link dev.strata.exchange.ServerExchange} is the per-connection engine of a listener: a
 * {@link dev.strata.framing.FramedStream}, a {@link dev.strata.exchange.Correlator} and a
 * {@link dev.strata.exchange.Dispatcher}. A {@link dev.strata.exchange.Protocol} maps one codec's
 * frames to event-bus bodies and back; {@link dev.strata.exchange.Endpoint} is how applications serve
 * an address, with one contract on every path (its class documentation). This is the only layer that
 * knows the event bus. In a cluster, {@link dev.strata.exchange.MemberRoutes} carries a read's requests
 * to the member that serves the address, and {@link dev.strata.exchange.PushRoutes} carries a push to the
 * member that holds the connection (push consumers are local to their member).
 *
 * <p>May import: stream, framing, Vert.x core. Never: server, config, admin, cli, applications.
 *
 * <pre>{@code
 * new TcpListener(vertx, TcpListenerOptions.of("echo", "0.0.0.0", 7070), registry,
 *     ExchangeSetup.create(vertx, LineCodec.create(), Protocols.LINES, ExchangeOptions.of("app.echo"),
 *         ExchangeObserver.NONE)).start();
 * }</pre>
 */
package dev.strata.exchange;
