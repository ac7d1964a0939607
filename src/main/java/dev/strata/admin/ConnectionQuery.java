package dev.strata.admin;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A query over connections: which ones ({@code state}, {@code listener}), in what order, which page.
 * It travels as JSON on the event bus ({@code strata.admin.connections}), so that every member of a
 * cluster can answer it for the connections it holds; the caller merges the members' pages.
 *
 * @param state    open, closed or all
 * @param listener only this listener's connections, or null for all
 * @param node     only this member's connections (its id, e.g. {@code n2}), or null for all
 * @param sort     a key of {@link #SORTS}
 * @param desc     descending order
 * @param offset   rows to skip
 * @param limit    rows to return, 1..1000
 */
record ConnectionQuery(String state, String listener, String sort, boolean desc, int offset, int limit, String node) {

  static final int MAX_LIMIT = 1000;

  /** Sort keys; rate keys sort by the 10 s rate. */
  static final Map<String, Comparator<ConnectionView>> SORTS = sorts();

  ConnectionQuery {
    if (!state.equals("open") && !state.equals("closed") && !state.equals("all")) {
      throw new IllegalArgumentException("state '" + state + "' must be open, closed or all");
    }
    if (!SORTS.containsKey(sort)) {
      throw new IllegalArgumentException("sort '" + sort + "' must be one of " + SORTS.keySet());
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset " + offset + " must be >= 0");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit " + limit + " must be in 1.." + MAX_LIMIT);
    }
  }

  /**
   * From HTTP query parameters: {@code sort=bytesIn} or {@code sort=-bytesIn} (descending), also
   * {@code order=asc|desc}; defaults: state=open, sort=id, offset=0, limit=100.
   */
  /** The request's query, or null after answering 400 with what is wrong with it. */
  static ConnectionQuery fromRequest(io.vertx.ext.web.RoutingContext rc) {
    try {
      return fromParams(rc.queryParams());
    } catch (IllegalArgumentException e) {
      AdminSecurity.refuse(rc, 400, e.getMessage());
      return null;
    }
  }

  static ConnectionQuery fromParams(MultiMap p) {
    String sort = p.get("sort") == null || p.get("sort").isBlank() ? "id" : p.get("sort");
    boolean desc = sort.startsWith("-");
    if (desc) {
      sort = sort.substring(1);
    }
    String order = p.get("order");
    if (order != null && !order.isBlank()) {
      if (!order.equals("asc") && !order.equals("desc")) {
        throw new IllegalArgumentException("order '" + order + "' must be asc or desc");
      }
      desc = order.equals("desc");
    }
    String listener = p.get("listener");
    String node = p.get("node");
    return new ConnectionQuery(p.get("state") == null || p.get("state").isBlank() ? "open" : p.get("state"),
        listener == null || listener.isBlank() ? null : listener, sort, desc,
        intParam(p, "offset", 0), intParam(p, "limit", 100), node == null || node.isBlank() ? null : node);
  }

  private static int intParam(MultiMap p, String name, int dflt) {
    String v = p.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " '" + v + "' must be a number");
    }
  }

  JsonObject toJson() {
    return new JsonObject().put("state", state).put("listener", listener).put("sort", sort).put("desc", desc)
        .put("offset", offset).put("limit", limit).put("node", node);
  }

  static ConnectionQuery fromJson(JsonObject o) {
    return new ConnectionQuery(o.getString("state", "open"), o.getString("listener"), o.getString("sort", "id"),
        o.getBoolean("desc", false), o.getInteger("offset", 0), o.getInteger("limit", 100), o.getString("node"));
  }

  boolean matches(ConnectionView v) {
    return listener == null || listener.equals(v.listener());
  }

  Comparator<ConnectionView> comparator() {
    Comparator<ConnectionView> c = SORTS.get(sort);
    c = desc ? c.reversed() : c;
    return c.thenComparingLong(ConnectionView::id);
  }

  /** Comparator over the JSON form, for merging the pages of several members. */
  Comparator<JsonObject> jsonComparator() {
    Comparator<JsonObject> c = Comparator.comparing(o -> ConnectionView.sortValue(o, sort),
        Comparator.nullsFirst(Comparator.naturalOrder()));
    c = desc ? c.reversed() : c;
    return c.thenComparingLong(o -> o.getLong("id"));
  }

  private static Map<String, Comparator<ConnectionView>> sorts() {
    Map<String, Comparator<ConnectionView>> m = new LinkedHashMap<>();
    m.put("id", Comparator.comparingLong(ConnectionView::id));
    m.put("listener", Comparator.comparing(ConnectionView::listener));
    m.put("remote", Comparator.comparing(ConnectionView::remote));
    m.put("age", Comparator.comparingLong(ConnectionView::ageMs));
    m.put("bytesIn", Comparator.comparingLong(ConnectionView::bytesIn));
    m.put("bytesOut", Comparator.comparingLong(ConnectionView::bytesOut));
    m.put("framesIn", Comparator.comparingLong(ConnectionView::framesIn));
    m.put("framesOut", Comparator.comparingLong(ConnectionView::framesOut));
    for (String r : new String[] {"bytesInRate", "bytesOutRate", "framesInRate", "framesOutRate"}) {
      int metric = ConnectionView.metric(r.substring(0, r.length() - 4));
      m.put(r, Comparator.comparingDouble(v -> v.rate(metric, 1)));
    }
    m.put("inFlight", Comparator.comparingInt(ConnectionView::inFlight));
    m.put("lastActivity", Comparator.comparingLong(ConnectionView::lastActivity));
    m.put("closedAt", Comparator.comparingLong(ConnectionView::closedAt));
    return java.util.Collections.unmodifiableMap(m);
  }
}
