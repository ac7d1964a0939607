/**
 * Live operations: the admin HTTP server (JSON API, Prometheus {@code /metrics}, {@code /health}) and
 * the dashboard served from {@code webroot/}.
 *
 * <p>Shape: {@link dev.strata.admin.LiveStats} observes every exchange and connection (it is the
 * node's {@code ExchangeObserver} and a {@code RegistryListener}) and keeps per-listener latency
 * histograms and rates, lazily created per-connection rates, history and Strata's Micrometer meters.
 * {@code NodeAdmin}, a worker verticle, answers the {@code strata.admin.*} event-bus queries for the
 * connections this node holds and publishes {@code strata.events.*}; the HTTP handlers ask it through
 * {@code Fanout}, so a cluster mode can ask every member the same JSON queries and merge the answers.
 * Nothing here blocks an event loop: sorting and scraping run on worker threads.
 *
 * <p>May import: stream, exchange, server, config (and framing's exception type, which the
 * {@code ExchangeObserver} hands over). Nothing below may import it.
 *
 * <pre>{@code
 * ConnectionRegistry registry = new ConnectionRegistry();
 * LiveStats stats = LiveStats.create(config, registry, AdminMetrics.registry());
 * Strata strata = Strata.start(vertx, config, registry, stats).await();
 * AdminServer admin = AdminServer.start(vertx, strata, config.admin(), stats).await();
 * }</pre>
 */
package dev.strata.admin;
