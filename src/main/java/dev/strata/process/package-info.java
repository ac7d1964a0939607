/**
 * Applications in other languages, run and supervised by Strata: one child process per instance
 * ({@link dev.strata.process.ProcessVerticle}), which answers the application's address through the
 * event-bus bridge. The verticle serves the address itself and forwards each request to its own
 * child's private address, so that a request reaches a process that is up, is counted against that
 * process, and fails at once with a clear message while the process is down.
 *
 * <p>May import the exchange ({@code Endpoint}) and Vert.x; nothing of the node above it (server,
 * config, admin, cli). The node hands it a {@link dev.strata.process.ProcessOptions}.
 *
 * <pre>{@code
 * ProcessGroup group = new ProcessGroup();
 * vertx.deployVerticle(() -> new ProcessVerticle(options, group), new DeploymentOptions().setInstances(2));
 * group.toJson(); // [{index, pid, state, restarts, requests, requestsPerSecond, ...}]
 * }</pre>
 *
 * Client libraries for the children: {@code verticles/strata.py}, {@code verticles/strata.mjs};
 * the guide: {@code docs/polyglot.md}.
 */
package dev.strata.process;
