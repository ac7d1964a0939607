package dev.strata.admin;

import static dev.strata.admin.AdminAddresses.*;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Server-sent events for the dashboard: the node's {@code strata.events.*} forwarded to the page.
 *
 * <p>{@code GET /api/events} sends, each second, a {@code tick} with the listeners, the connectors, the newest
 * history point and the page of open connections the client asked for (same parameters as
 * {@code /api/connections}) plus the most recently closed ones; and {@code opened}/{@code closed}
 * events the moment they happen. A client too slow to read skips ticks instead of queueing them.
 *
 * <p>{@code GET /api/connections/{id}/tap/events?tap=...} streams a frame tap; the tap id, returned
 * only to an authenticated {@code POST .../tap}, is the capability to read it.
 */
final class EventStream {

  static final int CLOSED_ROWS = 50;

  private final Vertx vertx;
  private final Fanout fanout;
  private final NodeAdmin node;

  EventStream(Vertx vertx, Fanout fanout, NodeAdmin node) {
    this.vertx = vertx;
    this.fanout = fanout;
    this.node = node;
  }

  void events(RoutingContext rc) {
    ConnectionQuery q = ConnectionQuery.fromRequest(rc);
    if (q == null) {
      return;
    }
    ConnectionQuery closedQ = new ConnectionQuery("closed", q.listener(), "closedAt", true, 0, CLOSED_ROWS, q.node());
    HttpServerResponse resp = open(rc);
    List<MessageConsumer<?>> consumers = new ArrayList<>();
    boolean[] busy = {false};
    JsonObject[] point = {null};
    JsonArray[] connectors = {null};
    Runnable tick = () -> {
      if (busy[0] || resp.closed() || resp.writeQueueFull()) {
        return;
      }
      busy[0] = true;
      Future.all(fanout.all(LISTENERS, new JsonObject()), fanout.connections(q), fanout.connections(closedQ))
          .onComplete(ar -> {
            busy[0] = false;
            if (ar.succeeded() && !resp.closed()) {
              JsonObject body = new JsonObject()
                  .put("listeners", Fanout.mergeListeners(ar.result().resultAt(0)).getJsonArray("listeners"))
                  .put("connectors", connectors[0] == null ? new JsonArray() : connectors[0])
                  .put("open", Fanout.mergeConnections(q, ar.result().resultAt(1)))
                  .put("closed", Fanout.mergeConnections(closedQ, ar.result().resultAt(2)));
              if (point[0] != null) {
                body.put("point", point[0]);
              }
              send(resp, "tick", body);
            }
          });
    };
    // Every member publishes its second; the stream ticks on this member's and shows them all added up.
    java.util.Map<String, JsonObject> latest = new java.util.HashMap<>();
    consumers.add(vertx.eventBus().<JsonObject>consumer(EVENTS_STATS, m -> {
      String from = m.body().getString("node");
      latest.put(from, m.body());
      if (!node.node.equals(from)) {
        return;
      }
      long now = m.body().getLong("t", System.currentTimeMillis());
      latest.values().removeIf(s -> now - s.getLong("t", 0L) > 3_000); // a member gone quiet
      List<JsonArray> points = new ArrayList<>();
      JsonArray allConnectors = new JsonArray();
      for (JsonObject s : latest.values()) {
        JsonObject p = s.getJsonObject("point").copy().put("t", now);
        points.add(new JsonArray().add(p));
        JsonArray cs = s.getJsonArray("connectors");
        if (cs != null) {
          cs.forEach(c -> allConnectors.add(((JsonObject) c).copy().put("node", s.getString("node"))));
        }
      }
      point[0] = latest.size() == 1 ? m.body().getJsonObject("point") : Fanout.sumPoints(points).get(0);
      connectors[0] = allConnectors;
      tick.run();
    }));
    consumers.add(vertx.eventBus().<JsonObject>consumer(EVENTS_OPENED, m -> send(resp, "opened", m.body())));
    consumers.add(vertx.eventBus().<JsonObject>consumer(EVENTS_CLOSED, m -> send(resp, "closed", m.body())));
    node.watchers.incrementAndGet();
    resp.closeHandler(v -> {
      node.watchers.decrementAndGet();
      consumers.forEach(MessageConsumer::unregister);
    });
    tick.run();
  }

  void tap(RoutingContext rc) {
    long id;
    try {
      id = Long.parseLong(rc.pathParam("id"));
    } catch (NumberFormatException e) {
      AdminSecurity.refuse(rc, 400, "connection id must be a number");
      return;
    }
    String tap = rc.queryParams().get("tap");
    JsonObject which = new JsonObject().put("id", id).put("tap", tap);
    // Subscribe first, then read what the tap holds: the page drops duplicates by seq.
    MessageConsumer<JsonObject> frames = vertx.eventBus().consumer(EVENTS_TAP_PREFIX + id);
    frames.pause();
    fanout.one(TAP_FRAMES, which).onComplete(ar -> {
      if (ar.failed()) {
        frames.unregister();
        AdminApi.reply(rc, Future.failedFuture(ar.cause()));
        return;
      }
      HttpServerResponse resp = open(rc);
      send(resp, "frames", ar.result());
      frames.handler(m -> {
        if (m.body().containsKey("ended")) {
          send(resp, "ended", m.body());
          resp.end();
        } else {
          send(resp, "frames", m.body());
        }
      });
      frames.resume();
      resp.closeHandler(v -> {
        frames.unregister();
        fanout.one(TAP_STOP, which.copy().put("actor", "the tap's viewer (page closed)"));
      });
      resp.endHandler(v -> frames.unregister());
    });
  }

  private static HttpServerResponse open(RoutingContext rc) {
    HttpServerResponse resp = rc.response();
    resp.setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    resp.write("retry: 2000\n\n");
    return resp;
  }

  private static void send(HttpServerResponse resp, String event, JsonObject data) {
    if (!resp.closed() && !resp.ended()) {
      resp.write("event: " + event + "\ndata: " + data.encode() + "\n\n");
    }
  }
}
