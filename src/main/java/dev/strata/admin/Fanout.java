package dev.strata.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the nodes for their part of an admin query over the event bus and merges the answers. On a
 * single node that is one request to the local {@link NodeAdmin}; a cluster mode would ask every
 * member (one request per member's own address) and hand all answers to the same merge functions.
 */
final class Fanout {

  static final long TIMEOUT_MS = 5_000;

  private final Vertx vertx;

  Fanout(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The answers of every node (today: this one). Failures keep their code (400, 404) for HTTP. */
  Future<List<JsonObject>> all(String address, JsonObject body) {
    return one(address, body).map(List::of);
  }

  /** The answer of the node that holds the entity (today: this one). */
  Future<JsonObject> one(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(Message::body);
  }

  /** Merges the nodes' listener lists. */
  static JsonObject mergeListeners(List<JsonObject> answers) {
    JsonArray all = new JsonArray();
    for (JsonObject a : answers) {
      for (Object l : a.getJsonArray("listeners")) {
        all.add(((JsonObject) l).copy().put("node", a.getString("node")));
      }
    }
    return new JsonObject().put("listeners", all);
  }

  /** Merges the nodes' connector lists; each connector says which node holds it. */
  static JsonObject mergeConnectors(List<JsonObject> answers) {
    JsonArray all = new JsonArray();
    for (JsonObject a : answers) {
      for (Object c : a.getJsonArray("connectors")) {
        all.add(((JsonObject) c).copy().put("node", a.getString("node")));
      }
    }
    return new JsonObject().put("connectors", all);
  }

  /** Merges the nodes' first offset+limit rows into one page, in the query's order. */
  static JsonObject mergeConnections(ConnectionQuery q, List<JsonObject> answers) {
    List<JsonObject> rows = new ArrayList<>();
    long total = 0;
    for (JsonObject a : answers) {
      total += a.getLong("total");
      for (Object o : a.getJsonArray("connections")) {
        rows.add(((JsonObject) o).put("node", a.getString("node")));
      }
    }
    rows.sort(q.jsonComparator());
    int from = Math.min(rows.size(), q.offset());
    int to = Math.min(rows.size(), q.offset() + q.limit());
    return new JsonObject().put("total", total).put("offset", q.offset()).put("limit", q.limit())
        .put("state", q.state()).put("listener", q.listener()).put("sort", q.sort()).put("desc", q.desc())
        .put("connections", new JsonArray(new ArrayList<>(rows.subList(from, to))));
  }

  /** Concatenates the nodes' history points (a cluster would sum them by second). */
  static JsonObject mergeHistory(List<JsonObject> answers) {
    return new JsonObject().put("points", answers.isEmpty() ? new JsonArray() : answers.get(0).getJsonArray("points"));
  }
}
