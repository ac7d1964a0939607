package dev.strata.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code tls:} block, the same on listeners, {@code bridge}, {@code admin} and connectors. Present means
 * TLS is on. Files are checked when the configuration loads ({@link TlsFiles}), so a missing or unreadable
 * file fails start-up naming its key, e.g. {@code listeners[0].tls.certs[0].key}.
 *
 * @param certs            PEM key + certificate chain pairs. A server needs one (or a {@code keyStore}); with
 *                         several, the server name the client asks for (SNI) picks the pair whose certificate
 *                         names it, and the first is the default. A connector's one pair is its client certificate.
 * @param keyStore         a PKCS#12 file instead of {@code certs} (all its entries serve SNI)
 * @param keyStorePassword its password
 * @param clientAuth       servers: {@code none} (default), {@code requested} or {@code required} (mTLS)
 * @param trustedCas       PEM files of the CAs whose certificates are trusted: client certificates on a server,
 *                         the server's on a connector (default there: the JVM's trust store)
 * @param trustAll         connectors: trust any server certificate (default false; for tests only)
 * @param verifyHostname   connectors: the server's certificate must name the host connected to (default true)
 * @param protocols        default {@code [TLSv1.3, TLSv1.2]}; nothing below TLS 1.2 is accepted
 * @param ciphers          cipher suites to enable (default: the JVM's)
 * @param handshakeTimeout a connection whose handshake is not done by then is closed (default 10s)
 * @param reloadCheck      servers: how often the files are checked for a change, which reloads them
 *                         (default 30s; 0 = only {@code POST /api/tls/reload})
 */
public record TlsConfig(
    List<KeyCert> certs,
    String keyStore,
    String keyStorePassword,
    ClientAuthMode clientAuth,
    List<String> trustedCas,
    Boolean trustAll,
    Boolean verifyHostname,
    List<String> protocols,
    List<String> ciphers,
    @JsonDeserialize(using = DurationDeserializer.class) Duration handshakeTimeout,
    @JsonDeserialize(using = DurationDeserializer.class) Duration reloadCheck) {

  static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final List<String> REFUSED = List.of("SSLv2Hello", "SSLv3", "TLSv1", "TLSv1.1");

  public TlsConfig {
    certs = certs == null ? List.of() : List.copyOf(certs);
    trustedCas = trustedCas == null ? List.of() : List.copyOf(trustedCas);
    protocols = protocols == null ? DEFAULT_PROTOCOLS : List.copyOf(protocols);
    ciphers = ciphers == null ? List.of() : List.copyOf(ciphers);
    handshakeTimeout = handshakeTimeout == null ? Duration.ofSeconds(10) : handshakeTimeout;
    ListenerConfig.require(handshakeTimeout.toMillis() > 0, "handshakeTimeout", "must be > 0");
    ListenerConfig.require(reloadCheck == null || !reloadCheck.isNegative(), "reloadCheck", "must be >= 0");
    ListenerConfig.require(!(keyStore != null && !certs.isEmpty()), "keyStore", "give certs or keyStore, not both");
    ListenerConfig.require(keyStore != null || keyStorePassword == null, "keyStorePassword", "needs keyStore");
    ListenerConfig.require(!protocols.isEmpty(), "protocols", "must name at least one of " + DEFAULT_PROTOCOLS);
    for (int i = 0; i < protocols.size(); i++) {
      String p = protocols.get(i);
      ListenerConfig.require(!REFUSED.contains(p), "protocols[" + i + "]", p + " is below TLS 1.2 and refused");
      ListenerConfig.require(DEFAULT_PROTOCOLS.contains(p), "protocols[" + i + "]",
          "'" + p + "' is not a TLS protocol; use TLSv1.3 or TLSv1.2");
    }
  }

  /** One PEM pair: the certificate chain (leaf first) and its private key (PKCS#8 or PKCS#1). */
  public record KeyCert(String cert, String key) {
    public KeyCert {
      ListenerConfig.require(cert != null && !cert.isBlank(), "cert", "is required: a PEM certificate chain file");
      ListenerConfig.require(key != null && !key.isBlank(), "key", "is required: a PEM private key file");
    }
  }

  /** Who must show a certificate to a server. */
  public enum ClientAuthMode {
    NONE, REQUESTED, REQUIRED;

    @com.fasterxml.jackson.annotation.JsonCreator
    public static ClientAuthMode of(String text) {
      for (ClientAuthMode m : values()) {
        if (m.name().equalsIgnoreCase(text)) {
          return m;
        }
      }
      throw new ConfigException("", "'" + text + "' is not a clientAuth; use none, requested or required");
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What a listener, the bridge or admin may hold: a key, no client-only keys. Keys relative to the owner. */
  TlsConfig forServer() {
    checkFiles();
    ListenerConfig.require(!certs.isEmpty() || keyStore != null, "tls.certs", "a server needs certs (or keyStore)");
    ListenerConfig.require(trustAll == null, "tls.trustAll", "applies to connectors only");
    ListenerConfig.require(verifyHostname == null, "tls.verifyHostname", "applies to connectors only");
    if (clientAuth != null && clientAuth != ClientAuthMode.NONE && trustedCas.isEmpty()) {
      throw new ConfigException("tls.trustedCas", "clientAuth " + clientAuth.text()
          + " needs the CAs that sign client certificates");
    }
    return this;
  }

  /** What a connector may hold: at most one client certificate, no server-only keys. */
  TlsConfig forClient() {
    checkFiles();
    ListenerConfig.require(certs.size() <= 1, "tls.certs", "a connector has one client certificate at most");
    ListenerConfig.require(clientAuth == null, "tls.clientAuth", "applies to servers (listeners, bridge, admin) only");
    ListenerConfig.require(reloadCheck == null, "tls.reloadCheck", "applies to servers (listeners, bridge, admin) only");
    return this;
  }

  private void checkFiles() {
    try {
      TlsFiles.check(this);
    } catch (ConfigException e) {
      throw new ConfigException("tls." + e.key(), e.reason());
    }
  }

  /** How often a server's files are checked for a change; zero: never. */
  public Duration reloadEvery() {
    return reloadCheck == null ? Duration.ofSeconds(30) : reloadCheck;
  }

  /** Every file this block names, for change detection. */
  public List<String> files() {
    List<String> all = new java.util.ArrayList<>();
    certs.forEach(kc -> {
      all.add(kc.cert());
      all.add(kc.key());
    });
    if (keyStore != null) {
      all.add(keyStore);
    }
    all.addAll(trustedCas);
    return all;
  }

  /** Vert.x's server options; SNI is on whenever there may be more than one certificate to choose from. */
  public ServerSSLOptions serverOptions() {
    return serverOptions(false);
  }

  /**
   * As {@link #serverOptions()}, with the files' contents instead of their paths: what a reload gives Vert.x.
   * Vert.x caches key material by its options, so the same paths would get the old certificate back. Reads
   * files: call it off the event loop.
   */
  public ServerSSLOptions serverOptionsFromContents() {
    return serverOptions(true);
  }

  private ServerSSLOptions serverOptions(boolean contents) {
    ServerSSLOptions o = new ServerSSLOptions()
        .setKeyCertOptions(contents ? keyCertContents() : keyCertOptions())
        .setSni(certs.size() > 1 || keyStore != null)
        .setClientAuth(switch (clientAuth == null ? ClientAuthMode.NONE : clientAuth) {
          case NONE -> ClientAuth.NONE;
          case REQUESTED -> ClientAuth.REQUEST;
          case REQUIRED -> ClientAuth.REQUIRED;
        })
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(protocols))
        .setSslHandshakeTimeout(handshakeTimeout.toMillis())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    ciphers.forEach(o::addEnabledCipherSuite);
    if (!trustedCas.isEmpty()) {
      o.setTrustOptions(contents ? trustContents() : trust());
    }
    return o;
  }

  /** Vert.x's client options: the JVM's trust store unless {@code trustedCas}; host names verified. */
  public ClientSSLOptions clientOptions() {
    ClientSSLOptions o = new ClientSSLOptions()
        .setTrustAll(Boolean.TRUE.equals(trustAll))
        .setHostnameVerificationAlgorithm(Boolean.FALSE.equals(verifyHostname) ? "" : "HTTPS")
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(protocols))
        .setSslHandshakeTimeout(handshakeTimeout.toMillis())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    ciphers.forEach(o::addEnabledCipherSuite);
    if (!certs.isEmpty() || keyStore != null) {
      o.setKeyCertOptions(keyCertOptions());
    }
    if (!trustedCas.isEmpty()) {
      o.setTrustOptions(trust());
    }
    return o;
  }

  private KeyCertOptions keyCertOptions() {
    if (keyStore != null) {
      return new PfxOptions().setPath(keyStore).setPassword(keyStorePassword);
    }
    PemKeyCertOptions pem = new PemKeyCertOptions();
    for (KeyCert kc : certs) {
      pem.addCertPath(kc.cert()).addKeyPath(kc.key());
    }
    return pem;
  }

  private KeyCertOptions keyCertContents() {
    if (keyStore != null) {
      return new PfxOptions().setValue(read(keyStore)).setPassword(keyStorePassword);
    }
    PemKeyCertOptions pem = new PemKeyCertOptions();
    for (KeyCert kc : certs) {
      pem.addCertValue(read(kc.cert())).addKeyValue(read(kc.key()));
    }
    return pem;
  }

  private PemTrustOptions trustContents() {
    PemTrustOptions t = new PemTrustOptions();
    trustedCas.forEach(f -> t.addCertValue(read(f)));
    return t;
  }

  private static Buffer read(String file) {
    try {
      return Buffer.buffer(Files.readAllBytes(Path.of(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private PemTrustOptions trust() {
    PemTrustOptions t = new PemTrustOptions();
    trustedCas.forEach(t::addCertPath);
    return t;
  }
}
