package dev.strata.admin;

import dev.strata.config.AdminConfig;
import dev.strata.server.Strata;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * The admin HTTP server: the dashboard ({@code /}), the JSON API ({@code /api}, see
 * docs/admin-api.md), Prometheus metrics ({@code /metrics}) and {@code /health}.
 *
 * <pre>{@code
 * ConnectionRegistry registry = new ConnectionRegistry();
 * LiveStats stats = LiveStats.create(config, registry, AdminMetrics.registry());
 * Strata strata = Strata.start(vertx, config, registry, stats).await();
 * AdminServer admin = AdminServer.start(vertx, strata, config.admin(), stats).await();
 * }</pre>
 */
public final class AdminServer {

  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

  private final Vertx vertx;
  private final HttpServer server;
  private final String deployment;
  private final LiveStats stats;
  private final AdminHealth health;

  private AdminServer(Vertx vertx, HttpServer server, String deployment, LiveStats stats, AdminHealth health) {
    this.vertx = vertx;
    this.server = server;
    this.deployment = deployment;
    this.stats = stats;
    this.health = health;
  }

  /** Starts without exchange observation: no latencies or request rates (prefer the other overload). */
  public static Future<AdminServer> start(Vertx vertx, Strata strata, AdminConfig config) {
    return start(vertx, strata, config,
        LiveStats.create(strata.config(), strata.registry(), AdminMetrics.registry()));
  }

  /** Starts the admin server over a node observed by {@code stats}; {@link #stop()} closes stats too. */
  public static Future<AdminServer> start(Vertx vertx, Strata strata, AdminConfig config, LiveStats stats) {
    AdminSecurity security = new AdminSecurity(config);
    stats.observe(strata.connectors());
    AdminHealth health = AdminHealth.create(vertx, strata, config.health());
    NodeAdmin node = new NodeAdmin(strata, stats, health.loops());
    return vertx.deployVerticle(node, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .compose(id -> vertx.createHttpServer()
            .requestHandler(router(vertx, node, security, health, AdminMetrics.registry()))
            .listen(config.port(), config.host())
            .map(server -> new AdminServer(vertx, server, id, stats, health))
            .recover(err -> vertx.undeploy(id).transform(v -> Future.failedFuture(new IllegalStateException(
                "admin server failed to bind " + config.host() + ":" + config.port() + ": " + err.getMessage(), err)))))
        .onFailure(err -> health.close());
  }

  private static Router router(Vertx vertx, NodeAdmin node, AdminSecurity security, AdminHealth health,
      PrometheusMeterRegistry prometheus) {
    Fanout fanout = new Fanout(vertx);
    AdminApi api = new AdminApi(fanout, security, node.node);
    EventStream events = new EventStream(vertx, fanout, node);
    Router router = Router.router(vertx);
    router.route().handler(security::sameOrigin);
    router.route().handler(rc -> {
      rc.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("X-Frame-Options", "DENY")
          .putHeader("Referrer-Policy", "no-referrer").putHeader("Content-Security-Policy", CSP);
      if (rc.request().path().startsWith("/api/")) {
        rc.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      }
      rc.next();
    });
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(health.checks()));
    router.route().handler(security::read);

    router.get("/api/auth").handler(api::auth);
    router.get("/api/listeners").handler(api::listeners);
    router.get("/api/listeners/:name/senders").handler(api::senders);
    router.post("/api/listeners/:name/drain").handler(security::mutate).handler(api::drain);
    router.post("/api/reload").handler(security::mutate).handler(api::reload);
    router.get("/api/connectors").handler(api::connectors);
    router.get("/api/connectors/:name").handler(api::connector);
    router.get("/api/connections").handler(api::connections);
    router.get("/api/connections/:id").handler(api::connection);
    router.delete("/api/connections/:id").handler(security::mutate).handler(api::close);
    router.post("/api/connections/:id/tap").handler(security::mutate).handler(api::tapStart);
    router.delete("/api/connections/:id/tap").handler(security::mutate).handler(api::tapStop);
    router.get("/api/connections/:id/tap/events").handler(events::tap);
    router.get("/api/history").handler(api::history);
    router.get("/api/nodes").handler(api::nodes);
    router.get("/api/deployments").handler(api::deployments);
    router.route("/api/deployments*").handler(io.vertx.ext.web.handler.BodyHandler.create().setBodyLimit(64 * 1024));
    router.post("/api/deployments").handler(security::mutate).handler(api::deploy);
    router.patch("/api/deployments/:id").handler(security::mutate).handler(api::scale);
    router.delete("/api/deployments/:id").handler(security::mutate).handler(api::undeploy);
    router.get("/api/events").handler(events::events);
    router.route("/api/*").handler(rc -> AdminSecurity.refuse(rc, 404, "no such endpoint: "
        + rc.request().method() + " " + rc.request().path() + " (see docs/admin-api.md)"));

    router.get("/metrics").handler(rc -> vertx.executeBlocking(prometheus::scrape, false).onComplete(ar -> {
      if (ar.succeeded()) {
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8").end(ar.result());
      } else {
        rc.fail(ar.cause());
      }
    }));
    router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false).setIndexPage("index.html"));
    router.errorHandler(500, rc -> AdminSecurity.refuse(rc, 500, "internal error: "
        + (rc.failure() == null ? "unknown" : rc.failure().getMessage())));
    return router;
  }

  public int port() {
    return server.actualPort();
  }

  /** Stops serving, stops sampling and removes Strata's meters. */
  public Future<Void> stop() {
    return server.close()
        .compose(v -> vertx.undeploy(deployment).recover(err -> Future.succeededFuture()))
        .onComplete(ar -> {
          stats.close();
          health.close();
        });
  }

  static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }
}
