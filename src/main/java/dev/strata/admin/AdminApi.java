package dev.strata.admin;

import static dev.strata.admin.AdminAddresses.*;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The JSON API's HTTP handlers; each asks the nodes over the event bus (see {@link Fanout}). */
final class AdminApi {

  private final Fanout fanout;
  private final AdminSecurity security;
  /** The node this admin server runs on. */
  private final String node;

  AdminApi(Fanout fanout, AdminSecurity security, String node) {
    this.fanout = fanout;
    this.security = security;
    this.node = node;
  }

  void listeners(RoutingContext rc) {
    reply(rc, fanout.all(LISTENERS, new JsonObject()).map(Fanout::mergeListeners));
  }

  /** {@code GET /api/listeners/:name/senders?limit=n}: a udp listener's senders, every node's, most recent first. */
  void senders(RoutingContext rc) {
    int limit;
    try {
      String l = rc.queryParams().get("limit");
      limit = l == null || l.isBlank() ? SenderView.DEFAULT_LIMIT : Integer.parseInt(l);
    } catch (NumberFormatException e) {
      AdminSecurity.refuse(rc, 400, "limit must be a number");
      return;
    }
    reply(rc, fanout.all(SENDERS, new JsonObject().put("listener", rc.pathParam("name")).put("limit", limit))
        .map(Fanout::mergeSenders));
  }

  void connectors(RoutingContext rc) {
    reply(rc, fanout.all(CONNECTORS, new JsonObject()).map(Fanout::mergeConnectors));
  }

  void connector(RoutingContext rc) {
    reply(rc, fanout.all(CONNECTORS, new JsonObject().put("name", rc.pathParam("name"))).map(Fanout::mergeConnectors));
  }

  void connections(RoutingContext rc) {
    ConnectionQuery q = ConnectionQuery.fromRequest(rc);
    if (q == null) {
      return;
    }
    reply(rc, fanout.connections(q).map(answers -> Fanout.mergeConnections(q, answers)));
  }

  void connection(RoutingContext rc) {
    Long id = id(rc);
    if (id != null) {
      reply(rc, fanout.one(CONNECTION, new JsonObject().put("id", id)));
    }
  }

  void close(RoutingContext rc) {
    Long id = id(rc);
    if (id != null) {
      reply(rc, fanout.one(CLOSE, new JsonObject().put("id", id).put("reason", rc.queryParams().get("reason"))
          .put("actor", AdminSecurity.actor(rc))));
    }
  }

  void tapStart(RoutingContext rc) {
    Long id = id(rc);
    if (id == null) {
      return;
    }
    int frames;
    try {
      String f = rc.queryParams().get("frames");
      frames = f == null || f.isBlank() ? TapRing.DEFAULT_FRAMES : Integer.parseInt(f);
    } catch (NumberFormatException e) {
      AdminSecurity.refuse(rc, 400, "frames must be a number");
      return;
    }
    reply(rc, fanout.one(TAP_START, new JsonObject().put("id", id).put("frames", frames)
        .put("actor", AdminSecurity.actor(rc)))
        .map(t -> t.put("eventsUrl", "/api/connections/" + id + "/tap/events?tap=" + t.getString("tap"))));
  }

  void tapStop(RoutingContext rc) {
    Long id = id(rc);
    if (id != null) {
      reply(rc, fanout.one(TAP_STOP, new JsonObject().put("id", id).put("tap", rc.queryParams().get("tap"))
          .put("actor", AdminSecurity.actor(rc))));
    }
  }

  void drain(RoutingContext rc) {
    reply(rc, fanout.one(DRAIN, new JsonObject().put("listener", rc.pathParam("name"))
        .put("actor", AdminSecurity.actor(rc))));
  }

  /**
   * {@code POST /api/reload[?node=n2]}: the node (this one by default) re-reads its configuration file
   * and applies its listeners; an invalid file is a 400 naming the key, and changes nothing.
   */
  void reload(RoutingContext rc) {
    String target = rc.queryParams().get("node");
    reply(rc, fanout.onNode(target == null || target.isBlank() ? node : target, RELOAD,
        new JsonObject().put("actor", AdminSecurity.actor(rc))));
  }

