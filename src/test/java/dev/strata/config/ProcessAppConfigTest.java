package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** apps[] entries with {@code process}: defaults, and every mistake named by its key's path. */
class ProcessAppConfigTest {

  private static StrataConfig bind(JsonObject app, boolean bridge) {
    JsonObject raw = new JsonObject().put("apps", new JsonArray().add(app));
    if (bridge) {
      raw.put("bridge", new JsonObject().put("port", 0));
    }
    return ConfigLoader.bind(raw, Map.of(), Map.of());
  }

  private static JsonObject greet() {
    return new JsonObject().put("process", new JsonArray().add("python3").add("verticles/greet.py"))
        .put("address", "app.greet");
  }

  @Test
  void processAppGetsItsNameFromTheScriptAndOneInstance() {
    AppConfig app = bind(greet(), true).apps().get(0);
    assertThat(app.name()).isEqualTo("greet");
    assertThat(app.process()).isEqualTo(List.of("python3", "verticles/greet.py"));
    assertThat(app.instances()).isEqualTo(1);
    assertThat(app.restart().initial()).isEqualTo(Duration.ofMillis(200));
    assertThat(app.restart().max()).isEqualTo(Duration.ofSeconds(30));
    assertThat(app.stopTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void readsEnvRestartAndStopTimeout() {
    AppConfig app = bind(greet().put("env", new JsonObject().put("GREETING", "hi"))
        .put("restart", new JsonObject().put("initial", "50ms").put("max", "2s")).put("stopTimeout", "1s"), true)
        .apps().get(0);
    assertThat(app.env()).containsEntry("GREETING", "hi");
    assertThat(app.restart().initial()).isEqualTo(Duration.ofMillis(50));
    assertThat(app.restart().max()).isEqualTo(Duration.ofSeconds(2));
    assertThat(app.stopTimeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void processAppWithoutTheBridgeNamesTheKey() {
    assertThatThrownBy(() -> bind(greet(), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("apps[0].process: needs the event-bus bridge");
  }

  @Test
  void processAppWithoutAnAddressNamesTheKey() {
    JsonObject app = greet();
    app.remove("address");
    assertThatThrownBy(() -> bind(app, true)).hasMessageStartingWith("apps[0].address: is required with process");
  }

  @Test
  void verticleAndProcessTogetherAreRefused() {
    assertThatThrownBy(() -> bind(greet().put("verticle", "dev.strata.apps.EchoVerticle"), true))
        .hasMessageStartingWith("apps[0].process: give either verticle or process");
  }

  @Test
  void haIsRefusedForAProcessApp() {
    assertThatThrownBy(() -> bind(greet().put("ha", true), true))
        .hasMessageStartingWith("apps[0].ha: is for verticle applications");
  }

  @Test
  void emptyCommandAndBadRestartAreNamed() {
    assertThatThrownBy(() -> bind(greet().put("process", new JsonArray()), true))
        .hasMessageStartingWith("apps[0].process: must be a non-empty list");
    assertThatThrownBy(() -> bind(greet().put("restart", new JsonObject().put("initial", "2s").put("max", "1s")), true))
        .hasMessageStartingWith("apps[0].restart.max:");
  }
}
