package dev.strata.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.config.AdminConfig;
import dev.strata.config.ConfigLoader;
import dev.strata.exchange.Headers;
import dev.strata.support.LineClient;
import dev.strata.support.LogCapture;
import dev.strata.support.SClient;
import dev.strata.support.TestCerts;
import dev.strata.support.TestNodes;
import dev.strata.support.TlsClients;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin server over https (a Vert.x HttpClient trusting the test CA), TLS details of connections on
 * {@code /api/connections}, and certificate reload without restart: {@code POST /api/tls/reload} and the
 * periodic file check; a bad new file changes nothing.
 */
@ExtendWith(VertxExtension.class)
class TlsAdminTest {

  @TempDir
  static Path certDir;
  static TestCerts certs;

  @TempDir
  Path live;
  private AdminHarness node;
  private HttpClient https;

  @BeforeAll
  static void makeCertificates() {
    certs = TestCerts.standard(certDir).pkcs12("alice", "pw")
        .server("renewed", "/CN=localhost/O=Strata Renewed", "localhost", "ca");
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** The files a listener and admin serve, copied where the test can replace them. */
  private JsonObject liveTls(String reloadCheck) throws Exception {
    Files.copy(certs.cert("server"), live.resolve("server.pem"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(certs.key("server"), live.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
    return new JsonObject()
        .put("certs", new JsonArray().add(new JsonObject().put("cert", live.resolve("server.pem").toString())
            .put("key", live.resolve("server.key").toString())))
        .put("clientAuth", "requested").put("trustedCas", new JsonArray().add(certs.cert("ca").toString()))
        .put("reloadCheck", reloadCheck);
  }

  private void start(Vertx vertx, JsonObject tls) {
    vertx.eventBus().<Object>consumer("app.who", m -> m.reply(m.headers().get(Headers.PEER_SUBJECT) + "|" + m.body()))
        .completion().await();
    JsonObject raw = new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("who", "lines", "app.who").put("tls", tls)))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("token", AdminHarness.TOKEN)
            .put("tls", tls.copy().put("clientAuth", "none")));
    AdminConfig admin = ConfigLoader.bind(raw, Map.of(), Map.of()).admin();
    node = AdminHarness.start(vertx, raw, admin);
    https = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(certs.cert("ca").toString())));
  }

  private JsonObject call(HttpMethod method, String path, int status, String... headers) throws Exception {
    RequestOptions o = new RequestOptions().setMethod(method).setHost("localhost").setPort(node.admin.port())
        .setURI(path);
    for (int i = 0; i < headers.length; i += 2) {
      o.putHeader(headers[i], headers[i + 1]);
    }
    // the body is asked for in the callback: asked for later, from this thread, it may have gone by
    Map.Entry<Integer, String> r = https.request(o).compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> Map.entry(resp.statusCode(), b.toString())))
        .await(10, TimeUnit.SECONDS);
    assertThat(r.getKey()).as(method + " " + path + ": " + r.getValue()).isEqualTo(status);
    return new JsonObject(r.getValue());
  }

  private String subjectServed(int port) {
    try (SClient s = SClient.connect(port, "-servername", "localhost")) {
      String out = s.awaitOutput("Verify return code");
      int at = out.indexOf("subject=");
      return out.substring(at, out.indexOf('\n', at));
    }
  }

  @Test
  void adminServesHttpsAndShowsEachConnectionsTlsSession(Vertx vertx) throws Exception {
    start(vertx, liveTls("0s"));
    SSLContext alice = TlsClients.context(certs.cert("ca"), certs.p12("alice"), "pw");
    try (LineClient c = new LineClient(TlsClients.connect(alice, node.port("who"), "localhost"))) {
      assertThat(c.request("hi")).isEqualTo("CN=alice,O=Strata Tests|hi");
      JsonObject conn = call(HttpMethod.GET, "/api/connections", 200).getJsonArray("connections").getJsonObject(0);
      assertThat(conn.getJsonObject("tls").getString("protocol")).isEqualTo("TLSv1.3");
      assertThat(conn.getJsonObject("tls").getString("cipher")).startsWith("TLS_");
      assertThat(conn.getJsonObject("tls").getString("peerSubject")).isEqualTo("CN=alice,O=Strata Tests");
    }
    try (LineClient plain = new LineClient(node.port("who"))) {
      plain.send("in clear\n");
      assertThat(plain.closedByServer()).isTrue();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> call(HttpMethod.GET, "/api/listeners", 200)
        .getJsonArray("listeners").getJsonObject(0).getJsonObject("connections").getLong("tlsHandshakeFailed") == 1);
    // plain http to the admin port gets no answer
    HttpClient http = vertx.createHttpClient();
    assertThat(http.request(HttpMethod.GET, node.admin.port(), "127.0.0.1", "/api/auth").compose(r -> r.send())
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.succeeded())).await()).isFalse();
  }

  @Test
  void reloadEndpointServesTheNewCertificateToNewHandshakesAndKeepsOpenConnections(Vertx vertx) throws Exception {
    start(vertx, liveTls("0s"));
    int port = node.port("who");
    SSLContext alice = TlsClients.context(certs.cert("ca"), certs.p12("alice"), "pw");
    try (LineClient old = new LineClient(TlsClients.connect(alice, port, "localhost"))) {
      assertThat(old.request("before")).endsWith("|before");
      assertThat(subjectServed(port)).contains("O = Strata Default");

      Files.copy(certs.cert("renewed"), live.resolve("server.pem"), StandardCopyOption.REPLACE_EXISTING);
      Files.copy(certs.key("renewed"), live.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
      assertThat(subjectServed(port)).as("nothing changes before a reload").contains("O = Strata Default");

      call(HttpMethod.POST, "/api/tls/reload", 401);
      JsonObject result = call(HttpMethod.POST, "/api/tls/reload", 200, "Authorization", "Bearer " + AdminHarness.TOKEN);
      assertThat(result).isEqualTo(new JsonObject().put("listeners[0].tls", "reloaded").put("admin.tls", "reloaded"));

      assertThat(subjectServed(port)).contains("O = Strata Renewed");
      assertThat(subjectServed(node.admin.port())).contains("O = Strata Renewed");
      assertThat(old.request("after")).endsWith("|after");
    }
  }

  @Test
  void aBadNewFileChangesNothingAndNamesItsKey(Vertx vertx) throws Exception {
    start(vertx, liveTls("0s"));
    int port = node.port("who");
    Files.writeString(live.resolve("server.key"), "not a key\n");
    try (LogCapture log = LogCapture.root()) {
      JsonObject result = call(HttpMethod.POST, "/api/tls/reload", 200, "Authorization", "Bearer " + AdminHarness.TOKEN);
      assertThat(result.getString("listeners[0].tls")).startsWith("listeners[0].tls.certs[0].key: ")
          .contains("holds no unencrypted PEM private key");
      await().atMost(Duration.ofSeconds(5)).until(() -> log.count("listeners[0].tls.certs[0].key") > 0);
    }
    assertThat(subjectServed(port)).contains("O = Strata Default");
    try (LineClient c = new LineClient(TlsClients.connect(TlsClients.context(certs.cert("ca"), null, null), port,
        "localhost"))) {
      assertThat(c.request("still")).isEqualTo("null|still");
    }
  }

  @Test
  void aChangedFileIsPickedUpByThePeriodicCheck(Vertx vertx) throws Exception {
    start(vertx, liveTls("200ms"));
    int port = node.port("who");
    assertThat(subjectServed(port)).contains("O = Strata Default");
    // key first, then the certificate: a check between the two sees a mismatched pair, which must not stick
    Files.copy(certs.key("renewed"), live.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(certs.cert("renewed"), live.resolve("server.pem"), StandardCopyOption.REPLACE_EXISTING);
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
        .until(() -> subjectServed(port).contains("O = Strata Renewed"));
  }
}
