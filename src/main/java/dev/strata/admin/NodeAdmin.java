package dev.strata.admin;

import static dev.strata.admin.AdminAddresses.*;

import dev.strata.config.AppConfig;
import dev.strata.config.ConfigException;
import dev.strata.config.ListenerConfig;
import dev.strata.connector.Connector;
import dev.strata.server.Strata;
import dev.strata.stream.CloseReason;
import dev.strata.stream.ClosedConnection;
import dev.strata.stream.Connection;
import dev.strata.stream.ConnectionRegistry;
import dev.strata.stream.ListenerStats;
import dev.strata.stream.RegistryListener;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's side of the admin API: answers the {@code strata.admin.*} queries for the connections
 * it holds, samples {@link LiveStats} once a second and publishes {@code strata.events.*}. Deployed
 * as a worker verticle, so sorting many connections never runs on an event loop.
 */
final class NodeAdmin extends VerticleBase implements RegistryListener {

  private static final System.Logger LOG = System.getLogger("dev.strata.admin.audit");
  static final long TAP_TTL_MS = 10 * 60_000;
  private static final int NOTES = 1024;

  final String node;
  private final long startedAt = System.currentTimeMillis();
  private final EventLoopWatch loops;
  private final Strata strata;
  private final ConnectionRegistry registry;
  private final LiveStats stats;
  private final Map<Long, TapRing> taps = new ConcurrentHashMap<>();
  /** Reasons given by admins for the connections they closed, most recent {@value #NOTES}. */
  private final Map<Long, String> notes = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
      return size() > NOTES;
    }
  });
  /** Dashboards listening for connection events; none: nothing is published per connection. */
  final AtomicInteger watchers = new AtomicInteger();

  NodeAdmin(Strata strata, LiveStats stats, EventLoopWatch loops) {
    this.loops = loops;
    this.strata = strata;
    this.node = strata.nodeId();
    this.registry = strata.registry();
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    List<Future<?>> done = new ArrayList<>();
    done.add(consume(LISTENERS, b -> new JsonObject().put("node", node).put("listeners", listeners())));
    done.add(consume(CONNECTORS, this::connectors));
    done.add(consume(SENDERS, this::senders));
    done.add(consume(CONNECTIONS, this::connections));
    done.add(consume(CONNECTION, this::connection));
    done.add(consume(CLOSE, this::close));
    done.add(consume(TAP_START, this::tapStart));
    done.add(consume(TAP_STOP, this::tapStop));
    done.add(consume(TAP_FRAMES, this::tapFrames));
    done.add(consume(HISTORY, b -> new JsonObject().put("node", node).put("points", stats.history().toJson())));
    done.add(consume(NODE, b -> summary()));
    done.add(consume(DEPLOYMENTS, b -> new JsonObject().put("node", node).put("deployments", deployments())));
    done.add(consumeAsync(DEPLOY, this::deploy));
    done.add(consumeAsync(SCALE, this::scale));
    done.add(consumeAsync(UNDEPLOY, this::undeploy));
    done.add(consumeAsync(RELOAD, this::reload));
    done.add(vertx.eventBus().consumer(PING, m -> m.reply("pong")).completion());
    done.add(vertx.eventBus().<JsonObject>consumer(DRAIN, this::drain).completion());
    done.add(vertx.eventBus().<JsonObject>consumer(at(DRAIN, node), this::drain).completion());
    done.add(vertx.sharedData().<String, JsonObject>getAsyncMap(NODE_DIRECTORY)
        .compose(m -> m.put(node, new JsonObject().put("startedAt", startedAt))));
    registry.addListener(this);
    vertx.setPeriodic(1000, id -> tick());
    vertx.setPeriodic(250, id -> flushTaps());
    return Future.all(done);
  }

  @Override
  public Future<?> stop() {
    registry.removeListener(this);
    taps.values().forEach(t -> untap(t, "admin server stopped"));
    return vertx.sharedData().<String, JsonObject>getAsyncMap(NODE_DIRECTORY).compose(m -> m.remove(node))
        .otherwiseEmpty().mapEmpty();
  }

  /** This node as {@code /api/nodes} lists it. */
  private JsonObject summary() {
    long now = System.currentTimeMillis();
    JsonArray listeners = new JsonArray();
    strata.config().listeners().forEach(l -> listeners.add(l.name()));
    JsonArray apps = new JsonArray();
    strata.applications().forEach(d -> apps.add(d.name()));
    Runtime rt = Runtime.getRuntime();
    return new JsonObject().put("node", node).put("host", strata.config().cluster().host())
        .put("startedAt", startedAt).put("uptimeMs", now - startedAt).put("eventLoopDelayMs", loops.maxDelayMs())
        .put("listeners", listeners).put("applications", apps).put("connections", registry.size())
        .put("heapUsedMb", (rt.totalMemory() - rt.freeMemory()) >> 20).put("heapMaxMb", rt.maxMemory() >> 20);
  }

  /** A consumer whose handler's exceptions become replies: 400 for bad input, 404 for unknown ids. */
  private Future<Void> consume(String address, java.util.function.Function<JsonObject, Object> handler) {
    return Future.all(vertx.eventBus().<JsonObject>consumer(address, m -> answer(m, handler)).completion(),
        vertx.eventBus().<JsonObject>consumer(at(address, node), m -> answer(m, handler)).completion()).mapEmpty();
  }

  /** As {@link #consume}, for handlers that complete later: failures become 400, 404 or 409 replies. */
  private Future<Void> consumeAsync(String address, java.util.function.Function<JsonObject, Future<JsonObject>> handler) {
    io.vertx.core.Handler<Message<JsonObject>> h = m -> {
      Future<JsonObject> f;
      try {
        f = handler.apply(m.body() == null ? new JsonObject() : m.body());
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        if (ar.succeeded()) {
          m.reply(ar.result());
        } else {
          Throwable e = ar.cause();
          int code = e instanceof java.util.NoSuchElementException ? 404
              : e instanceof IllegalStateException ? 409
              : e instanceof IllegalArgumentException || e instanceof ClassCastException ? 400 : 500;
          m.fail(code, String.valueOf(e.getMessage()));
        }
      });
    };
    return Future.all(vertx.eventBus().<JsonObject>consumer(address, h).completion(),
        vertx.eventBus().<JsonObject>consumer(at(address, node), h).completion()).mapEmpty();
  }

  private JsonArray deployments() {
    JsonArray out = new JsonArray();
    strata.applications().forEach(d -> out.add(d.toJson().put("node", node)));
    return out;
  }

  private Future<JsonObject> deploy(JsonObject b) {
    if (b.containsKey("process")) {
      return deployProcess(b);
    }
    String verticle = b.getString("verticle");
    if (verticle == null || verticle.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("verticle is required (a class name)"));
    }
    String name = b.getString("name", verticle.substring(verticle.lastIndexOf('.') + 1));
    int instances = b.getInteger("instances", 1);
    LOG.log(System.Logger.Level.INFO, "admin audit: {0} deploys {1} ({2}, {3} instances) on {4}",
        clean(b.getString("actor")), name, verticle, instances, node);
    return strata.deploy(name, verticle, instances, b.getJsonObject("config", new JsonObject()), "api")
        .map(d -> d.toJson().put("node", node));
  }

  /** {process: [program, args...], address, name?, instances?, env?, restart?, stopTimeout?}: checked as YAML's apps[] are. */
  private Future<JsonObject> deployProcess(JsonObject b) {
    AppConfig app;
    try {
      JsonObject spec = b.copy();
      spec.remove("actor");
      app = spec.mapTo(AppConfig.class);
    } catch (ConfigException e) {
      return Future.failedFuture(new IllegalArgumentException(e.key() + ": " + e.reason()));
    } catch (IllegalArgumentException e) { // Jackson's: a wrong type or an unknown key
      Throwable c = e.getCause() instanceof ConfigException ce ? ce : e;
      return Future.failedFuture(new IllegalArgumentException(c instanceof ConfigException ce
          ? ce.key() + ": " + ce.reason() : "bad process deployment: " + e.getMessage()));
    }
    LOG.log(System.Logger.Level.INFO, "admin audit: {0} deploys {1} (process {2}, {3} instances) on {4}",
        clean(b.getString("actor")), app.name(), String.join(" ", app.process()), app.instances(), node);
    return strata.deployProcess(app.name(), app, "api").map(d -> d.toJson().put("node", node));
  }

  private Future<JsonObject> scale(JsonObject b) {
    String id = b.getString("id");
    int instances = b.getInteger("instances", -1);
    LOG.log(System.Logger.Level.INFO, "admin audit: {0} scales {1} to {2} instances", clean(b.getString("actor")), id,
        instances);
    return strata.scale(id, instances).map(d -> d.toJson().put("node", node));
  }

  private Future<JsonObject> undeploy(JsonObject b) {
    String id = b.getString("id");
    LOG.log(System.Logger.Level.INFO, "admin audit: {0} undeploys {1}", clean(b.getString("actor")), id);
    return strata.undeploy(id).map(v -> new JsonObject().put("id", id).put("node", node).put("undeployed", true));
  }

  private Future<JsonObject> reload(JsonObject b) {
    LOG.log(System.Logger.Level.INFO, "admin audit: {0} reloads the configuration of {1}", clean(b.getString("actor")),
        node);
    return strata.reload().map(r -> r.put("node", node))
        .recover(err -> Future.failedFuture(err instanceof dev.strata.config.ConfigException
            ? new IllegalArgumentException("invalid configuration, nothing changed: " + err.getMessage()) : err));
  }

  private static void answer(Message<JsonObject> m, java.util.function.Function<JsonObject, Object> handler) {
    try {
      m.reply(handler.apply(m.body() == null ? new JsonObject() : m.body()));
    } catch (NotFound e) {
      m.fail(404, e.getMessage());
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      m.fail(400, String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "admin query failed", e);
      m.fail(500, String.valueOf(e.getMessage()));
    }
  }

  static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }

  // ---- queries ----

  JsonArray listeners() {
    JsonArray out = new JsonArray();
    for (ListenerConfig l : strata.config().listeners()) {
      ListenerStats s = registry.stats(l.name());
      ListenerLive live = stats.listener(l.name());
      Integer port = strata.boundPort(l.name());
      double[] r = live.ratesPerSec;
      out.add(new JsonObject()
          .put("name", l.name()).put("host", l.host()).put("port", port == null ? l.port() : port)
          .put("state", strata.drained(l.name()) ? "drained" : port == null ? "not bound" : "listening")
          .put("codec", l.codec()).put("address", l.address())
          .put("connections", new JsonObject().put("current", s.current()).put("max", strata.maxConnections(l.name()))
              .put("total", s.accepted()).put("rejected", s.rejected()).put("closedForMemory", s.closedForMemory())
              .put("closedFrameTimeout", s.closed(CloseReason.FRAME_TIMEOUT)).put("rejectedPerIp", s.rejectedPerIp())
              .put("closedSlowConsumer", s.closed(CloseReason.SLOW_CONSUMER)))
          .put("rateLimited", s.rateLimited())
          .put("bytesIn", live.totals[ConnectionLive.BYTES_IN].sum())
          .put("bytesOut", live.totals[ConnectionLive.BYTES_OUT].sum())
          .put("framesIn", live.totals[ConnectionLive.FRAMES_IN].sum())
          .put("framesOut", live.totals[ConnectionLive.FRAMES_OUT].sum())
          .put("rates", new JsonObject().put("bytesIn", LiveStats.round(r[0])).put("bytesOut", LiveStats.round(r[1]))
              .put("framesIn", LiveStats.round(r[2])).put("framesOut", LiveStats.round(r[3])))
          .put("requests", new JsonObject().put("total", live.requests.sum())
              .put("perSecond", LiveStats.round(live.requestsPerSec))
              .put("errors", live.errors.sum()).put("errorsPerSecond", LiveStats.round(live.errorsPerSec))
              .put("decodeErrors", live.decodeErrors.sum()))
          .put("latency", new JsonObject().put("p50Ms", live.p50Ms).put("p99Ms", live.p99Ms)
              .put("windowSeconds", ListenerLive.LATENCY_WINDOW_SEC)));
      JsonObject row = out.getJsonObject(out.size() - 1).put("transport", l.transport().text());
      if (l.udp()) {
        row.put("udp", SenderView.totals(l, s));
      }
    }
    return out;
  }

  /** The senders of a udp listener on this node. */
  private JsonObject senders(JsonObject body) {
    String name = body.getString("listener");
    ListenerConfig l = strata.config().listeners().stream().filter(c -> c.name().equals(name)).findFirst()
        .orElseThrow(() -> new NotFound("no listener named " + name));
    if (!l.udp()) {
      throw new IllegalArgumentException("listener " + name + " is tcp: its peers are in /api/connections");
    }
    int limit = body.getInteger("limit", SenderView.DEFAULT_LIMIT);
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit " + limit + " must be in 1..10000");
    }
    return SenderView.senders(node, l, registry, limit);
  }

  /** The node's connectors (or the one named): state, pool, in flight, outcomes, latency, connections. */
  private JsonObject connectors(JsonObject body) {
    String name = body.getString("name");
    JsonArray out = new JsonArray();
    for (Connector c : strata.connectors().all()) {
      if (name == null || name.equals(c.name())) {
        out.add(c.toJson());
      }
    }
    if (name != null && out.isEmpty()) {
      throw new NotFound("no connector named " + name);
    }
    return new JsonObject().put("node", node).put("connectors", out);
  }

  private JsonObject connections(JsonObject body) {
    ConnectionQuery q = ConnectionQuery.fromJson(body);
    long now = System.currentTimeMillis();
    List<ConnectionView> views = new ArrayList<>();
    if (!q.state().equals("closed")) {
      addViews(views, registry.open(), q, now);
    }
    if (!q.state().equals("open")) {
      for (ClosedConnection c : registry.recentlyClosed()) {
        if (q.listener() == null || q.listener().equals(c.listener())) {
          views.add(ConnectionView.of(c, notes.get(c.id())));
        }
      }
    }
    views.sort(q.comparator());
    JsonArray page = new JsonArray();
    int end = (int) Math.min(views.size(), (long) q.offset() + q.limit());
    for (int i = 0; i < end; i++) {
      page.add(views.get(i).toJson(false));
    }
    // Each member returns its first offset+limit rows; the caller merges and slices.
    return new JsonObject().put("node", node).put("total", views.size()).put("connections", page);
  }

  private void addViews(List<ConnectionView> into, Collection<Connection> from, ConnectionQuery q, long now) {
    for (Connection c : from) {
      if (q.listener() == null || q.listener().equals(c.listener())) {
        into.add(view(c, now));
      }
    }
  }

  private ConnectionView view(Connection c, long now) {
    return ConnectionView.of(c, stats.connection(c.id()), notes.get(c.id()), now);
  }

  private Connection find(JsonObject body) {
    long id = body.getLong("id");
    Connection c = registry.get(id);
    if (c == null) {
      throw new NotFound("no open connection " + id);
    }
    return c;
  }

  private JsonObject connection(JsonObject body) {
    long id = body.getLong("id");
    Connection c = registry.get(id);
    if (c != null) {
      return view(c, System.currentTimeMillis()).toJson(true).put("node", node);
    }
    for (ClosedConnection closed : registry.recentlyClosed()) {
      if (closed.id() == id) {
        return ConnectionView.of(closed, notes.get(id)).toJson(true).put("node", node);
      }
    }
    throw new NotFound("no connection " + id);
  }

  // ---- actions (the HTTP side has checked credentials) ----

  private JsonObject close(JsonObject body) {
    Connection c = find(body);
    String reason = clean(body.getString("reason"));
    notes.put(c.id(), reason);
    LOG.log(System.Logger.Level.INFO, "admin audit: {0} closed connection {1} ({2}, {3}); reason: {4}",
        clean(body.getString("actor")), c.id(), c.listener(), c.remoteAddress(), reason);
    c.close(CloseReason.CLOSED_BY_ADMIN);
    return new JsonObject().put("id", c.id()).put("closed", true).put("reason", reason);
  }

  private void drain(Message<JsonObject> m) {
    String name = m.body() == null ? null : m.body().getString("listener");
    if (name == null || strata.config().listeners().stream().noneMatch(l -> l.name().equals(name))) {
      m.fail(404, "no listener named " + name);
      return;
    }
    LOG.log(System.Logger.Level.INFO, "admin audit: {0} drains listener {1}", clean(m.body().getString("actor")), name);
    strata.drain(name).onComplete(ar -> {
      if (ar.succeeded()) {
        m.reply(new JsonObject().put("listener", name).put("state", "drained"));
      } else {
        m.fail(409, ar.cause().getMessage());
      }
    });
  }

  private JsonObject tapStart(JsonObject body) {
    Connection c = find(body);
    int frames = body.getInteger("frames", TapRing.DEFAULT_FRAMES);
    if (frames < 1 || frames > TapRing.MAX_FRAMES) {
      throw new IllegalArgumentException("frames " + frames + " must be in 1.." + TapRing.MAX_FRAMES);
    }
    TapRing ring = taps.computeIfAbsent(c.id(), id -> {
      TapRing t = new TapRing(UUID.randomUUID().toString(), id, frames, System.currentTimeMillis() + TAP_TTL_MS);
      c.tap(t);
      LOG.log(System.Logger.Level.INFO, "admin audit: {0} started a frame tap on connection {1} ({2}, {3})",
          clean(body.getString("actor")), c.id(), c.listener(), c.remoteAddress());
      return t;
    });
    if (!c.isOpen()) {
      untap(ring, "connection closed");
    }
    return new JsonObject().put("tap", ring.tapId).put("connection", c.id())
        .put("events", EVENTS_TAP_PREFIX + c.id()).put("expiresAt", ring.expiresAt);
  }

  private JsonObject tapStop(JsonObject body) {
    TapRing ring = taps.get(body.getLong("id"));
    if (ring != null && (body.getString("tap") == null || ring.tapId.equals(body.getString("tap")))) {
      untap(ring, "stopped by " + clean(body.getString("actor")));
    }
    return new JsonObject().put("id", body.getLong("id")).put("tapping", false);
  }

  private JsonObject tapFrames(JsonObject body) {
    TapRing ring = taps.get(body.getLong("id"));
    if (ring == null || !ring.tapId.equals(body.getString("tap"))) {
      throw new NotFound("no such tap on connection " + body.getLong("id"));
    }
    return new JsonObject().put("id", ring.connectionId).put("frames", ring.snapshot());
  }

  private void untap(TapRing ring, String why) {
    if (taps.remove(ring.connectionId, ring)) {
      Connection c = registry.get(ring.connectionId);
      if (c != null && c.tap() == ring) {
        c.tap(null);
      }
      LOG.log(System.Logger.Level.INFO, "admin audit: frame tap on connection {0} ended: {1}", ring.connectionId, why);
      vertx.eventBus().publish(EVENTS_TAP_PREFIX + ring.connectionId,
          new JsonObject().put("id", ring.connectionId).put("ended", why));
    }
  }

  // ---- events ----

  private void tick() {
    JsonObject point = stats.tick();
    vertx.eventBus().publish(EVENTS_STATS, new JsonObject().put("node", node).put("t", point.getLong("t"))
        .put("point", point).put("listeners", listeners()).put("connectors", connectors(new JsonObject())
            .getJsonArray("connectors")));
    long now = System.currentTimeMillis();
    for (TapRing t : taps.values()) {
      if (now > t.expiresAt) {
        untap(t, "expired after " + TAP_TTL_MS / 60_000 + " minutes");
      }
    }
  }

  private void flushTaps() {
    for (TapRing t : taps.values()) {
      JsonArray fresh = t.takeNew();
      if (fresh != null) {
        vertx.eventBus().publish(EVENTS_TAP_PREFIX + t.connectionId,
            new JsonObject().put("id", t.connectionId).put("frames", fresh));
      }
      Connection c = registry.get(t.connectionId);
      if (c == null) {
        untap(t, "connection closed");
      }
    }
  }

  @Override
  public void opened(Connection c) {
    if (watchers.get() > 0) {
      vertx.eventBus().publish(EVENTS_OPENED, view(c, System.currentTimeMillis()).toJson(false).put("node", node));
    }
  }

  @Override
  public void closed(Connection c) {
    if (watchers.get() > 0) {
      vertx.eventBus().publish(EVENTS_CLOSED, view(c, System.currentTimeMillis()).toJson(false).put("node", node));
    }
  }

  /** Client- or admin-supplied text made safe for one log line: no control characters, at most 200 chars. */
  static String clean(String s) {
    if (s == null || s.isBlank()) {
      return "(none)";
    }
    String t = s.replaceAll("\\p{Cntrl}", "?").strip();
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
  }

}
