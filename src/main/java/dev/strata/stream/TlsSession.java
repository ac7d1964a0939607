package dev.strata.stream;

import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.ServerSSLOptions;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What a TLS connection agreed on, read once when it is accepted (the handshake is done by then: Vert.x
 * calls the connect handler only after it).
 *
 * @param protocol    e.g. {@code TLSv1.3}
 * @param cipher      e.g. {@code TLS_AES_256_GCM_SHA384}
 * @param serverName  the name the client asked for (SNI), or null
 * @param peerSubject the client certificate's subject (RFC 2253, {@code CN=alice,O=Example}), or null
 */
public record TlsSession(String protocol, String cipher, String serverName, String peerSubject) {

  /** The socket's session, or null for a plaintext socket. */
  static TlsSession of(NetSocket socket) {
    if (!socket.isSsl()) {
      return null;
    }
    SSLSession s = socket.sslSession();
    if (s == null) {
      return null;
    }
    String subject = null;
    try {
      Certificate[] chain = s.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
        subject = x.getSubjectX500Principal().getName();
      }
    } catch (SSLPeerUnverifiedException none) {
      // no client certificate (clientAuth none, or requested and not given)
    }
    return new TlsSession(s.getProtocol(), s.getCipherSuite(), socket.indicatedServerName(), subject);
  }

  /**
   * Puts {@code tls} on server options: what Vert.x's {@code ServerSSLOptions} hold, set the way
   * {@code NetServerOptions} (and {@code HttpServerOptions}, which extends it) take them at creation.
   */
  public static <T extends NetServerOptions> T apply(T options, ServerSSLOptions tls) {
    options.setSsl(true)
        .setKeyCertOptions(tls.getKeyCertOptions())
        .setClientAuth(tls.getClientAuth())
        .setSni(tls.isSni())
        .setEnabledSecureTransportProtocols(tls.getEnabledSecureTransportProtocols())
        .setSslHandshakeTimeout(tls.getSslHandshakeTimeout())
        .setSslHandshakeTimeoutUnit(tls.getSslHandshakeTimeoutUnit());
    if (tls.getTrustOptions() != null) {
      options.setTrustOptions(tls.getTrustOptions());
    }
    tls.getEnabledCipherSuites().forEach(options::addEnabledCipherSuite);
    return options;
  }
}
