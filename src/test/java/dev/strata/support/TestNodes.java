package dev.strata.support;

import dev.strata.config.ConfigLoader;
import dev.strata.config.StrataConfig;
import dev.strata.server.Strata;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** Starts Strata nodes from YAML-like JSON in tests, on port 0 with one instance per listener. */
public final class TestNodes {

  private TestNodes() {
  }

  /** Binds raw config the way the loader does (no environment), then starts it. */
  public static Strata start(Vertx vertx, JsonObject raw) {
    StrataConfig config = ConfigLoader.bind(raw, Map.of(), Map.of());
    return Strata.start(vertx, config).await();
  }

  public static JsonObject listener(String name, String codec, String address) {
    return new JsonObject().put("name", name).put("host", "127.0.0.1").put("port", 0)
        .put("codec", codec).put("address", address).put("instances", 1);
  }

  public static JsonObject app(String verticle) {
    return new JsonObject().put("verticle", verticle).put("instances", 1);
  }

  /** The default node's shape (echo, kv-lines) on free ports. */
  public static JsonObject defaultNode() {
    return new JsonObject()
        .put("listeners", new io.vertx.core.json.JsonArray()
            .add(listener("echo", "lines", "app.echo"))
            .add(listener("kv-lines", "lines", "app.kv")))
        .put("apps", new io.vertx.core.json.JsonArray()
            .add(app("dev.strata.apps.EchoVerticle"))
            .add(app("dev.strata.apps.KvVerticle")))
        .put("admin", new JsonObject().put("enabled", false));
  }
}
