package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.config.AdminConfig;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
