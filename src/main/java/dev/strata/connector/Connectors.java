package dev.strata.connector;

import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The connectors of this node, by name: where the admin API and the metrics find them. */
public final class Connectors {

  private final Map<String, Connector> byName = new ConcurrentHashMap<>();

  /** The connector for these options, created once per node whatever the number of instances. */
  synchronized Connector open(Vertx vertx, ConnectorOptions options) {
    Connector c = byName.computeIfAbsent(options.name(), n -> new Connector(vertx, options));
    c.users++;
    return c;
  }

  /** An instance stopped; the last one takes the connector away. */
  synchronized void closed(Connector connector) {
    if (--connector.users == 0 && byName.remove(connector.name(), connector)) {
      connector.close();
    }
  }

  public Connector get(String name) {
    return byName.get(name);
  }

  public Collection<Connector> all() {
    return byName.values();
  }
}
