package dev.strata.admin;

import dev.strata.config.ListenerConfig;
import dev.strata.server.Strata;
import dev.strata.stream.Connection;
import dev.strata.stream.ConnectionRegistry;
import dev.strata.stream.ListenerStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** JSON views of listeners and connections. */
final class ConnectionsApi {

  private final Strata strata;
  private final ConnectionRegistry registry;

  ConnectionsApi(Strata strata) {
    this.strata = strata;
    this.registry = strata.registry();
  }

  void listeners(RoutingContext rc) {
    JsonArray out = new JsonArray();
    for (ListenerConfig l : strata.config().listeners()) {
      ListenerStats s = registry.stats(l.name());
      out.add(new JsonObject()
          .put("name", l.name()).put("host", l.host()).put("port", strata.port(l.name()))
          .put("codec", l.codec()).put("address", l.address())
          .put("connections", new JsonObject().put("current", s.current()).put("max", l.maxConnections())
              .put("total", s.accepted()).put("rejected", s.rejected())));
    }
    json(rc, out.encodePrettily());
  }

  void connections(RoutingContext rc) {
    String state = rc.queryParams().get("state");
    String listener = rc.queryParams().get("listener");
    Stream<Connection> all = switch (state == null ? "open" : state) {
      case "closed" -> registry.recentlyClosed().stream();
      case "all" -> Stream.concat(registry.open().stream(), registry.recentlyClosed().stream());
      default -> registry.open().stream();
    };
    List<Connection> list = all
        .filter(c -> listener == null || c.listener().equals(listener))
        .sorted(Comparator.comparingLong(Connection::id))
        .toList();
    JsonArray out = new JsonArray();
    list.forEach(c -> out.add(toJson(c)));
    json(rc, new JsonObject().put("total", list.size()).put("connections", out).encodePrettily());
  }

  void connection(RoutingContext rc) {
    long id;
    try {
      id = Long.parseLong(rc.pathParam("id"));
    } catch (NumberFormatException e) {
      rc.response().setStatusCode(400).end(new JsonObject().put("error", "id must be a number").encode());
      return;
    }
    Connection c = registry.get(id);
    if (c == null) {
      rc.response().setStatusCode(404).end(new JsonObject().put("error", "no open connection " + id).encode());
      return;
    }
    json(rc, toJson(c).encodePrettily());
  }

  static JsonObject toJson(Connection c) {
    long now = System.currentTimeMillis();
    JsonObject o = new JsonObject()
        .put("id", c.id()).put("listener", c.listener())
        .put("remote", String.valueOf(c.remoteAddress())).put("local", String.valueOf(c.localAddress()))
        .put("openedAt", c.openedAt()).put("ageMs", (c.isOpen() ? now : c.closedAt()) - c.openedAt())
        .put("bytesIn", c.bytesIn()).put("bytesOut", c.bytesOut())
        .put("framesIn", c.framesIn()).put("framesOut", c.framesOut())
        .put("inFlight", c.inFlight()).put("readPaused", c.readPaused())
        .put("lastActivity", c.lastActivity()).put("open", c.isOpen());
    if (!c.isOpen()) {
      o.put("closedAt", c.closedAt()).put("closeReason", c.closeReason() == null ? null : c.closeReason().text());
    }
    return o;
  }

  private static void json(RoutingContext rc, String body) {
    rc.response().putHeader("content-type", "application/json").end(body);
  }
}
