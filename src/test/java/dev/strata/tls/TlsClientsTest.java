package dev.strata.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.server.Strata;
import dev.strata.support.BridgeClient;
import dev.strata.support.TestCerts;
import dev.strata.support.TestNodes;
import dev.strata.support.TlsClients;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Real clients over TLS: Jedis to a RESP listener served from a PKCS#12 key store with mTLS, Strata's own
 * connector to that listener (client certificate, trusted CA, host name checked), and a bridge client.
 */
@ExtendWith(VertxExtension.class)
class TlsClientsTest {

  @TempDir
  static Path dir;
  static TestCerts certs;

  private Strata server;
  private Strata client;

  @BeforeAll
  static void makeCertificates() {
    certs = TestCerts.standard(dir).pkcs12("server", "store-pw").pkcs12("alice", "pw")
        .serverNamedOnly("elsewhere", "/CN=elsewhere.test", "elsewhere.test", "ca");
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.stop().await();
    }
    if (server != null) {
      server.stop().await();
    }
  }

  /** kv over RESP, key from PKCS#12, client certificates required; the bridge with a PEM pair. */
  private void startServer(Vertx vertx) {
    JsonObject mtls = new JsonObject().put("keyStore", certs.p12("server").toString()).put("keyStorePassword", "store-pw")
        .put("clientAuth", "required").put("trustedCas", new JsonArray().add(certs.cert("ca").toString()));
    server = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv").put("tls", mtls)))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle")))
        .put("bridge", new JsonObject().put("port", 0).put("tls", new JsonObject().put("certs", new JsonArray()
            .add(new JsonObject().put("cert", certs.cert("server").toString()).put("key", certs.key("server").toString()))))));
  }

  @Test
  void jedisOverTlsWithAClientCertificate(Vertx vertx) {
    startServer(vertx);
    SSLContext ctx = TlsClients.context(certs.cert("ca"), certs.p12("alice"), "pw");
    try (Jedis jedis = new Jedis(new HostAndPort("localhost", server.port("kv")),
        DefaultJedisClientConfig.builder().ssl(true).sslSocketFactory(ctx.getSocketFactory()).build())) {
      assertThat(jedis.set("greeting", "over tls")).isEqualTo("OK");
      assertThat(jedis.get("greeting")).isEqualTo("over tls");
    }
    SSLContext noCert = TlsClients.context(certs.cert("ca"), null, null);
    assertThatThrownBy(() -> {
      try (Jedis jedis = new Jedis(new HostAndPort("localhost", server.port("kv")),
          DefaultJedisClientConfig.builder().ssl(true).sslSocketFactory(noCert.getSocketFactory()).build())) {
        jedis.get("greeting");
      }
    }).isInstanceOf(redis.clients.jedis.exceptions.JedisConnectionException.class);
  }

  private JsonObject connector(JsonObject tls) {
    return new JsonObject().put("name", "secure").put("address", "svc.secure").put("codec", "resp").put("pool", 1)
        .put("hosts", new JsonArray().add("localhost:" + server.port("kv"))).put("tls", tls);
  }

  @Test
  void aConnectorSpeaksTlsWithAClientCertificateToAStrataListener(Vertx vertx) {
    startServer(vertx);
    client = TestNodes.start(vertx, new JsonObject().put("connectors", new JsonArray().add(connector(new JsonObject()
        .put("trustedCas", new JsonArray().add(certs.cert("ca").toString()))
        .put("certs", new JsonArray().add(new JsonObject().put("cert", certs.cert("alice").toString())
            .put("key", certs.key("alice").toString())))))));
    assertThat(vertx.eventBus().request("svc.secure", "SET k via-connector").await().body()).isEqualTo("OK");
    assertThat(vertx.eventBus().request("svc.secure", "GET k").await().body().toString()).isEqualTo("via-connector");
  }

  @Test
  void aConnectorTrustsOnlyWhatItIsToldToByDefault(Vertx vertx) {
    startServer(vertx);
    // no trustedCas: the JVM's trust store, which does not know the test CA; no connection, a clear failure
    client = TestNodes.start(vertx, new JsonObject().put("connectors", new JsonArray().add(connector(new JsonObject()
        .put("certs", new JsonArray().add(new JsonObject().put("cert", certs.cert("alice").toString())
            .put("key", certs.key("alice").toString())))))));
    assertThatThrownBy(() -> vertx.eventBus().request("svc.secure", "GET k").await(10, TimeUnit.SECONDS))
        .hasMessageContaining("no open connection");
  }

  @Test
  void aConnectorChecksTheHostNameUnlessToldNotTo(Vertx vertx) {
    // a listener whose certificate (from the trusted CA) names elsewhere.test only
    server = TestNodes.start(vertx, new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv").put("tls", new JsonObject()
            .put("certs", new JsonArray().add(new JsonObject().put("cert", certs.cert("elsewhere").toString())
                .put("key", certs.key("elsewhere").toString()))))))
        .put("apps", new JsonArray().add(TestNodes.app("dev.strata.apps.KvVerticle"))));
    JsonObject trust = new JsonObject().put("trustedCas", new JsonArray().add(certs.cert("ca").toString()));
    client = TestNodes.start(vertx, new JsonObject().put("connectors", new JsonArray()
        .add(connector(trust.copy()))
        .add(connector(trust.copy().put("verifyHostname", false)).put("name", "lax").put("address", "svc.lax"))));
    assertThatThrownBy(() -> vertx.eventBus().request("svc.secure", "PING").await(10, TimeUnit.SECONDS))
        .hasMessageContaining("no open connection");
    assertThat(vertx.eventBus().request("svc.lax", "PING").await().body()).isEqualTo("PONG");
  }

  @Test
  void theBridgeAnswersOverTls(Vertx vertx) throws Exception {
    startServer(vertx);
    SSLContext ctx = TlsClients.context(certs.cert("ca"), null, null);
    try (BridgeClient c = new BridgeClient(TlsClients.connect(ctx, server.port("bridge"), "localhost"))) {
      c.send(new JsonObject().put("type", "ping"));
      assertThat(c.next().getString("type")).isEqualTo("pong");
    }
  }
}
