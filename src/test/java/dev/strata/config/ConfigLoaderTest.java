package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

/** Binding and validation: every bad file names the key's path and the reason. */
@ExtendWith(VertxExtension.class)
class ConfigLoaderTest {

  private static JsonObject listener(String name, int port) {
    return new JsonObject().put("name", name).put("port", port).put("codec", "lines").put("address", "app.echo");
  }

  private static JsonObject config(JsonObject... listeners) {
    JsonArray a = new JsonArray();
    for (JsonObject l : listeners) {
      a.add(l);
    }
    return new JsonObject().put("listeners", a);
  }

  private static StrataConfig bind(JsonObject raw) {
    return ConfigLoader.bind(raw, Map.of(), Map.of());
  }

  @Test
  void loadsTheDefaultConfigurationFile(Vertx vertx) {
    StrataConfig c = ConfigLoader.load(vertx, Path.of("conf/strata.yaml")).await();
    assertThat(c.listeners()).extracting(ListenerConfig::name).contains("echo", "kv-lines");
    ListenerConfig echo = c.listeners().get(0);
    assertThat(echo.port()).isEqualTo(7070);
    assertThat(echo.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(echo.onFrameError()).isEqualTo(FrameErrorPolicy.CLOSE);
    assertThat(c.admin().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void readsYamlWithDurationsAndPolicies(Vertx vertx, @TempDir Path dir) throws Exception {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, """
        listeners:
          - name: a
            port: 9000
            codec: length
            address: app.a
            requestTimeout: 250ms
            idleTimeout: 2m
            onFrameError: error-and-resync
        """);
    ListenerConfig a = ConfigLoader.load(vertx, f).await().listeners().get(0);
    assertThat(a.requestTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(a.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(a.onFrameError()).isEqualTo(FrameErrorPolicy.ERROR_AND_RESYNC);
  }

  @Test
  void refusesAnUnknownKeyNamingItsPath() {
    assertThatThrownBy(() -> bind(config(listener("a", 1).put("prot", 5))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("listeners[0].prot: unknown key")
        .hasMessageContaining("port");
  }

  @Test
  void theHardeningKeysNameTheirPathWhenWrong() {
    assertThatThrownBy(() -> bind(config(listener("a", 1).put("rateLimit", new JsonObject().put("burst", 5)))))
        .hasMessage("listeners[0].rateLimit.perSecond: is required: requests per second, > 0");
    assertThatThrownBy(() -> bind(config(listener("a", 1).put("maxConnectionsPerIp", -1))))
        .hasMessageStartingWith("listeners[0].maxConnectionsPerIp: -1 must be >= 0");
    assertThatThrownBy(() -> bind(config(listener("a", 1).put("frameTimeout", "soon"))))
        .hasMessageStartingWith("listeners[0].frameTimeout: ");
    ListenerConfig ok = bind(config(listener("a", 1).put("idleTimeout", "250ms").put("frameTimeout", "0")))
        .listeners().get(0);
    assertThat(ok.idleTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(ok.frameTimeout()).isEqualTo(Duration.ZERO);
  }

  @Test
  void refusesAWrongType() {
    assertThatThrownBy(() -> bind(config(listener("a", 1).put("port", "seventy"))))
        .hasMessageStartingWith("listeners[0].port: ");
  }

  @Test
  void refusesAPortOutOfRange() {
    assertThatThrownBy(() -> bind(config(listener("a", 1), listener("b", 70000))))
        .hasMessage("listeners[1].port: 70000 is out of range 0..65535");
  }

  @Test
  void refusesAnUnknownCodec() {
    assertThatThrownBy(() -> bind(config(listener("a", 1).put("codec", "morse"))))
        .hasMessageStartingWith("listeners[0].codec: unknown codec 'morse'; known: [");
  }

  @Test
  void refusesDuplicateListenerNamesAndPorts() {
    assertThatThrownBy(() -> bind(config(listener("a", 1), listener("a", 2))))
        .hasMessage("listeners[1].name: duplicate listener name 'a'");
    assertThatThrownBy(() -> bind(config(listener("a", 1), listener("b", 1))))
        .hasMessage("listeners[1].port: port 1 is already used by listener 'a'");
  }

  @Test
  void refusesABadBridgeNamingTheKey() {
    assertThatThrownBy(() -> bind(config(listener("a", 1)).put("bridge", new JsonObject().put("inbound",
        new io.vertx.core.json.JsonArray().add("app\\..+").add("app.(")))))
        .hasMessageStartingWith("bridge.inbound[1]: 'app.(' is not a regular expression");
    assertThatThrownBy(() -> bind(config(listener("a", 7000)).put("bridge", new JsonObject())))
        .hasMessage("bridge.port: port 7000 is already used by listener 'a'");
    assertThat(bind(config(listener("a", 1))).bridge().enabled()).as("no section, no bridge").isFalse();
  }

  @Test
  void guardsHaveDocumentedDefaultsAndBadValuesNameTheirKey() {
    StrataConfig c = bind(config(listener("a", 1)).put("bridge", new JsonObject()));
    assertThat(c.bridge().maxRegistrations()).isEqualTo(1_000);
    assertThat(c.bridge().maxInFlight()).isEqualTo(256);
    assertThat(c.listeners().get(0).maxConnections()).as("worked out from the open-file limit at start").isNull();
    assertThat(c.admin().allowedHosts()).isEmpty();
    assertThat(c.admin().health().maxHeapAfterGc()).isEqualTo(0.9);
    assertThat(c.admin().health().maxEventLoopDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> bind(config(listener("a", 1)).put("bridge", new JsonObject().put("maxRegistrations", 0))))
        .hasMessage("bridge.maxRegistrations: 0 must be > 0");
    assertThatThrownBy(() -> bind(config(listener("a", 1)).put("bridge", new JsonObject().put("maxInFlight", -1))))
        .hasMessage("bridge.maxInFlight: -1 must be > 0");
    assertThatThrownBy(() -> bind(config(listener("a", 1)).put("admin", new JsonObject()
        .put("health", new JsonObject().put("maxHeapAfterGc", 90)))))
        .hasMessageStartingWith("admin.health.maxHeapAfterGc: 90.0 must be a fraction");
    assertThatThrownBy(() -> bind(config(listener("a", 1).put("maxConnections", 0))))
        .hasMessage("listeners[0].maxConnections: 0 must be > 0");
  }

  @Test
  void refusesBadDurationsPoliciesAndMissingKeys() {
    assertThatThrownBy(() -> bind(config(listener("a", 1).put("requestTimeout", "soon"))))
        .hasMessageStartingWith("listeners[0].requestTimeout: ").hasMessageContaining("not a duration");
    assertThatThrownBy(() -> bind(config(listener("a", 1).put("onFrameError", "explode"))))
        .hasMessageStartingWith("listeners[0].onFrameError: ").hasMessageContaining("close or error-and-resync");
    assertThatThrownBy(() -> bind(config(listener("a", 1).putNull("address"))))
        .hasMessage("listeners[0].address: is required");
  }

  @Test
  void refusesUnknownCodecOptionsAndMissingVerticles() {
    assertThatThrownBy(() -> bind(config(listener("a", 1).put("codecOptions", new JsonObject().put("strip", true)))))
        .hasMessageStartingWith("listeners[0].codecOptions: unknown option(s) [strip]");
    JsonObject raw = config(listener("a", 1)).put("apps", new JsonArray().add(new JsonObject().put("verticle", "no.Such")));
    assertThatThrownBy(() -> bind(raw)).hasMessage("apps[0].verticle: class no.Such not found");
  }

  @Test
  void appliesEnvironmentAndSystemPropertyOverrides() {
    JsonObject raw = config(listener("echo", 7070), listener("kv-lines", 7071));
    StrataConfig c = ConfigLoader.bind(raw,
        Map.of("STRATA_LISTENERS_KV_LINES_PORT", "9999", "STRATA_LISTENERS_ECHO_MAXINFLIGHT", "8"),
        Map.of("strata.admin.port", "18080"));
    assertThat(c.listeners().get(1).port()).isEqualTo(9999);
    assertThat(c.listeners().get(0).maxInFlight()).isEqualTo(8);
    assertThat(c.admin().port()).isEqualTo(18080);
    assertThatThrownBy(() -> ConfigLoader.bind(raw, Map.of("STRATA_LISTENERS_NOPE_PORT", "1"), Map.of()))
        .hasMessage("environment variable STRATA_LISTENERS_NOPE_PORT: matches no configuration key");
  }

  @Test
  void reportsAMissingFile(Vertx vertx) {
    assertThatThrownBy(() -> ConfigLoader.load(vertx, Path.of("nope.yaml")).await())
        .hasMessage("config file nope.yaml not found");
  }
}