  void nodes(RoutingContext rc) {
    reply(rc, fanout.all(NODE, new JsonObject()).map(Fanout::mergeNodes));
  }

  void deployments(RoutingContext rc) {
    reply(rc, fanout.all(DEPLOYMENTS, new JsonObject()).map(Fanout::mergeDeployments));
  }

  /**
   * {@code POST /api/deployments} with {verticle, name?, instances?, config?, node?}, or {process: [program,
   * args...], address, name?, instances?, env?, restart?, stopTimeout?, node?}: on the node named,
   * or ({@code "any"}, the default) on the member with the fewest deployments.
   */
  void deploy(RoutingContext rc) {
    JsonObject body = jsonBody(rc);
    if (body == null) {
      return;
    }
    String node = body.getString("node", "any");
    JsonObject request = body.copy().put("actor", AdminSecurity.actor(rc));
    request.remove("node");
    Future<String> where = !"any".equals(node) ? Future.succeededFuture(node)
        : fanout.all(DEPLOYMENTS, new JsonObject()).map(answers -> {
          JsonObject least = answers.get(0);
          for (JsonObject a : answers) {
            if (a.getJsonArray("deployments").size() < least.getJsonArray("deployments").size()) {
              least = a;
            }
          }
          return least.getString("node");
        });
    reply(rc, where.compose(n -> fanout.onNode(n, DEPLOY, request)), 201);
  }

  /** {@code PATCH /api/deployments/:id} with {instances}. */
  void scale(RoutingContext rc) {
    JsonObject body = jsonBody(rc);
    if (body == null) {
      return;
    }
    String id = rc.pathParam("id");
    reply(rc, fanout.onNode(nodeOf(id), SCALE, new JsonObject().put("id", id)
        .put("instances", body.getValue("instances")).put("actor", AdminSecurity.actor(rc))));
  }

  void undeploy(RoutingContext rc) {
    String id = rc.pathParam("id");
    reply(rc, fanout.onNode(nodeOf(id), UNDEPLOY, new JsonObject().put("id", id).put("actor", AdminSecurity.actor(rc))));
  }

  /** A deployment id is {@code <node>-<name>}. */
  private static String nodeOf(String id) {
    int dash = id.indexOf('-');
    return dash < 0 ? id : id.substring(0, dash);
  }

  private static JsonObject jsonBody(RoutingContext rc) {
    try {
      JsonObject b = rc.body().asJsonObject();
      if (b == null) {
        AdminSecurity.refuse(rc, 400, "a JSON object body is required");
      }
      return b;
    } catch (RuntimeException e) {
      AdminSecurity.refuse(rc, 400, "the body is not a JSON object: " + e.getMessage());
      return null;
    }
  }

  void history(RoutingContext rc) {
    reply(rc, fanout.all(HISTORY, new JsonObject()).map(Fanout::mergeHistory));
  }

  /** What the dashboard needs to know to offer actions: whether a token exists and whether it was sent. */
  void auth(RoutingContext rc) {
    json(rc, 200, new JsonObject().put("loopback", security.loopback())
        .put("tokenConfigured", security.tokenConfigured())
        .put("authenticated", security.authenticated(rc.request())));
  }

  private static Long id(RoutingContext rc) {
    try {
      return Long.parseLong(rc.pathParam("id"));
    } catch (NumberFormatException e) {
      AdminSecurity.refuse(rc, 400, "connection id '" + rc.pathParam("id") + "' must be a number");
      return null;
    }
  }

  static void reply(RoutingContext rc, Future<JsonObject> answer) {
    reply(rc, answer, 200);
  }

  static void reply(RoutingContext rc, Future<JsonObject> answer, int okStatus) {
    answer.onComplete(ar -> {
      if (rc.response().ended() || rc.response().closed()) {
        return;
      }
      if (ar.succeeded()) {
        json(rc, okStatus, ar.result());
      } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        AdminSecurity.refuse(rc, re.failureCode() >= 400 && re.failureCode() < 600 ? re.failureCode() : 500,
            re.getMessage());
      } else {
        AdminSecurity.refuse(rc, 503, "no answer from the node: " + ar.cause().getMessage());
      }
    });
  }

  static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encodePrettily());
  }
}
