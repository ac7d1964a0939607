package dev.strata.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} for a test class: started on a free port of 127.0.0.1 with no
 * persistence ({@code --save '' --appendonly no}), stopped and started again on the same port to test
 * reconnection. {@code .ci/run} installs redis-server; {@code REDIS_SERVER} names another binary.
 *
 * <pre>{@code
 * static RedisServer redis;
 * @BeforeAll static void up() { redis = RedisServer.start(); }
 * @AfterAll static void down() { redis.close(); }
 * }</pre>
 */
public final class RedisServer implements AutoCloseable {

  private final int port;
  private Process process;

  private RedisServer(int port) {
    this.port = port;
  }

  /** A new redis-server on a free port, answering PING when this returns. */
  public static RedisServer start() {
    RedisServer r = new RedisServer(freePort());
    r.restart();
    return r;
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:<port>}, as a connector's {@code hosts} entry. */
  public String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** A Jedis client straight to the server (not through Strata). */
  public Jedis jedis() {
    return new Jedis("127.0.0.1", port);
  }

  /** Starts the server (again) on its port; returns once it answers PING. */
  public synchronized RedisServer restart() {
    if (process != null && process.isAlive()) {
      return this;
    }
    try {
      process = new ProcessBuilder(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server (install it, or set REDIS_SERVER): " + e.getMessage(), e);
    }
    Process p = process;
    await("redis-server on " + port).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> {
          if (!p.isAlive()) {
            throw new IllegalStateException("redis-server exited with " + p.exitValue() + " (port " + port + " taken?)");
          }
          return answersPing();
        });
    return this;
  }

  /** Stops the server (SIGTERM, then SIGKILL); returns once its port refuses connections. */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    await("redis-server on " + port + " stopped").atMost(Duration.ofSeconds(10)).until(() -> !accepts());
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  @Override
  public void close() {
    stop();
  }

  private boolean answersPing() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(500);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String binary() {
    String configured = System.getenv("REDIS_SERVER");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    return "redis-server";
  }

  /** A port free at the time of asking (the server binds it a moment later). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
