/**
 * Outbound connectors: an event-bus address ({@code svc.*}) in front of a remote TCP service. Each
 * configured connector is a pool of connections spread over the node's event loops
 * ({@link dev.strata.connector.ConnectorVerticle}, one instance per event loop), each a
 * {@link dev.strata.exchange.Client} over a {@link dev.strata.framing.FramedStream}, with reconnection
 * (backoff and jitter) and a circuit breaker ({@code vertx-circuit-breaker}).
 *
 * <p>Beside the exchange: may import stream, framing, exchange, Vert.x. Never server, config, admin,
 * cli or applications.
 *
 * <pre>{@code
 * vertx.deployVerticle(() -> new ConnectorVerticle(options, connectors, 2, 0), new DeploymentOptions());
 * Service.at(vertx, "svc.redis").request(ValueList.of("GET", "k"));
 * }</pre>
 */
package dev.strata.connector;
