package dev.strata.admin;

import dev.strata.stream.ConnectionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Asks the nodes for their part of an admin query over the event bus and merges the answers: every
 * node in the directory ({@link AdminAddresses#NODE_DIRECTORY}, a clustered map in a cluster) is asked
 * at its own address ({@link AdminAddresses#at}), so every member answers the same thing. A query about
 * one connection goes to the member that holds it, named by the id itself (its high bits are the
 * member's number). A member that has gone without leaving the directory does not answer: its part is
 * left out, not waited for past the timeout.
 */
final class Fanout {

  static final long TIMEOUT_MS = 5_000;

  private final Vertx vertx;

  Fanout(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The ids of the nodes whose admin answers queries. */
  Future<List<String>> nodes() {
    return vertx.sharedData().<String, JsonObject>getAsyncMap(AdminAddresses.NODE_DIRECTORY)
        .compose(m -> m.keys()).map(keys -> {
          List<String> sorted = new ArrayList<>(keys);
          sorted.sort(null);
          return sorted;
        });
  }

  /**
   * The answers of every node. A node's failure with a code (400, 404) is kept for HTTP when no node
   * answered; a node that does not answer at all is left out.
   */
  Future<List<JsonObject>> all(String address, JsonObject body) {
    return nodes().compose(nodes -> {
      if (nodes.isEmpty()) {
        return request(address, body).map(List::of);
      }
      List<Future<JsonObject>> asked = new ArrayList<>();
      for (String n : nodes) {
        asked.add(request(AdminAddresses.at(address, n), body));
      }
      return Future.join(asked).transform(ignored -> {
        List<JsonObject> answers = new ArrayList<>();
        Throwable refusal = null;
        for (Future<JsonObject> f : asked) {
          if (f.succeeded()) {
            answers.add(f.result());
          } else if (refusal == null && f.cause() instanceof ReplyException re
              && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            refusal = f.cause();
          }
        }
        if (answers.isEmpty()) {
          return Future.failedFuture(refusal != null ? refusal : asked.get(0).cause());
        }
        return Future.succeededFuture(answers);
      });
    });
  }

  /**
   * The answer of the node that holds the entity: for a connection ({@code id} in the body), the member
   * whose number its id carries; otherwise (a listener's name) the first node that answers.
   */
  Future<JsonObject> one(String address, JsonObject body) {
    Long id = body.getLong("id");
    if (id != null) {
      return request(AdminAddresses.at(address, "n" + (id >> ConnectionRegistry.NODE_SHIFT)), body)
          .recover(err -> err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
              ? Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404,
                  "no connection " + id + ": its member n" + (id >> ConnectionRegistry.NODE_SHIFT) + " is not in the cluster"))
              : Future.failedFuture(err));
    }
    return all(address, body).map(answers -> answers.get(0));
  }

  private Future<JsonObject> request(String address, JsonObject body) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(TIMEOUT_MS))
        .map(Message::body);
  }

  /** The answer of one named member; a member that is not there is a 404. */
  Future<JsonObject> onNode(String node, String address, JsonObject body) {
    return request(AdminAddresses.at(address, node), body)
        .recover(err -> err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "no node " + node))
            : Future.failedFuture(err));
  }

  /** The members' pages of a connection query: every member's, or only {@code q.node()}'s. */
  Future<List<JsonObject>> connections(ConnectionQuery q) {
    if (q.node() == null) {
      return all(AdminAddresses.CONNECTIONS, q.toJson());
    }
    return request(AdminAddresses.at(AdminAddresses.CONNECTIONS, q.node()), q.toJson()).map(List::of)
        .recover(err -> err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "no node " + q.node()))
            : Future.failedFuture(err));
  }

  /**
   * The members' once-a-second points added up: requests, errors and connections summed, p99 the
   * largest of the members' (a bound, not the cluster's percentile). Each member samples once a second
   * on its own clock, so points are matched by their place from the newest, not by timestamp (two
   * members' ticks 0.2 s apart could fall into different seconds); a point takes the newest time.
   */
  static List<JsonObject> sumPoints(List<JsonArray> perNode) {
    int longest = 0;
    for (JsonArray points : perNode) {
      longest = Math.max(longest, points.size());
    }
    List<JsonObject> out = new ArrayList<>(longest);
    for (int back = longest - 1; back >= 0; back--) {
      JsonObject sum = new JsonObject().put("t", 0L).put("rps", 0.0).put("errps", 0.0).put("connections", 0L)
          .putNull("p99Ms");
      for (JsonArray points : perNode) {
        int at = points.size() - 1 - back;
        if (at < 0) {
          continue;
        }
        JsonObject p = points.getJsonObject(at);
        sum.put("t", Math.max(sum.getLong("t"), p.getLong("t")));
        sum.put("rps", LiveStats.round(sum.getDouble("rps") + p.getDouble("rps", 0.0)));
        sum.put("errps", LiveStats.round(sum.getDouble("errps") + p.getDouble("errps", 0.0)));
        sum.put("connections", sum.getLong("connections") + p.getLong("connections", 0L));
        Double p99 = p.getDouble("p99Ms");
        if (p99 != null && (sum.getDouble("p99Ms") == null || p99 > sum.getDouble("p99Ms"))) {
          sum.put("p99Ms", p99);
        }
      }
      out.add(sum);
    }
    return out;
  }

  /** Merges the nodes' deployment lists. */
  static JsonObject mergeDeployments(List<JsonObject> answers) {
    JsonArray all = new JsonArray();
    answers.forEach(a -> a.getJsonArray("deployments").forEach(all::add));
    return new JsonObject().put("deployments", all);
  }

  /** Merges the nodes' summaries for {@code /api/nodes}. */
  static JsonObject mergeNodes(List<JsonObject> answers) {
    JsonArray all = new JsonArray();
    answers.forEach(all::add);
    return new JsonObject().put("nodes", all);
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

  /** Merges the nodes' senders of one udp listener; each says which node tracks it. */
  static JsonObject mergeSenders(List<JsonObject> answers) {
    JsonArray all = new JsonArray();
    long total = 0;
    for (JsonObject a : answers) {
      total += a.getLong("total", 0L);
      for (Object c : a.getJsonArray("senders")) {
        all.add(((JsonObject) c).copy().put("node", a.getString("node")));
      }
    }
    return new JsonObject().put("listener", answers.isEmpty() ? null : answers.get(0).getString("listener"))
        .put("total", total).put("senders", all);
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

  /** The nodes' history points; from several members, summed by second ({@link #sumPoints}). */
  static JsonObject mergeHistory(List<JsonObject> answers) {
    if (answers.size() <= 1) {
      return new JsonObject().put("points", answers.isEmpty() ? new JsonArray() : answers.get(0).getJsonArray("points"));
    }
    List<JsonArray> perNode = new ArrayList<>();
    answers.forEach(a -> perNode.add(a.getJsonArray("points")));
    return new JsonObject().put("points", new JsonArray(new ArrayList<>(sumPoints(perNode))));
  }
}
