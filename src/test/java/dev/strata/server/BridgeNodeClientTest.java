package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Vert.x project's own Node.js client of the TCP event-bus bridge ({@code vertx3-tcp-eventbus-client}
 * from the npm registry), unchanged, against Strata's bridge: a request with headers and its reply, a
 * failure delivered to the reply callback, a publish, and a registered handler that receives a publish
 * and answers a request ({@code src/test/node/bridge_vertx_client.js}, run as a child process).
 * {@code .ci/run} installs the client; this test also runs {@code npm ci} when it is missing.
 */
@ExtendWith(VertxExtension.class)
class BridgeNodeClientTest {

  private static final Path NODE_DIR = Path.of("src/test/node");

  private Strata strata;
  private final BlockingQueue<Message<Object>> sunk = new LinkedBlockingQueue<>();

  @BeforeEach
  void start(Vertx vertx) {
    vertx.eventBus().consumer("app.node.echo", m -> m.reply(m.body(), new DeliveryOptions().setHeaders(m.headers())))
        .completion().await();
    vertx.eventBus().consumer("app.node.fail", m -> m.fail(42, "nope")).completion().await();
    vertx.eventBus().consumer("app.node.sink", sunk::add).completion().await();
    // the script's cue that it registered app.node.calc: publish to it, ask it, and pass its answer back
    vertx.eventBus().consumer("app.node.ready", ready -> {
      vertx.eventBus().publish("app.node.calc", "news", new DeliveryOptions().addHeader("kind", "news"));
      vertx.eventBus().request("app.node.calc", new JsonObject().put("a", 2).put("b", 3))
          .onSuccess(answer -> ready.reply(answer.body()))
          .onFailure(e -> ready.fail(500, "the node client did not answer: " + e.getMessage()));
    }).completion().await();
    strata = TestNodes.start(vertx, TestNodes.defaultNode().put("bridge", new JsonObject().put("port", 0)));
  }

  @AfterEach
  void stop() {
    strata.stop().await();
  }

  @Test
  void theVertxNodeClientSendsPublishesRegistersAndAnswers() throws Exception {
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/vertx3-tcp-eventbus-client"))) {
      Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", NODE_DIR.toString()), 180);
      assertThat(install.exit()).as("the client is not installed and 'npm ci --prefix %s' failed:%n%s", NODE_DIR,
          install.output()).isZero();
    }
    Run run = run(List.of("node", NODE_DIR.resolve("bridge_vertx_client.js").toString(),
        Integer.toString(strata.port("bridge"))), 60);
    assertThat(run.exit()).as("the node client's script said:%n%s", run.output()).isZero();
    // the client warns on stderr about the pong of its keep-alive ping (it looks for a handler by address)
    assertThat(run.output()).endsWith("ok");

    Message<Object> published = sunk.poll(5, TimeUnit.SECONDS);
    assertThat(published).isNotNull();
    assertThat(published.body()).isEqualTo(new JsonObject().put("published", true));
    assertThat(published.headers().get("origin")).isEqualTo("node");
    assertThat(published.isSend()).isFalse();
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
          + "): .ci/run installs Node.js", e);
    }
    p.getOutputStream().close();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
    }
    return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
  }
}
