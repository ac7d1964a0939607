package dev.strata.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code openssl s_client} as a process: a real, non-Java TLS peer. Its output (stdout and stderr, which
 * carries the certificate it was shown and any alert) is collected as it comes; {@link #awaitOutput} waits
 * for a piece of it.
 */
public final class SClient implements AutoCloseable {

  private final Process process;
  private final StringBuffer output = new StringBuffer();
  private final OutputStream stdin;
  private final Thread reader;

  private SClient(Process process) {
    this.process = process;
    this.stdin = process.getOutputStream();
    reader = new Thread(() -> {
      try (InputStream in = process.getInputStream()) {
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
          output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "s_client-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** {@code openssl s_client -connect 127.0.0.1:port} plus {@code args}. */
  public static SClient connect(int port, String... args) {
    List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
    cmd.addAll(List.of(args));
    try {
      return new SClient(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public SClient send(String text) {
    try {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the output holds {@code text}; returns the whole output so far. */
  public String awaitOutput(String text) {
    await("s_client printing '" + text + "'").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
        .until(() -> output.indexOf(text) >= 0);
    return output.toString();
  }

  /** Waits for the process to end (the server closed, or refused the handshake); returns all its output. */
  public String awaitExit() {
    await("s_client exiting").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
        .until(() -> !process.isAlive());
    try {
      reader.join(5_000); // its last output
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return output.toString();
  }

  public int exitValue() {
    return process.exitValue();
  }

  public String output() {
    return output.toString();
  }

  @Override
  public void close() {
    process.destroy();
  }
}
