package dev.strata.support;

import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Strata node in a JVM of its own, started from a YAML file the way a user starts one
 * ({@code java ... dev.strata.cli.Main --conf file}), with JVM options of the test's choosing (a small
 * {@code -Xmx}). Its output goes to {@code target/child-nodes/<name>.log}, printed by {@link #logTail}
 * when a test fails. The admin API is on {@link #adminPort()}; {@link #heapAfterGcMb()} forces a full
 * collection with {@code jcmd} and reads what is left from {@code /health}.
 */
public final class ChildNode implements AutoCloseable {

  private final Process process;
  private final int adminPort;
  private final Path log;
  private final Path conf;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ChildNode(Process process, int adminPort, Path log, Path conf) {
    this.process = process;
    this.conf = conf;
    this.adminPort = adminPort;
    this.log = log;
  }

  /**
   * Starts a node with {@code yaml} as its configuration (its admin section is added here) and
   * returns once {@code /health} answers.
   */
  public static ChildNode start(String name, String yaml, List<String> jvmOptions) {
    return start(name, yaml, jvmOptions, List.of());
  }

  /** As {@link #start(String, String, List)}, with command-line arguments after {@code --conf} (e.g. {@code --cluster}). */
  public static ChildNode start(String name, String yaml, List<String> jvmOptions, List<String> args) {
    try {
      int adminPort = freePort();
      Path dir = Path.of("target", "child-nodes");
      Files.createDirectories(dir);
      Path conf = dir.resolve(name + ".yaml");
      Files.writeString(conf, yaml + "\nadmin:\n  host: 127.0.0.1\n  port: " + adminPort + "\n");
      Path log = dir.resolve(name + ".log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(jvmOptions);
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.strata.cli.Main", "--conf", conf.toString()));
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      ChildNode node = new ChildNode(p, adminPort, log, conf);
      await(name + " answering /health").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            if (!p.isAlive()) {
              throw new IllegalStateException(name + " exited with " + p.exitValue() + ":\n" + node.logTail());
            }
            return node.healthOrNull() != null;
          });
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The process id (for signals: {@code kill -HUP}). */
  public long pid() {
    return process.pid();
  }

  /** The configuration file the node was started with (the test may rewrite it before a reload). */
  public Path confFile() {
    return conf;
  }

  public int adminPort() {
    return adminPort;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** GET on the admin API; the body as JSON. */
  public JsonObject get(String path) {
    return new JsonObject(text(path));
  }

  /** GET on the admin API; the body as text. */
  public String text(String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A POST on the admin API with {@code Authorization: Bearer token} (none when null): the response. */
  public HttpResponse<String> post(String path, String token) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
          .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody());
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonObject healthOrNull() {
    try {
      return get("/health");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The {@code data} of one of {@code /health}'s checks. */
  public JsonObject healthCheck(String id) {
    JsonArray checks = get("/health").getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      JsonObject c = checks.getJsonObject(i);
      if (id.equals(c.getString("id"))) {
        return c;
      }
    }
    throw new IllegalStateException("no health check " + id);
  }

  /** Runs a full collection in the child ({@code jcmd <pid> GC.run}) and returns the heap left in use, in MB. */
  public long heapAfterGcMb() {
    jcmd("GC.run");
    return healthCheck("heap").getJsonObject("data").getLong("usedAfterGcMb");
  }

  private void jcmd(String command) {
    try {
      Process j = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(process.pid()), command).redirectErrorStream(true).start();
      String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!j.waitFor(30, TimeUnit.SECONDS) || j.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + command + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The last lines the node wrote. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Whether the node's log holds {@code text}. */
  public boolean logged(String text) {
    try {
      return Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** Kills the node as {@code kill -9} does: no shutdown hook, no goodbye to the cluster. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the node as {@code kill} (SIGTERM) does, and waits for it to exit; its exit code. */
  public int terminate() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the node did not exit within 60 s of SIGTERM:\n" + logTail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Everything the node wrote so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
