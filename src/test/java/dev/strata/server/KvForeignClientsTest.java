package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kv application as users of the most used Python and Node.js clients meet it: redis-py 8 (from
 * PyPI, which opens with {@code HELLO 3}) and ioredis (from the npm registry), unchanged and in their
 * default settings, each a script run as a child process against a node started here
 * ({@code src/test/python}, {@code src/test/node}). {@code .ci/run} installs both; ioredis is also
 * installed here when missing ({@code npm ci} into {@code src/test/node/node_modules}, which git
 * ignores). A missing client fails the test with the command that installs it: it never skips.
 */
@ExtendWith(VertxExtension.class)
class KvForeignClientsTest {

  private static final Path PYTHON_SCRIPT = Path.of("src/test/python/kv_redis_py.py");
  private static final Path NODE_DIR = Path.of("src/test/node");

  private Strata strata;

  @BeforeEach
  void start(Vertx vertx) {
    strata = TestNodes.start(vertx, TestNodes.defaultNode().put("listeners",
        new JsonArray().add(TestNodes.listener("kv", "resp", "app.kv"))));
  }

  @AfterEach
  void stop() {
    strata.stop().await();
  }

  @Test
  void redisPyWithItsDefaultsSetsGetsCountsPipelinesAndScans() throws Exception {
    Run run = run(List.of("python3", PYTHON_SCRIPT.toString(), Integer.toString(strata.port("kv"))), 60);
    assertThat(run.exit()).as("redis-py's script said:%n%s", run.output()).isZero();
    assertThat(run.output()).isEqualTo("ok");
  }

  @Test
  void ioredisWithItsDefaultsSetsGetsRunsMultiAndIsAbortedByWatch() throws Exception {
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/ioredis"))) {
      Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", NODE_DIR.toString()), 180);
      assertThat(install.exit()).as("ioredis is not installed and 'npm ci --prefix %s' failed:%n%s", NODE_DIR,
          install.output()).isZero();
    }
    Run run = run(List.of("node", NODE_DIR.resolve("kv_ioredis.js").toString(), Integer.toString(strata.port("kv"))), 60);
    assertThat(run.exit()).as("ioredis's script said:%n%s", run.output()).isZero();
    assertThat(run.output()).isEqualTo("ok");
  }

  private record Run(int exit, String output) {
  }

  /** Runs {@code command} from the project's directory, its output and errors merged. */
  private static Run run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(command.get(0) + " cannot be started (" + e.getMessage()
          + "): .ci/run installs Node.js and the Python client", e);
    }
    p.getOutputStream().close();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
    }
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
  }
}
