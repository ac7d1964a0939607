package dev.strata.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with the {@code openssl} command: a CA, server certificates signed by it
 * (with SANs, so host names verify), client certificates from it, and a second, untrusted CA. EC P-256 keys
 * in PKCS#8 PEM: quick to make. Nothing is checked in; every run has fresh ones.
 */
public final class TestCerts {

  private final Path dir;

  public TestCerts(Path dir) {
    this.dir = dir;
  }

  /** A self-signed CA: {@code <name>.pem}, {@code <name>.key}. */
  public TestCerts ca(String name, String subject) {
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", key(name).toString(), "-out", cert(name).toString(), "-days", "2", "-subj", subject,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return this;
  }

  /** A server certificate for {@code dns} (and 127.0.0.1), signed by {@code ca}. */
  public TestCerts server(String name, String subject, String dns, String ca) {
    return issue(name, subject, ca, "subjectAltName=DNS:" + dns + ",IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  }

  /** A server certificate naming only {@code dns} (no IP): a client connecting to 127.0.0.1 must not accept it. */
  public TestCerts serverNamedOnly(String name, String subject, String dns, String ca) {
    return issue(name, subject, ca, "subjectAltName=DNS:" + dns + "\nextendedKeyUsage=serverAuth\n");
  }

  /** A client certificate signed by {@code ca}. */
  public TestCerts client(String name, String subject, String ca) {
    return issue(name, subject, ca, "extendedKeyUsage=clientAuth\n");
  }

  /** {@code <name>.p12}: the key and certificate as PKCS#12 with {@code password}. */
  public TestCerts pkcs12(String name, String password) {
    run("openssl", "pkcs12", "-export", "-in", cert(name).toString(), "-inkey", key(name).toString(),
        "-out", dir.resolve(name + ".p12").toString(), "-passout", "pass:" + password, "-name", name);
    return this;
  }

  private TestCerts issue(String name, String subject, String ca, String extensions) {
    try {
      Path csr = dir.resolve(name + ".csr");
      Path ext = dir.resolve(name + ".ext");
      Files.writeString(ext, extensions);
      run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
          "-keyout", key(name).toString(), "-out", csr.toString(), "-subj", subject);
      run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", cert(ca).toString(), "-CAkey", key(ca).toString(),
          "-CAcreateserial", "-out", cert(name).toString(), "-days", "2", "-extfile", ext.toString());
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path cert(String name) {
    return dir.resolve(name + ".pem");
  }

  public Path key(String name) {
    return dir.resolve(name + ".key");
  }

  public Path p12(String name) {
    return dir.resolve(name + ".p12");
  }

  public Path dir() {
    return dir;
  }

  /** The usual set: CA {@code ca}; servers {@code server} (localhost) and {@code other} (other.test);
   *  client {@code alice} from {@code ca}; CA {@code rogue} and its client {@code mallory}. */
  public static TestCerts standard(Path dir) {
    return new TestCerts(dir)
        .ca("ca", "/CN=Strata Test CA")
        .server("server", "/CN=localhost/O=Strata Default", "localhost", "ca")
        .server("other", "/CN=other.test/O=Strata Other", "other.test", "ca")
        .client("alice", "/O=Strata Tests/CN=alice", "ca")
        .ca("rogue", "/CN=Rogue CA")
        .client("mallory", "/O=Rogue/CN=mallory", "rogue");
  }

  /** Runs a command to completion; fails with its output when it fails. */
  public static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
