package dev.strata.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
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
      certificates("certs[" + i + "].cert", kc.cert());
      privateKey("certs[" + i + "].key", kc.key());
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

  private static void certificates(String key, String file) {
    byte[] bytes = read(key, file);
    try (InputStream in = new ByteArrayInputStream(bytes)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw new ConfigException(key, file + " holds no PEM certificate");
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(key, file + " is not a PEM certificate file: " + e.getMessage());
    }
  }

  private static void privateKey(String key, String file) {
    String text = new String(read(key, file), StandardCharsets.US_ASCII);
    Matcher m = KEY.matcher(text);
    if (!m.find()) {
      throw new ConfigException(key, file + " holds no unencrypted PEM private key "
          + "(BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
    }
    try {
      Base64.getMimeDecoder().decode(m.group(2).trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, file + ": the private key is not valid base64");
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
