package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.server.Strata;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The {@code connectors} section: defaults, and every bad key refused at start-up with its path. */
@ExtendWith(VertxExtension.class)
class ConnectorConfigTest {

  private static JsonObject connector(String name) {
    return new JsonObject().put("name", name).put("address", "svc." + name)
        .put("hosts", new JsonArray().add("127.0.0.1:6379")).put("codec", "resp");
  }

  private static JsonObject config(JsonObject... connectors) {
    JsonArray a = new JsonArray();
    for (JsonObject c : connectors) {
      a.add(c);
    }
    return new JsonObject().put("connectors", a);
  }

  private static StrataConfig bind(JsonObject raw) {
    return ConfigLoader.bind(raw, Map.of(), Map.of());
  }

  @Test
  void theDefaultFileHasTheRedisConnectorTheCacheAndTheGateway(Vertx vertx) {
    StrataConfig c = ConfigLoader.load(vertx, Path.of("conf/strata.yaml")).await();
    ConnectorConfig redis = c.connectors().get(0);
    assertThat(redis.name()).isEqualTo("redis");
    assertThat(redis.address()).isEqualTo("svc.redis");
    assertThat(redis.hosts()).containsExactly("127.0.0.1:6379");
    assertThat(redis.correlation()).isEqualTo(CorrelationMode.PIPELINED);
    assertThat(redis.pool()).isEqualTo(4);
    assertThat(redis.maxInFlight()).isEqualTo(256);
    assertThat(redis.maxWaiting()).isEqualTo(1024);
    assertThat(redis.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(redis.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(redis.reconnect().initial()).isEqualTo(Duration.ofMillis(100));
    assertThat(redis.reconnect().max()).isEqualTo(Duration.ofSeconds(10));
    assertThat(redis.circuitBreaker().failures()).isEqualTo(5);
    assertThat(redis.circuitBreaker().reset()).isEqualTo(Duration.ofSeconds(5));
    assertThat(redis.retries()).isZero();
    assertThat(c.listeners()).filteredOn(l -> l.name().equals("gateway")).singleElement()
        .extracting(ListenerConfig::address).isEqualTo("svc.redis");
    assertThat(c.listeners()).filteredOn(l -> l.name().equals("cache")).singleElement()
        .extracting(ListenerConfig::address).isEqualTo("app.cache");
    assertThat(c.apps()).extracting(AppConfig::verticle).contains("dev.strata.apps.CacheVerticle");
  }

  @Test
  void readsEveryKeyFromYaml(Vertx vertx, @TempDir Path dir) throws Exception {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, """
        connectors:
          - name: rpc
            address: svc.rpc
            hosts: [10.0.0.1:9000, "[::1]:9001"]
            codec: length
            codecOptions: {tagBytes: 4}
            maxFrameBytes: 4096
            correlation: multiplexed
            pool: 2
            maxInFlight: 64
            maxWaiting: 10
            requestTimeout: 250ms
            connectTimeout: 3s
            reconnect: {initial: 20ms, max: 1s}
            circuitBreaker: {failures: 3, reset: 2s}
            retries: 1
        """);
    ConnectorConfig rpc = ConfigLoader.load(vertx, f).await().connectors().get(0);
    assertThat(rpc.hosts()).containsExactly("10.0.0.1:9000", "[::1]:9001");
    assertThat(rpc.codecOptions()).containsEntry("tagBytes", 4);
    assertThat(rpc.correlation()).isEqualTo(CorrelationMode.MULTIPLEXED);
    assertThat(rpc.requestTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(rpc.reconnect().max()).isEqualTo(Duration.ofSeconds(1));
    assertThat(rpc.circuitBreaker().failures()).isEqualTo(3);
    assertThat(rpc.retries()).isEqualTo(1);
  }

  @Test
  void refusesAHostThatIsNotHostAndPort() {
    assertThatThrownBy(() -> bind(config(connector("a").put("hosts", new JsonArray().add("localhost")))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("connectors[0].hosts[0]: 'localhost' is not host:port");
    assertThatThrownBy(() -> bind(config(connector("a").put("hosts", new JsonArray().add("127.0.0.1:1").add("h:99999")))))
        .hasMessage("connectors[0].hosts[1]: 'h:99999': port '99999' is not in 1..65535");
    assertThatThrownBy(() -> bind(config(connector("a").put("hosts", new JsonArray()))))
        .hasMessage("connectors[0].hosts: is required: a list of host:port");
  }

  @Test
  void refusesMultiplexedCorrelationOverACodecWithoutTags() {
    assertThatThrownBy(() -> bind(config(connector("a").put("correlation", "multiplexed"))))
        .hasMessage("connectors[0].correlation: multiplexed needs a codec whose frames carry a tag "
            + "(json, or length with codecOptions.tagBytes); codec resp has none");
    assertThatThrownBy(() -> bind(config(connector("a").put("codec", "length").put("correlation", "multiplexed"))))
        .hasMessageStartingWith("connectors[0].correlation: multiplexed needs a codec whose frames carry a tag");
    assertThat(bind(config(connector("a").put("codec", "length").put("correlation", "multiplexed")
        .put("codecOptions", new JsonObject().put("tagBytes", 4)))).connectors().get(0).correlation())
        .isEqualTo(CorrelationMode.MULTIPLEXED);
    assertThatThrownBy(() -> bind(config(connector("a").put("correlation", "sometimes"))))
        .hasMessageStartingWith("connectors[0].correlation: 'sometimes' is not a correlation");
  }

  @Test
  void refusesDuplicateNamesAndAddresses() {
    assertThatThrownBy(() -> bind(config(connector("a"), connector("a").put("address", "svc.other"))))
        .hasMessage("connectors[1].name: duplicate connector name 'a'");
    assertThatThrownBy(() -> bind(config(connector("a"), connector("b").put("address", "svc.a"))))
        .hasMessage("connectors[1].address: address 'svc.a' is already served by another connector");
  }

  @Test
  void refusesAReconnectMaxBelowItsInitialDelay() {
    assertThatThrownBy(() -> bind(config(connector("a")
        .put("reconnect", new JsonObject().put("initial", "500ms").put("max", "100ms")))))
        .hasMessage("connectors[0].reconnect.max: 100 ms must be >= reconnect.initial (500 ms)");
  }

  @Test
  void refusesOutOfRangeNumbersBadCodecsAndUnknownKeys() {
    assertThatThrownBy(() -> bind(config(connector("a").put("pool", 0))))
        .hasMessage("connectors[0].pool: 0 must be > 0");
    assertThatThrownBy(() -> bind(config(connector("a").put("retries", 11))))
        .hasMessage("connectors[0].retries: 11 must be in 0..10");
    assertThatThrownBy(() -> bind(config(connector("a").put("circuitBreaker", new JsonObject().put("failures", 0)))))
        .hasMessage("connectors[0].circuitBreaker.failures: 0 must be > 0");
    assertThatThrownBy(() -> bind(config(connector("a").put("requestTimeout", "soon"))))
        .hasMessageStartingWith("connectors[0].requestTimeout: ").hasMessageContaining("not a duration");
    assertThatThrownBy(() -> bind(config(connector("a").put("codec", "morse"))))
        .hasMessageStartingWith("connectors[0].codec: unknown codec 'morse'; known: [");
    assertThatThrownBy(() -> bind(config(connector("a").put("codec", "length")
        .put("codecOptions", new JsonObject().put("tagBytes", 3)))))
        .hasMessage("connectors[0].codecOptions: tagBytes 3 must be 1, 2, 4 or 8");
    assertThatThrownBy(() -> bind(config(connector("a").put("poool", 2))))
        .hasMessageStartingWith("connectors[0].poool: unknown key").hasMessageContaining("pool");
    assertThatThrownBy(() -> bind(config(connector("a").putNull("address"))))
        .hasMessage("connectors[0].address: is required");
  }

  @Test
  void appliesOverridesToAConnectorByName() {
    StrataConfig c = ConfigLoader.bind(config(connector("redis")),
        Map.of("STRATA_CONNECTORS_REDIS_POOL", "2"), Map.of("strata.connectors.redis.requestTimeout", "300ms"));
    assertThat(c.connectors().get(0).pool()).isEqualTo(2);
    assertThat(c.connectors().get(0).requestTimeout()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void aNodeWithABadConnectorDoesNotStart(Vertx vertx, @TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, """
        connectors:
          - name: redis
            address: svc.redis
            hosts: [localhost]
            codec: resp
        """);
    assertThatThrownBy(() -> ConfigLoader.load(vertx, f).compose(config -> Strata.start(vertx, config)).await())
        .isInstanceOf(ConfigException.class)
        .hasMessage("connectors[0].hosts[0]: 'localhost' is not host:port");
  }
}
