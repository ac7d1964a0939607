package dev.strata.admin;

import dev.strata.config.AdminConfig;
import dev.strata.server.Strata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/** The admin HTTP server: the JSON API over the connection registry. */
public final class AdminServer {

  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  public static Future<AdminServer> start(Vertx vertx, Strata strata, AdminConfig config) {
    Router router = Router.router(vertx);
    ConnectionsApi api = new ConnectionsApi(strata);
    router.get("/api/listeners").handler(api::listeners);
    router.get("/api/connections").handler(api::connections);
    router.get("/api/connections/:id").handler(api::connection);
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(config.port(), config.host())
        .map(AdminServer::new);
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> stop() {
    return server.close();
  }
}
