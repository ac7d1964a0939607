package dev.strata.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** JDK TLS clients for tests: trust a PEM CA, optionally show a PKCS#12 client certificate. */
public final class TlsClients {

  private TlsClients() {
  }

  public static SSLContext context(Path caPem, Path clientP12, String password) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(caPem)) {
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (clientP12 != null) {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(clientP12)) {
          keys.load(in, password.toCharArray());
        }
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password.toCharArray());
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Connects to 127.0.0.1:port and completes the handshake, asking for {@code serverName} (SNI) if given. */
  public static SSLSocket connect(SSLContext ctx, int port, String serverName) throws IOException {
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(10_000);
    if (serverName != null) {
      SSLParameters p = s.getSSLParameters();
      p.setServerNames(List.of(new SNIHostName(serverName)));
      s.setSSLParameters(p);
    }
    s.startHandshake();
    return s;
  }
}
