package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.config.AdminConfig;
import dev.strata.config.ConfigLoader;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Credentials, cross-site and Host checks, over real HTTP. */
class AdminSecurityTest {

  private static Vertx vertx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  @Test
  void onLoopbackReadsAreOpenButCrossSiteAndForeignHostsAreRefused() throws Exception {
    try (AdminHarness node = AdminHarness.start(vertx, TestNodes.defaultNode(), "127.0.0.1", AdminHarness.TOKEN)) {
      assertThat(node.get("/api/listeners").statusCode()).isEqualTo(200);
      assertThat(node.get("/api/listeners", "Origin", node.base()).statusCode()).isEqualTo(200);
      HttpResponse<String> hostile = node.get("/api/listeners", "Origin", "http://evil.example");
      assertThat(hostile.statusCode()).isEqualTo(403);
      assertThat(hostile.body()).contains("cross-site");
      assertThat(node.get("/api/events", "Sec-Fetch-Site", "cross-site").statusCode()).isEqualTo(403);
      assertThat(rawStatus(node.admin.port(), "evil.example")).isEqualTo(403);
      assertThat(rawStatus(node.admin.port(), "localhost:" + node.admin.port())).isEqualTo(200);
    }
  }

  @Test
  void theHostCheckAcceptsExactlyTheLoopbackNamesWithOrWithoutAPort() throws Exception {
    try (AdminHarness node = AdminHarness.start(vertx, TestNodes.defaultNode(), "127.0.0.1", AdminHarness.TOKEN)) {
      int port = node.admin.port();
      for (String host : List.of("localhost", "localhost:" + port, "LOCALHOST:" + port, "127.0.0.1",
          "127.0.0.1:" + port, "[::1]", "[::1]:" + port)) {
        assertThat(rawStatus(port, host)).as("Host: %s", host).isEqualTo(200);
      }
    }
  }

  @Test
  void theHostCheckRefusesNamesThatOnlyLookLikeLoopback() throws Exception {
    try (AdminHarness node = AdminHarness.start(vertx, TestNodes.defaultNode(), "127.0.0.1", AdminHarness.TOKEN)) {
      int port = node.admin.port();
      // each of these can be made to resolve to 127.0.0.1 by whoever owns the name: DNS rebinding
      for (String host : List.of("127.attacker.example", "127.attacker.example:" + port, "localhost.evil",
          "localhost.evil:" + port, "127.0.0.1.nip.io", "127.0.0.1.nip.io:" + port, "evil.localhost", "localhost.",
          "127.0.0.2", "0x7f000001", "2130706433", "[::1].evil", "strata.test")) {
        assertThat(rawStatus(port, host)).as("Host: %s", host).isIn(400, 403);
      }
      assertThat(rawStatus(port, "127.attacker.example")).isEqualTo(403);
    }
  }

  @Test
  void theHostCheckAcceptsConfiguredNamesAndTheirOrigin() throws Exception {
    AdminConfig config = new AdminConfig(true, "127.0.0.1", 0, AdminHarness.TOKEN, List.of("strata.test", "Ops.Internal"),
        null);
    try (AdminHarness node = AdminHarness.start(vertx, TestNodes.defaultNode(), config)) {
      int port = node.admin.port();
      assertThat(rawStatus(port, "strata.test")).isEqualTo(200);
      assertThat(rawStatus(port, "strata.test:" + port)).isEqualTo(200);
      assertThat(rawStatus(port, "ops.internal:" + port)).isEqualTo(200);
      assertThat(rawStatus(port, "localhost:" + port)).isEqualTo(200);
      assertThat(rawStatus(port, "strata.test.evil")).isEqualTo(403);
      assertThat(rawStatus(port, "127.attacker.example")).isEqualTo(403);
    }
  }

  @Test
  void allowedHostsAreNamesNotPatternsAndABadOneNamesItsKey() {
    assertThatThrownBy(() -> ConfigLoader.bind(new JsonObject().put("admin", new JsonObject()
        .put("allowedHosts", new JsonArray().add("ok.example").add("*.example"))), Map.of(), Map.of()))
        .hasMessageStartingWith("admin.allowedHosts[1]: '*.example' is not a host name");
    assertThatThrownBy(() -> new AdminConfig(true, null, 0, null, List.of("example:80"), null))
        .hasMessageContaining("allowedHosts[0]");
  }

  @Test
  void withoutAConfiguredTokenMutationsAreRefusedSayingHowToConfigureOne() {
    try (AdminHarness node = AdminHarness.start(vertx, TestNodes.defaultNode(), "127.0.0.1", null)) {
      HttpResponse<String> r = node.request("DELETE", "/api/connections/1", "Authorization", "Bearer anything");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("admin.token").contains("STRATA_ADMIN_TOKEN");
      assertThat(node.request("POST", "/api/connections/1/tap").statusCode()).isEqualTo(403);
      assertThat(node.get("/api/auth").body()).contains("\"tokenConfigured\" : false");
    }
  }

  @Test
  void offLoopbackReadsNeedCredentialsBearerOrBasic() {
    try (AdminHarness node = AdminHarness.start(vertx, TestNodes.defaultNode(), "0.0.0.0", AdminHarness.TOKEN)) {
      HttpResponse<String> anon = node.get("/api/connections");
      assertThat(anon.statusCode()).isEqualTo(401);
      assertThat(anon.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
      assertThat(node.get("/metrics").statusCode()).isEqualTo(401);
      assertThat(node.get("/").statusCode()).isEqualTo(401);
      assertThat(node.get("/api/connections", AdminHarness.bearer()).statusCode()).isEqualTo(200);
      String basic = Base64.getEncoder().encodeToString(("ops:" + AdminHarness.TOKEN).getBytes(StandardCharsets.UTF_8));
      assertThat(node.get("/api/connections", "Authorization", "Basic " + basic).statusCode()).isEqualTo(200);
      String wrong = Base64.getEncoder().encodeToString("ops:guess".getBytes(StandardCharsets.UTF_8));
      assertThat(node.get("/api/connections", "Authorization", "Basic " + wrong).statusCode()).isEqualTo(401);
      assertThat(node.get("/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void tokenComesFromTheEnvironmentWhenNotConfigured() {
    AdminSecurity fromEnv = new AdminSecurity(new AdminConfig(true, "127.0.0.1", 0, null), "from-env");
    assertThat(fromEnv.tokenConfigured()).isTrue();
    AdminSecurity configured = new AdminSecurity(new AdminConfig(true, "127.0.0.1", 0, "from-file"), "from-env");
    assertThat(configured.tokenConfigured()).isTrue();
    assertThat(new AdminSecurity(new AdminConfig(true, "127.0.0.1", 0, null), null).tokenConfigured()).isFalse();
    assertThat(AdminSecurity.isLoopback("127.0.0.1")).isTrue();
    assertThat(AdminSecurity.isLoopback("::1")).isTrue();
    assertThat(AdminSecurity.isLoopback("0.0.0.0")).isFalse();
    assertThat(AdminSecurity.isLoopback("example.org")).isFalse();
    assertThat(AdminSecurity.isLoopback("localhost")).isTrue();
    assertThat(AdminSecurity.isLoopback("127.0.0.2")).isTrue();
    assertThat(AdminSecurity.isLoopback("[::1]")).isTrue();
    assertThat(AdminSecurity.isLoopback("127.attacker.example")).as("a bind name is not loopback by its prefix")
        .isFalse();
  }

  /** The status of a GET with a Host header of our choosing (java.net.http will not send one). */
  private static int rawStatus(int port, String host) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /api/listeners HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }
}
