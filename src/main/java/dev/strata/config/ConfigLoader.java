package dev.strata.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.strata.framing.Codecs;
import dev.strata.framing.FrameCodec;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads {@code strata.yaml} with vertx-config, applies environment and system-property overrides,
 * binds it to {@link StrataConfig} and validates it. Every error is a {@link ConfigException} naming
 * the key's path: {@code listeners[1].port: 70000 is out of range 0..65535}.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "STRATA_";
  public static final String SYS_PREFIX = "strata.";

  private static final ObjectMapper MAPPER = DatabindCodec.mapper().copy()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private ConfigLoader() {
  }

  /** Loads and validates the file, with overrides from this process's environment and properties. */
  public static Future<StrataConfig> load(Vertx vertx, Path file) {
    if (!Files.isRegularFile(file)) {
      return Future.failedFuture(new ConfigException("", "config file " + file + " not found"));
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false)
        .addStore(new ConfigStoreOptions().setType("file").setFormat("yaml")
            .setConfig(new JsonObject().put("path", file.toString())))
        .addStore(new ConfigStoreOptions().setType("env").setConfig(new JsonObject().put("raw-data", true)))
        .addStore(new ConfigStoreOptions().setType("sys").setConfig(new JsonObject().put("raw-data", true)
            .put("hierarchical", false))));
    return retriever.getConfig()
        .eventually(retriever::close)
        .recover(err -> Future.failedFuture(new ConfigException("", "cannot read " + file + ": " + rootMessage(err))))
        .map(merged -> {
          Map<String, String> env = strings(merged, ENV_PREFIX);
          Map<String, String> sys = strings(merged, SYS_PREFIX);
          JsonObject yaml = merged.copy();
          env.keySet().forEach(yaml::remove);
          sys.keySet().forEach(yaml::remove);
          yaml.fieldNames().removeIf(k -> !k.equals("listeners") && !k.equals("connectors") && !k.equals("apps")
              && !k.equals("admin") && !k.equals("cluster") && !k.equals("bridge")
              && !k.equals("limits")
              && (System.getenv(k) != null || System.getProperty(k) != null));
          return bind(yaml, env, sys);
        });
  }

  /** Binds raw configuration (as read from YAML) plus overrides; public for tests and check-config. */
  public static StrataConfig bind(JsonObject raw, Map<String, String> env, Map<String, String> sys) {
    JsonObject json = raw.copy();
    Overrides.apply(json, env, ENV_PREFIX, "_", "environment variable");
    Overrides.apply(json, sys, SYS_PREFIX, ".", "system property");
    StrataConfig config;
    try {
      config = MAPPER.convertValue(json.getMap(), StrataConfig.class);
    } catch (IllegalArgumentException e) {
      throw translate(e);
    }
    validateReferences(config);
    return config;
  }

  private static void validateReferences(StrataConfig config) {
    for (int i = 0; i < config.listeners().size(); i++) {
      ListenerConfig l = config.listeners().get(i);
      checkCodec("listeners[" + i + "]", l.codec(), l.maxFrameBytes(), l.codecOptions(), l.correlation());
    }
    for (int i = 0; i < config.connectors().size(); i++) {
      ConnectorConfig c = config.connectors().get(i);
      checkCodec("connectors[" + i + "]", c.codec(), c.maxFrameBytes(), c.codecOptions(), c.correlation());
    }
    for (int i = 0; i < config.apps().size(); i++) {
      String cls = config.apps().get(i).verticle();
      if (cls == null) {
        continue; // a process application: its command is checked when it starts (a missing one is logged, not fatal)
      }
      try {
        Class.forName(cls, false, ConfigLoader.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new ConfigException("apps[" + i + "].verticle", "class " + cls + " not found");
      }
    }
  }

  /** A listener's or connector's codec: known, with valid options, and with tags when multiplexed. */
  private static void checkCodec(String at, String name, Integer maxFrameBytes, Map<String, Object> options,
      CorrelationMode correlation) {
    if (!Codecs.exists(name)) {
      throw new ConfigException(at + ".codec", "unknown codec '" + name + "'; known: " + Codecs.names());
    }
    FrameCodec<?> codec;
    try {
      codec = Codecs.create(name, maxFrameBytes, options);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(at + ".codecOptions", e.getMessage());
    }
    if (correlation == CorrelationMode.MULTIPLEXED && codec.tagging() == null) {
      throw new ConfigException(at + ".correlation", "multiplexed needs a codec whose frames carry a tag "
          + "(json, or length with codecOptions.tagBytes); codec " + name + " has none");
    }
  }

  /** Jackson's error, re-said as key path + reason. */
  private static ConfigException translate(IllegalArgumentException e) {
    Throwable t = e.getCause() != null ? e.getCause() : e;
    String path = t instanceof JsonMappingException jm ? path(jm) : "";
    ConfigException inner = find(t);
    if (inner != null) {
      return inner.under(path);
    }
    if (t instanceof UnrecognizedPropertyException u) {
      String known = u.getKnownPropertyIds() == null ? "" : "; known: "
          + u.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
      return new ConfigException(path, "unknown key" + known);
    }
    String msg = t instanceof JsonMappingException jm ? jm.getOriginalMessage() : t.getMessage();
    return new ConfigException(path, simplify(msg));
  }

  private static ConfigException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConfigException ce) {
        return ce;
      }
    }
    return null;
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      } else if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      }
    }
    return sb.toString();
  }

  private static String simplify(String msg) {
    if (msg == null) {
      return "invalid value";
    }
    int nl = msg.indexOf('\n');
    msg = nl > 0 ? msg.substring(0, nl) : msg;
    return msg.replace("java.lang.", "").replace("`", "");
  }

  private static Map<String, String> strings(JsonObject merged, String prefix) {
    Map<String, String> out = new HashMap<>();
    for (String k : merged.fieldNames()) {
      if (k.startsWith(prefix) && merged.getValue(k) != null) {
        out.put(k, String.valueOf(merged.getValue(k)));
      }
    }
    return out;
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
