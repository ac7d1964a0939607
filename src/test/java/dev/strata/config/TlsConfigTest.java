package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.support.TestCerts;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tls block: defaults, and every mistake refused at load naming its key's path. */
class TlsConfigTest {

  @TempDir
  static Path dir;
  static TestCerts certs;

  @BeforeAll
  static void makeCertificates() {
    certs = TestCerts.standard(dir).pkcs12("server", "right");
  }

  private static JsonObject pair() {
    return new JsonObject().put("cert", certs.cert("server").toString()).put("key", certs.key("server").toString());
  }

  private static JsonObject tls() {
    return new JsonObject().put("certs", new JsonArray().add(pair()));
  }

  private static StrataConfig withListenerTls(JsonObject tls) {
    JsonObject l = new JsonObject().put("name", "a").put("port", 1).put("codec", "lines").put("address", "app.a")
        .put("tls", tls);
    return ConfigLoader.bind(new JsonObject().put("listeners", new JsonArray().add(l)), Map.of(), Map.of());
  }

  @Test
  void defaultsAreTls12And13TenSecondHandshakesNoClientAuthAndAThirtySecondCheck() {
    TlsConfig t = withListenerTls(tls()).listeners().get(0).tls();
    assertThat(t.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(t.serverOptions().getSslHandshakeTimeout()).isEqualTo(10_000);
    assertThat(t.serverOptions().getClientAuth()).isEqualTo(ClientAuth.NONE);
    assertThat(t.serverOptions().isSni()).isFalse();
    assertThat(t.reloadEvery().toSeconds()).isEqualTo(30);
    assertThat(t.clientOptions().getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(t.clientOptions().isTrustAll()).isFalse();
  }

  @Test
  void aMissingFileIsNamedByItsKey() {
    JsonObject bad = new JsonObject().put("certs", new JsonArray().add(pair())
        .add(new JsonObject().put("cert", certs.cert("other").toString()).put("key", dir.resolve("nope.key").toString())));
    assertThatThrownBy(() -> withListenerTls(bad))
        .hasMessage("listeners[0].tls.certs[1].key: file " + dir.resolve("nope.key") + " not found");
  }

  @Test
  void anUnreadableKeyOrCertificateIsNamedByItsKey() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello\n");
    assertThatThrownBy(() -> withListenerTls(new JsonObject().put("certs", new JsonArray()
        .add(new JsonObject().put("cert", certs.cert("server").toString()).put("key", garbage.toString())))))
        .hasMessageStartingWith("listeners[0].tls.certs[0].key: ").hasMessageContaining("no unencrypted PEM private key");
    assertThatThrownBy(() -> withListenerTls(new JsonObject().put("certs", new JsonArray()
        .add(new JsonObject().put("cert", garbage.toString()).put("key", certs.key("server").toString())))))
        .hasMessageStartingWith("listeners[0].tls.certs[0].cert: ");
    assertThatThrownBy(() -> withListenerTls(tls().put("clientAuth", "required")
        .put("trustedCas", new JsonArray().add(garbage.toString()))))
        .hasMessageStartingWith("listeners[0].tls.trustedCas[0]: ");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() {
    assertThatThrownBy(() -> withListenerTls(new JsonObject().put("certs", new JsonArray()
        .add(new JsonObject().put("cert", certs.cert("server").toString()).put("key", certs.key("other").toString())))))
        .hasMessage("listeners[0].tls.certs[0].key: " + certs.key("other") + " is not the private key of the certificate in "
            + certs.cert("server"));
  }

  @Test
  void aKeyStoreWithTheWrongPasswordIsRefused() {
    assertThat(withListenerTls(new JsonObject().put("keyStore", certs.p12("server").toString())
        .put("keyStorePassword", "right")).listeners().get(0).tls().serverOptions().isSni()).isTrue();
    assertThatThrownBy(() -> withListenerTls(new JsonObject().put("keyStore", certs.p12("server").toString())
        .put("keyStorePassword", "wrong")))
        .hasMessageStartingWith("listeners[0].tls.keyStore: cannot open PKCS#12");
  }

  @Test
  void aBadClientAuthValueIsNamed() {
    assertThatThrownBy(() -> withListenerTls(tls().put("clientAuth", "always")))
        .hasMessage("listeners[0].tls.clientAuth: 'always' is not a clientAuth; use none, requested or required");
    assertThatThrownBy(() -> withListenerTls(tls().put("clientAuth", "required")))
        .hasMessage("listeners[0].tls.trustedCas: clientAuth required needs the CAs that sign client certificates");
  }

  @Test
  void protocolsBelowTls12AreRefusedAtLoad() {
    assertThatThrownBy(() -> withListenerTls(tls().put("protocols", new JsonArray().add("TLSv1.2").add("TLSv1"))))
        .hasMessage("listeners[0].tls.protocols[1]: TLSv1 is below TLS 1.2 and refused");
    assertThatThrownBy(() -> withListenerTls(tls().put("protocols", new JsonArray().add("TLSv1.1"))))
        .hasMessage("listeners[0].tls.protocols[0]: TLSv1.1 is below TLS 1.2 and refused");
    assertThat(withListenerTls(tls().put("protocols", new JsonArray().add("TLSv1.3"))).listeners().get(0).tls()
        .serverOptions().getEnabledSecureTransportProtocols()).containsExactly("TLSv1.3");
  }

  @Test
  void serverAndClientOnlyKeysAreRefusedWhereTheyDoNotApply() {
    assertThatThrownBy(() -> withListenerTls(tls().put("trustAll", true)))
        .hasMessage("listeners[0].tls.trustAll: applies to connectors only");
    assertThatThrownBy(() -> withListenerTls(new JsonObject()))
        .hasMessage("listeners[0].tls.certs: a server needs certs (or keyStore)");
    JsonObject connector = new JsonObject().put("name", "c").put("address", "svc.c").put("codec", "resp")
        .put("hosts", new JsonArray().add("localhost:6379")).put("tls", new JsonObject().put("clientAuth", "required"));
    assertThatThrownBy(() -> ConfigLoader.bind(new JsonObject().put("connectors", new JsonArray().add(connector)),
        Map.of(), Map.of()))
        .hasMessage("connectors[0].tls.clientAuth: applies to servers (listeners, bridge, admin) only");
  }

  @Test
  void aUdpListenerRefusesTls() {
    JsonObject l = new JsonObject().put("name", "u").put("port", 1).put("codec", "lines").put("address", "app.u")
        .put("transport", "udp").put("tls", tls());
    assertThatThrownBy(() -> ConfigLoader.bind(new JsonObject().put("listeners", new JsonArray().add(l)), Map.of(),
        Map.of())).hasMessage("listeners[0].tls: is a tcp setting, refused on a udp listener (DTLS is not supported)");
  }

  @Test
  void adminAndBridgeTakeTheSameBlock() {
    StrataConfig c = ConfigLoader.bind(new JsonObject()
        .put("admin", new JsonObject().put("tls", tls().put("handshakeTimeout", "2s"))), Map.of(), Map.of());
    assertThat(c.admin().tls().serverOptions().getSslHandshakeTimeout()).isEqualTo(2_000);
    assertThatThrownBy(() -> ConfigLoader.bind(new JsonObject()
        .put("bridge", new JsonObject().put("tls", tls().put("handshakeTimeout", "0s"))), Map.of(), Map.of()))
        .hasMessage("bridge.tls.handshakeTimeout: must be > 0");
  }
}
