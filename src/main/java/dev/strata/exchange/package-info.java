/**
 * Layer 3, request/response: each frame becomes a request to the listener's address; each reply is
 * written back in request order.
 *
 * <p>{@link dev.strata.exchange.PipelinedExchange} is the per-connection engine; a
 * {@link dev.strata.exchange.Protocol} maps one codec's frames to event-bus bodies and back;
 * {@link dev.strata.exchange.Endpoint} is how applications serve an address (an event-bus consumer
 * plus the local fast path). This is the only layer that knows the event bus.
 *
 * <p>May import: stream, framing, Vert.x core. Never: server, config, admin, cli, applications.
 *
 * <pre>{@code
 * new TcpListener(vertx, TcpListenerOptions.of("echo", "0.0.0.0", 7070), registry,
 *     conn -> PipelinedExchange.install(vertx, conn, LineCodec.create(), Protocols.LINES,
 *         ExchangeOptions.of("app.echo"))).start();
 * }</pre>
 */
package dev.strata.exchange;
