package dev.strata.admin;

import dev.strata.config.AdminConfig;
import dev.strata.config.ConfigLoader;
import dev.strata.config.StrataConfig;
import dev.strata.server.Strata;
import dev.strata.stream.ConnectionRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A Strata node with its admin server on free ports, and a blocking HTTP client for it. */
final class AdminHarness implements AutoCloseable {

  static final String TOKEN = "test-token-1";

  final Vertx vertx;
  final Strata strata;
  final AdminServer admin;
  final String host;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private AdminHarness(Vertx vertx, Strata strata, AdminServer admin, String host) {
    this.vertx = vertx;
    this.strata = strata;
    this.admin = admin;
    this.host = host;
  }

  /** A Vert.x instance with Micrometer and Prometheus on, as {@code strata run} builds it. */
  static Vertx metricsVertx() {
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(AdminMetrics.vertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
  }

  static AdminHarness start(Vertx vertx, JsonObject node, String bindHost, String token) {
    return start(vertx, node, new AdminConfig(true, bindHost, 0, token));
  }

  static AdminHarness start(Vertx vertx, JsonObject node, AdminConfig admin) {
    return start(vertx, node, admin, null);
  }

  /**
   * With {@code adminContext}, the admin server is started on that context, so that its HTTP server is
   * served by that context's event loop (a test that blocks another loop on purpose needs to know).
   */
  static AdminHarness start(Vertx vertx, JsonObject node, AdminConfig admin, Context adminContext) {
    StrataConfig config = ConfigLoader.bind(node, Map.of(), Map.of());
    ConnectionRegistry registry = new ConnectionRegistry();
    LiveStats stats = LiveStats.create(config, registry, AdminMetrics.registry());
    Strata strata = Strata.start(vertx, config, registry, stats).await();
    AdminServer server;
    if (adminContext == null) {
      server = AdminServer.start(vertx, strata, admin, stats).await();
    } else {
      Promise<AdminServer> started = Promise.promise();
      adminContext.runOnContext(v -> AdminServer.start(vertx, strata, admin, stats).onComplete(started));
      server = started.future().await();
    }
    return new AdminHarness(vertx, strata, server, admin.host());
  }

  String base() {
    return "http://127.0.0.1:" + admin.port();
  }

  int port(String listener) {
    return strata.port(listener);
  }

  HttpResponse<String> request(String method, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path, String... headers) {
    return request("GET", path, headers);
  }

  JsonObject json(String path, String... headers) {
    HttpResponse<String> r = get(path, headers);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " -> " + r.statusCode() + " " + r.body());
    }
    return new JsonObject(r.body());
  }

  JsonObject listener(String name) {
    return json("/api/listeners").getJsonArray("listeners").stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("name").equals(name)).findFirst().orElseThrow();
  }

  static String[] bearer() {
    return new String[] {"Authorization", "Bearer " + TOKEN};
  }

  HttpClient http() {
    return http;
  }

  @Override
  public void close() {
    admin.stop().await();
    strata.stop().await();
  }
}
