package dev.strata.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the files a {@link TlsConfig} names and says which one is wrong and why, before Vert.x would (at bind
 * time, with a message that names no key). Used at load and again before every reload, so a bad new file
 * changes nothing. Keys are relative to the {@code tls} block: {@code certs[1].key}, {@code trustedCas[0]}.
 */
public final class TlsFiles {

  private static final Pattern KEY = Pattern.compile(
      "-----BEGIN (RSA |EC )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END (RSA |EC )?PRIVATE KEY-----");

  private TlsFiles() {
  }

  /** Throws a {@link ConfigException} naming the first file that is missing, unreadable or not what it should be. */
  public static void check(TlsConfig tls) {
    for (int i = 0; i < tls.certs().size(); i++) {
      TlsConfig.KeyCert kc = tls.certs().get(i);
      X509Certificate leaf = certificates("certs[" + i + "].cert", kc.cert());
      byte[] pkcs8 = privateKey("certs[" + i + "].key", kc.key());
      if (pkcs8 != null) {
        sameKey("certs[" + i + "].key", kc, leaf, pkcs8);
      }
    }
    if (tls.keyStore() != null) {
      keyStore("keyStore", tls.keyStore(), tls.keyStorePassword());
    }
    for (int i = 0; i < tls.trustedCas().size(); i++) {
      certificates("trustedCas[" + i + "]", tls.trustedCas().get(i));
    }
  }

  private static byte[] read(String key, String file) {
    Path p = Path.of(file);
    if (!Files.isRegularFile(p)) {
      throw new ConfigException(key, "file " + file + " not found");
    }
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The first certificate of the file (the leaf of a chain). */
  private static X509Certificate certificates(String key, String file) {
    byte[] bytes = read(key, file);
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      var all = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (all.isEmpty()) {
        throw new ConfigException(key, file + " holds no PEM certificate");
      }
      return (X509Certificate) all.iterator().next();
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(key, file + " is not a PEM certificate file: " + e.getMessage());
    }
  }

  /** Checks the PEM key; returns its DER bytes when PKCS#8 (the form the JDK reads as it is), else null. */
  private static byte[] privateKey(String key, String file) {
    String text = new String(read(key, file), StandardCharsets.US_ASCII);
    Matcher m = KEY.matcher(text);
    if (!m.find()) {
      throw new ConfigException(key, file + " holds no unencrypted PEM private key "
          + "(BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
      return m.group(1) == null ? der : null;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, file + ": the private key is not valid base64");
    }
  }

  /**
   * The key must be the certificate's: a signature made with it must verify with the certificate's public
   * key. Otherwise every handshake would fail, and a reload caught between writing the key and the
   * certificate would install that pair.
   */
  private static void sameKey(String key, TlsConfig.KeyCert kc, X509Certificate cert, byte[] pkcs8) {
    PublicKey pub = cert.getPublicKey();
    String alg = switch (pub.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> null;
    };
    if (alg == null) {
      return; // a key type we do not probe: Vert.x will say at bind time
    }
    boolean ok;
    try {
      PrivateKey pk = KeyFactory.getInstance(pub.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      byte[] probe = "strata key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(pk);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      ok = v.verify(sig);
    } catch (GeneralSecurityException e) {
      ok = false; // e.g. an RSA key beside an EC certificate
    }
    if (!ok) {
      throw new ConfigException(key, kc.key() + " is not the private key of the certificate in " + kc.cert());
    }
  }

  private static void keyStore(String key, String file, String password) {
    byte[] bytes = read(key, file);
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      KeyStore.getInstance("PKCS12").load(in, password == null ? null : password.toCharArray());
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(key, "cannot open PKCS#12 " + file + " (wrong keyStorePassword?): " + e.getMessage());
    }
  }
}
