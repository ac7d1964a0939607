package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cli.Main;
import dev.strata.config.AdminConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Deploy, list, scale and undeploy applications at run time: the admin API and the CLI. */
class AdminDeploymentsTest {

  private static Vertx vertx;
  private static AdminHarness node;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    node = AdminHarness.start(vertx, new JsonObject()
        .put("listeners", new JsonArray())
        .put("apps", new JsonArray().add(new JsonObject().put("name", "echo").put("verticle", "dev.strata.apps.EchoVerticle"))),
        new AdminConfig(true, "127.0.0.1", 0, AdminHarness.TOKEN));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private HttpResponse<String> send(String method, String path, JsonObject body, boolean token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.base() + path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("Content-Type", "application/json");
    if (token) {
      b.header("Authorization", "Bearer " + AdminHarness.TOKEN);
    }
    return node.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Object ask(String address) {
    try {
      return vertx.eventBus().request(address, "x").await().body();
    } catch (ReplyException e) {
      return e.failureType();
    }
  }

  @Test
  void anApplicationIsDeployedScaledAndUndeployedThroughTheApi() throws Exception {
    String self = node.strata.nodeId();
    JsonArray listed = node.json("/api/deployments").getJsonArray("deployments");
    assertThat(listed.stream().map(o -> ((JsonObject) o).getString("id"))).containsExactly(self + "-echo");

    JsonObject deploy = new JsonObject().put("verticle", "dev.strata.apps.EchoVerticle").put("name", "dyn")
        .put("instances", 2).put("config", new JsonObject().put("address", "app.dyn"));
    assertThat(send("POST", "/api/deployments", deploy, false).statusCode()).as("without the token").isEqualTo(401);
    HttpResponse<String> created = send("POST", "/api/deployments", deploy, true);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(new JsonObject(created.body()).getString("id")).isEqualTo(self + "-dyn");
    assertThat(ask("app.dyn")).isEqualTo("x");
    assertThat(send("POST", "/api/deployments", deploy, true).statusCode()).as("the same name again").isEqualTo(409);
    HttpResponse<String> bad = send("POST", "/api/deployments", new JsonObject().put("verticle", "no.such.Verticle"), true);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("class no.such.Verticle not found");

    HttpResponse<String> scaled = send("PATCH", "/api/deployments/" + self + "-dyn", new JsonObject().put("instances", 3), true);
    assertThat(scaled.statusCode()).as(scaled.body()).isEqualTo(200);
    assertThat(new JsonObject(scaled.body()).getInteger("instances")).isEqualTo(3);
    assertThat(ask("app.dyn")).isEqualTo("x");
    assertThat(node.json("/api/nodes").getJsonArray("nodes").getJsonObject(0).getJsonArray("applications"))
        .containsExactly("echo", "dyn");

    assertThat(send("DELETE", "/api/deployments/" + self + "-dyn", null, true).statusCode()).isEqualTo(200);
    assertThat(ask("app.dyn")).isEqualTo(ReplyFailure.NO_HANDLERS);
    assertThat(send("DELETE", "/api/deployments/" + self + "-dyn", null, true).statusCode()).isEqualTo(404);
  }

  @Test
  void theCommandLineDoesTheSame() {
    String admin = node.base();
    String self = node.strata.nodeId();
    CommandLine cli = new CommandLine(new Main());
    assertThat(cli.execute("deploy", "dev.strata.apps.EchoVerticle", "--name", "cli", "--instances", "1",
        "--config", "{\"address\":\"app.cli\"}", "--admin", admin, "--token", AdminHarness.TOKEN)).isZero();
    assertThat(ask("app.cli")).isEqualTo("x");
    assertThat(cli.execute("deployments", "--admin", admin)).isZero();
    assertThat(cli.execute("scale", self + "-cli", "2", "--admin", admin, "--token", AdminHarness.TOKEN)).isZero();
    assertThat(node.json("/api/deployments").getJsonArray("deployments").stream()
        .filter(o -> ((JsonObject) o).getString("id").equals(self + "-cli")).findFirst().orElseThrow())
        .satisfies(d -> assertThat(((JsonObject) d).getInteger("instances")).isEqualTo(2));
    assertThat(cli.execute("undeploy", self + "-cli", "--admin", admin, "--token", "wrong")).isEqualTo(1);
    assertThat(cli.execute("undeploy", self + "-cli", "--admin", admin, "--token", AdminHarness.TOKEN)).isZero();
    assertThat(ask("app.cli")).isEqualTo(ReplyFailure.NO_HANDLERS);
  }
}
