package dev.strata.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole configuration, as bound from {@code conf/strata.yaml}.
 *
 * @param shutdownGrace at a graceful stop (SIGTERM, Ctrl-C), how long connections get to answer what they
 *                      have read before they are cut; default 10s
 */
public record StrataConfig(List<ListenerConfig> listeners, List<ConnectorConfig> connectors, List<AppConfig> apps,
    AdminConfig admin, ClusterConfig cluster, BridgeConfig bridge, LimitsConfig limits,
    @JsonDeserialize(using = DurationDeserializer.class) Duration shutdownGrace) {

  public StrataConfig {
    listeners = listeners == null ? List.of() : List.copyOf(listeners);
    connectors = connectors == null ? List.of() : List.copyOf(connectors);
    apps = apps == null ? List.of() : List.copyOf(apps);
    admin = admin == null ? AdminConfig.defaults() : admin;
    cluster = cluster == null ? ClusterConfig.defaults() : cluster;
    bridge = bridge == null ? BridgeConfig.disabled() : bridge;
    limits = limits == null ? LimitsConfig.defaults() : limits;
    shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(10) : shutdownGrace;
    if (shutdownGrace.isNegative()) {
      throw new ConfigException("shutdownGrace", shutdownGrace.toMillis() + " ms must be >= 0");
    }
    Set<String> names = new HashSet<>();
    Map<String, String> ports = new HashMap<>();
    for (int i = 0; i < listeners.size(); i++) {
      ListenerConfig l = listeners.get(i);
      if (!names.add(l.name())) {
        throw new ConfigException("listeners[" + i + "].name", "duplicate listener name '" + l.name() + "'");
      }
      if (l.port() != 0) {
        String other = ports.putIfAbsent(l.transport().text() + ":" + l.host() + ":" + l.port(), l.name());
        if (other != null) {
          throw new ConfigException("listeners[" + i + "].port",
              "port " + l.port() + " is already used by listener '" + other + "'");
        }
        if (bridge.enabled() && !l.udp() && l.port().equals(bridge.port())) {
          throw new ConfigException("bridge.port", "port " + l.port() + " is already used by listener '" + l.name() + "'");
        }
      }
    }
    for (int i = 0; i < apps.size(); i++) {
      if (apps.get(i).process() != null && !bridge.enabled()) {
        // a process answers through the bridge: without one it could never be reached
        throw new ConfigException("apps[" + i + "].process", "needs the event-bus bridge: add a bridge section "
            + "(bridge: {port: 7000}) or set bridge.enabled to true");
      }
    }
    Set<String> connectorNames = new HashSet<>();
    Set<String> connectorAddresses = new HashSet<>();
    for (int i = 0; i < connectors.size(); i++) {
      ConnectorConfig c = connectors.get(i);
      if (!connectorNames.add(c.name())) {
        throw new ConfigException("connectors[" + i + "].name", "duplicate connector name '" + c.name() + "'");
      }
      if (!connectorAddresses.add(c.address())) {
        throw new ConfigException("connectors[" + i + "].address", "address '" + c.address()
            + "' is already served by another connector");
      }
    }
  }

  public StrataConfig(List<ListenerConfig> listeners, List<AppConfig> apps, AdminConfig admin, ClusterConfig cluster,
      BridgeConfig bridge) {
    this(listeners, List.of(), apps, admin, cluster, bridge, null, null);
  }
}
