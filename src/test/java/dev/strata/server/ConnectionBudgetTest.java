package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.config.ConfigLoader;
import dev.strata.config.StrataConfig;
import dev.strata.support.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default {@code maxConnections}: a share of what the open-file limit allows, with warnings naming keys. */
class ConnectionBudgetTest {

  private static StrataConfig config(JsonObject raw) {
    return ConfigLoader.bind(raw, Map.of(), Map.of());
  }

  private static JsonObject twoListenersAndABridge() {
    return new JsonObject()
        .put("listeners", new JsonArray().add(TestNodes.listener("a", "lines", "app.a"))
            .add(TestNodes.listener("b", "lines", "app.b")))
        .put("bridge", new JsonObject().put("port", 0));
  }

  @Test
  void unconfiguredListenersShareNinetyPercentOfTheOpenFileLimitLessTheReserve() {
    ConnectionBudget plan = ConnectionBudget.plan(config(twoListenersAndABridge()), 20_000);
    long budget = 18_000 - ConnectionBudget.RESERVE;
    assertThat(plan.budget()).isEqualTo(budget);
    assertThat(plan.maxConnections("a")).isEqualTo((int) (budget / 3));
    assertThat(plan.maxConnections("b")).isEqualTo((int) (budget / 3));
    assertThat(plan.maxConnections("bridge")).isEqualTo((int) (budget / 3));
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void aSmallLimitGivesSmallSharesAndALargeOneKeepsTheFixedDefaults() {
    ConnectionBudget small = ConnectionBudget.plan(config(twoListenersAndABridge()), 1_024);
    assertThat(small.maxConnections("a")).isEqualTo((int) ((921 - ConnectionBudget.RESERVE) / 3));
    ConnectionBudget large = ConnectionBudget.plan(config(twoListenersAndABridge()), 10_000_000);
    assertThat(large.maxConnections("a")).isEqualTo(ConnectionBudget.LISTENER_DEFAULT);
    assertThat(large.maxConnections("bridge")).isEqualTo(ConnectionBudget.BRIDGE_DEFAULT);
  }

  @Test
  void connectorPoolsComeOutOfTheBudget() {
    JsonObject raw = twoListenersAndABridge().put("connectors", new JsonArray().add(new JsonObject()
        .put("name", "redis").put("address", "svc.redis").put("hosts", new JsonArray().add("127.0.0.1:6379"))
        .put("codec", "resp").put("pool", 44)));
    assertThat(ConnectionBudget.plan(config(raw), 20_000).budget()).isEqualTo(18_000 - ConnectionBudget.RESERVE - 44);
  }

  @Test
  void aConfiguredValueAboveTheBudgetIsKeptWithAWarningNamingItsKey() {
    JsonObject raw = twoListenersAndABridge();
    raw.getJsonArray("listeners").getJsonObject(1).put("maxConnections", 100_000);
    ConnectionBudget plan = ConnectionBudget.plan(config(raw), 20_000);
    assertThat(plan.maxConnections("b")).isEqualTo(100_000);
    assertThat(plan.warnings()).singleElement().asString()
        .startsWith("listeners[1].maxConnections: 100000 is above the 17744 connections")
        .contains("open-file limit is 20000").contains("ulimit -n");
  }

  @Test
  void configuredValuesThatTogetherExceedTheBudgetAreNamed() {
    JsonObject raw = twoListenersAndABridge();
    raw.getJsonArray("listeners").getJsonObject(0).put("maxConnections", 9_000);
    raw.getJsonArray("listeners").getJsonObject(1).put("maxConnections", 9_000);
    ConnectionBudget plan = ConnectionBudget.plan(config(raw), 20_000);
    assertThat(plan.warnings()).singleElement().asString()
        .startsWith("listeners[0].maxConnections, listeners[1].maxConnections: together");
  }

  @Test
  void anUnknownLimitKeepsTheFixedDefaults() {
    ConnectionBudget plan = ConnectionBudget.plan(config(twoListenersAndABridge()), -1);
    assertThat(plan.maxConnections("a")).isEqualTo(100_000);
    assertThat(plan.maxConnections("bridge")).isEqualTo(10_000);
    assertThat(plan.warnings()).isEmpty();
  }

  @Test
  void thisProcessesLimitIsRead() {
    assertThat(ConnectionBudget.processFileLimit()).as("Linux: the JVM's open-file limit").isGreaterThan(0);
  }
}
