package dev.strata.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.exchange.Headers;
import dev.strata.server.Strata;
import dev.strata.stream.Connection;
import dev.strata.stream.ListenerStats;
import dev.strata.support.LineClient;
import dev.strata.support.SClient;
import dev.strata.support.TestCerts;
import dev.strata.support.TestNodes;
import dev.strata.support.TlsClients;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on a lines listener, over real sockets, against {@code openssl s_client}, the JDK's TLS client and
 * Vert.x's {@code NetClient}: round trip, SNI, mTLS and the subject header, plaintext and stalled handshakes,
 * and a protocol below TLS 1.2.
 */
@ExtendWith(VertxExtension.class)
class TlsListenerTest {

  @TempDir
  static Path dir;
  static TestCerts certs;

  private Strata strata;

  @BeforeAll
  static void makeCertificates() {
    certs = TestCerts.standard(dir).pkcs12("alice", "pw").pkcs12("mallory", "pw");
  }

  @AfterEach
  void stop() {
    if (strata != null) {
      strata.stop().await();
    }
  }

  private static JsonObject pair(String name) {
    return new JsonObject().put("cert", certs.cert(name).toString()).put("key", certs.key(name).toString());
  }

  /** An echo listener with {@code tls}; an application at app.who answers "<subject header>|<line>". */
  private int start(Vertx vertx, JsonObject tls) {
    vertx.eventBus().<Object>consumer("app.who", m -> m.reply(m.headers().get(Headers.PEER_SUBJECT) + "|" + m.body()))
        .completion().await();
    strata = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray()
            .add(TestNodes.listener("echo", "lines", "app.echo").put("tls", tls))
            .add(TestNodes.listener("who", "lines", "app.who").put("tls", tls)))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.EchoVerticle"))));
    return strata.port("echo");
  }

  private static JsonObject serverTls() {
    return new JsonObject().put("certs", new JsonArray().add(pair("server")));
  }

  private static JsonObject mtls() {
    return serverTls().put("clientAuth", "required").put("trustedCas", new JsonArray().add(certs.cert("ca").toString()));
  }

  @Test
  void roundTripWithOpensslAndTheJdkClient(Vertx vertx) throws Exception {
    int port = start(vertx, serverTls());
    try (SClient s = SClient.connect(port, "-CAfile", certs.cert("ca").toString(), "-verify_return_error",
        "-servername", "localhost")) {
      s.send("hello over tls\n");
      String out = s.awaitOutput("hello over tls"); // s_client prints what it receives, not what it sends
      assertThat(out).contains("Verify return code: 0 (ok)");
    }
    SSLContext ctx = TlsClients.context(certs.cert("ca"), null, null);
    try (LineClient c = new LineClient(TlsClients.connect(ctx, port, "localhost"))) {
      assertThat(c.request("from the jdk")).isEqualTo("from the jdk");
      Connection conn = strata.registry().open().stream().filter(x -> x.listener().equals("echo")).findFirst().orElseThrow();
      assertThat(conn.tls().protocol()).isEqualTo("TLSv1.3");
      assertThat(conn.tls().cipher()).startsWith("TLS_");
      assertThat(conn.tls().peerSubject()).isNull();
    }
  }

  @Test
  void sniPicksTheCertificateNamedByTheClientAndTheFirstIsTheDefault(Vertx vertx) {
    int port = start(vertx, new JsonObject().put("certs", new JsonArray().add(pair("server")).add(pair("other"))));
    try (SClient s = SClient.connect(port, "-servername", "other.test", "-CAfile", certs.cert("ca").toString())) {
      assertThat(s.awaitOutput("Verify return code")).contains("subject=CN = other.test, O = Strata Other");
    }
    try (SClient s = SClient.connect(port, "-servername", "localhost")) {
      assertThat(s.awaitOutput("Verify return code")).contains("subject=CN = localhost, O = Strata Default");
    }
    try (SClient s = SClient.connect(port, "-noservername")) {
      assertThat(s.awaitOutput("Verify return code")).contains("subject=CN = localhost, O = Strata Default");
    }
  }

  @Test
  void requiredClientAuthRefusesNoCertificateAndAnUntrustedOneAndNamesAGoodOne(Vertx vertx) throws Exception {
    start(vertx, mtls());
    int who = strata.port("who");
    ListenerStats stats = strata.registry().stats("who");

    assertThat(refused(TlsClients.context(certs.cert("ca"), null, null), who)).isTrue();
    assertThat(refused(TlsClients.context(certs.cert("ca"), certs.p12("mallory"), "pw"), who)).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> stats.tlsHandshakeFailures() == 2);
    assertThat(stats.accepted()).isZero();

    try (LineClient c = new LineClient(TlsClients.connect(TlsClients.context(certs.cert("ca"), certs.p12("alice"), "pw"),
        who, "localhost"))) {
      assertThat(c.request("hi")).isEqualTo("CN=alice,O=Strata Tests|hi");
    }
    // and openssl with the PEM pair: the same subject reaches the application
    try (SClient s = SClient.connect(who, "-cert", certs.cert("alice").toString(), "-key", certs.key("alice").toString(),
        "-CAfile", certs.cert("ca").toString())) {
      s.send("from openssl\n");
      s.awaitOutput("CN=alice,O=Strata Tests|from openssl");
    }
  }

  /** Whether a TLS client with {@code ctx} is turned away: the handshake fails or the first read finds the end. */
  private static boolean refused(SSLContext ctx, int port) {
    try (SSLSocket s = TlsClients.connect(ctx, port, "localhost"); LineClient c = new LineClient(s)) {
      c.send("let me in\n"); // TLS 1.3: the server's verdict on our certificate comes after our handshake ends
      return c.readLine() == null;
    } catch (SSLException | java.net.SocketException e) {
      return true;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void vertxNetClientWithAClientCertificateIsNamedToo(Vertx vertx) throws Exception {
    start(vertx, mtls());
    // held until the end: Vert.x 5 closes a client that is no longer reachable, and its connections with it
    NetClient client = vertx.createNetClient(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
        .setTrustOptions(new PemTrustOptions().addCertPath(certs.cert("ca").toString()))
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certs.cert("alice").toString())
            .setKeyPath(certs.key("alice").toString())));
    NetSocket socket = client.connect(strata.port("who"), "localhost").await();
    CompletableFuture<String> reply = new CompletableFuture<>();
    Buffer got = Buffer.buffer();
    socket.handler(b -> {
      got.appendBuffer(b);
      if (got.toString().endsWith("\n")) {
        reply.complete(got.toString());
      }
    });
    socket.write(Buffer.buffer("vertx\n")).await();
    assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("CN=alice,O=Strata Tests|vertx\n");
    socket.close().await();
    client.close().await();
  }

  @Test
  void plaintextToATlsPortIsClosedAndCountedWhileATlsConnectionGoesOn(Vertx vertx) throws Exception {
    int port = start(vertx, serverTls());
    ListenerStats stats = strata.registry().stats("echo");
    try (LineClient canary = new LineClient(TlsClients.connect(TlsClients.context(certs.cert("ca"), null, null), port,
        "localhost"))) {
      assertThat(canary.request("before")).isEqualTo("before");
      try (LineClient plain = new LineClient(port)) {
        plain.send("PING\r\nhello in clear\n");
        assertThat(plain.closedByServer()).isTrue();
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> stats.tlsHandshakeFailures() == 1);
      assertThat(canary.request("after")).isEqualTo("after");
      assertThat(stats.accepted()).isEqualTo(1);
    }
  }

  @Test
  void aClientThatNeverCompletesTheHandshakeIsClosedAtTheDeadline(Vertx vertx) throws Exception {
    int port = start(vertx, serverTls().put("handshakeTimeout", "300ms"));
    ListenerStats stats = strata.registry().stats("echo");
    try (Socket idle = new Socket()) {
      idle.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      idle.setSoTimeout(10_000); // far past the deadline: without it, this read times out and the test fails
      assertThat(idle.getInputStream().read()).isEqualTo(-1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> stats.tlsHandshakeTimeouts() == 1);
  }

  @Test
  void tls10IsRefused(Vertx vertx) {
    int port = start(vertx, serverTls());
    ListenerStats stats = strata.registry().stats("echo");
    // SECLEVEL=0: let this openssl offer TLS 1.0 at all, so that it is the server that says no
    try (SClient s = SClient.connect(port, "-tls1", "-cipher", "DEFAULT@SECLEVEL=0")) {
      String out = s.awaitExit();
      assertThat(s.exitValue()).isNotZero();
      assertThat(out).containsIgnoringCase("alert");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> stats.tlsHandshakeFailures() == 1);
    try (SClient s = SClient.connect(port, "-tls1_2", "-servername", "localhost")) {
      assertThat(s.awaitOutput("Verify return code")).contains("Protocol  : TLSv1.2");
    }
  }
}
