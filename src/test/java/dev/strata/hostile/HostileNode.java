package dev.strata.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.server.Strata;
import dev.strata.stream.CloseReason;
import dev.strata.stream.ClosedConnection;
import dev.strata.support.LineClient;
import dev.strata.support.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real node for the hostile suites (one per layer): its listeners, over real sockets, and a canary
 * connection on a listener of its own doing echo round trips on its own thread for the whole suite.
 * After each scenario {@link #settle()} checks that the canary still answers and that the node holds
 * no connection but the canary's; at the end {@link #close()} checks the canary never failed.
 */
final class HostileNode implements AutoCloseable {

  static final String CANARY = "canary";

  final Vertx vertx = Vertx.vertx();
  final Strata strata;
  private final Thread canary;
  private volatile boolean stopping;
  private final AtomicLong rounds = new AtomicLong();
  private final List<String> canaryFailures = new CopyOnWriteArrayList<>();

  /** Starts a node with {@code listeners} plus the canary's, and the apps the suites use. */
  HostileNode(JsonArray listeners, JsonObject extra) {
    vertx.eventBus().consumer("app.mirror", m -> m.reply(m.body())).completion().await();
    vertx.eventBus().consumer("app.fail", m -> m.fail(500, "boom")).completion().await();
    vertx.eventBus().consumer("app.silent", m -> { }).completion().await(); // never answers
    vertx.eventBus().consumer("app.slow", m -> vertx.setTimer(1, id -> m.reply(m.body()))).completion().await();
    JsonArray all = listeners.copy().add(TestNodes.listener(CANARY, "lines", "app.mirror"));
    strata = TestNodes.start(vertx, extra.copy().put("listeners", all).put("admin", new JsonObject().put("enabled", false)));
    canary = new Thread(this::canary, "canary");
    canary.setDaemon(true);
    canary.start();
    await("the canary's first round trip").atMost(Duration.ofSeconds(10)).until(() -> rounds.get() > 0);
  }

  int port(String listener) {
    return strata.port(listener);
  }

  private void canary() {
    try (LineClient c = new LineClient(port(CANARY))) {
      c.socket().setSoTimeout(5_000);
      for (long i = 0; !stopping; i++) {
        String sent = "canary-" + i;
        String got = c.request(sent);
        if (!sent.equals(got)) {
          canaryFailures.add("round " + i + ": sent " + sent + ", got " + got);
          return;
        }
        rounds.incrementAndGet();
      }
    } catch (IOException e) {
      if (!stopping) {
        canaryFailures.add("after " + rounds.get() + " rounds: " + e);
      }
    }
  }

  /**
   * After a scenario: the canary has done more round trips since, has never failed, and every
   * connection but its own is gone (nothing leaked in the registry).
   */
  void settle() {
    long now = rounds.get();
    await("the canary answers after the scenario").atMost(Duration.ofSeconds(10))
        .until(() -> rounds.get() > now + 10 || !canaryFailures.isEmpty());
    assertThat(canaryFailures).as("canary failures").isEmpty();
    await("only the canary's connection is left").atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(strata.registry().size()).isEqualTo(1));
  }

  /** Awaits a connection of {@code listener} closed for {@code reason}, as the registry recorded it. */
  void awaitClosed(String listener, CloseReason reason) {
    await(listener + " closed: " + reason.text()).atMost(Duration.ofSeconds(10)).until(() ->
        strata.registry().recentlyClosed().stream()
            .anyMatch(c -> c.listener().equals(listener) && c.closeReason() == reason));
  }

  List<ClosedConnection> closed(String listener) {
    return strata.registry().recentlyClosed().stream().filter(c -> c.listener().equals(listener)).toList();
  }

  @Override
  public void close() {
    stopping = true;
    try {
      assertThat(canaryFailures).as("canary failures").isEmpty();
      assertThat(rounds.get()).as("canary round trips").isPositive();
    } finally {
      strata.stop().await();
      vertx.close().await();
    }
  }
}
