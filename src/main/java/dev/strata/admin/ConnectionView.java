package dev.strata.admin;

import dev.strata.stream.ClosedConnection;
import dev.strata.stream.Connection;
import dev.strata.stream.TlsSession;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/** A snapshot of one connection as the admin API shows it; built on the node that holds it. */
record ConnectionView(long id, String listener, String remote, String local, long openedAt, long ageMs,
    long bytesIn, long bytesOut, long framesIn, long framesOut, float[] rates, int inFlight, int peakInFlight,
    boolean readPaused, boolean writeQueueFull, long lastActivity, long closedAt, String closeReason,
    boolean tapping, int[] latencies, TlsSession tls) {

  static final String[] METRICS = {"bytesIn", "bytesOut", "framesIn", "framesOut"};
  static final String[] WINDOWS = {"1s", "10s", "60s"};

  static ConnectionView of(Connection c, ConnectionLive live, String adminNote, long now) {
    boolean open = c.isOpen();
    float[] rates = new float[12];
    if (live != null && open) {
      for (int m = 0; m < 4; m++) {
        for (int w = 0; w < 3; w++) {
          rates[m * 3 + w] = live.rate(m, w);
        }
      }
    }
    String reason = null;
    if (!open && c.closeReason() != null) {
      reason = c.closeReason().text() + (adminNote == null ? "" : ": " + adminNote);
    }
    return new ConnectionView(c.id(), c.listener(), String.valueOf(c.remoteAddress()),
        String.valueOf(c.localAddress()), c.openedAt(), (open ? now : c.closedAt()) - c.openedAt(),
        c.bytesIn(), c.bytesOut(), c.framesIn(), c.framesOut(), rates, c.inFlight(), c.peakInFlight(),
        open && c.readPaused(), open && c.writeQueueFull(), c.lastActivity(), c.closedAt(), reason,
        open && c.tap() != null, live == null ? new int[0] : live.recentLatencies(), c.tls());
  }

  /** A closed connection, from the summary the registry keeps of it. */
  static ConnectionView of(ClosedConnection c, String adminNote) {
    String reason = c.closeReason() == null ? null : c.closeReason().text() + (adminNote == null ? "" : ": " + adminNote);
    return new ConnectionView(c.id(), c.listener(), String.valueOf(c.remoteAddress()),
        String.valueOf(c.localAddress()), c.openedAt(), c.closedAt() - c.openedAt(), c.bytesIn(), c.bytesOut(),
        c.framesIn(), c.framesOut(), new float[12], 0, c.peakInFlight(), false, false, c.closedAt(), c.closedAt(),
        reason, false, new int[0], null);
  }

  static int metric(String name) {
    return Arrays.asList(METRICS).indexOf(name);
  }

  float rate(int metric, int window) {
    return rates[metric * 3 + window];
  }

  boolean open() {
    return closedAt == 0;
  }

  JsonObject toJson(boolean detail) {
    JsonObject r = new JsonObject();
    for (int m = 0; m < 4; m++) {
      JsonObject w = new JsonObject();
      for (int i = 0; i < 3; i++) {
        w.put(WINDOWS[i], LiveStats.round(rate(m, i)));
      }
      r.put(METRICS[m], w);
    }
    JsonObject o = new JsonObject()
        .put("id", id).put("listener", listener).put("remote", remote).put("local", local)
        .put("state", open() ? "open" : "closed")
        .put("openedAt", openedAt).put("ageMs", ageMs)
        .put("bytesIn", bytesIn).put("bytesOut", bytesOut).put("framesIn", framesIn).put("framesOut", framesOut)
        .put("rates", r)
        .put("inFlight", inFlight).put("peakInFlight", peakInFlight)
        .put("readPaused", readPaused).put("writeQueueFull", writeQueueFull)
        .put("lastActivity", lastActivity).put("tapping", tapping);
    if (!open()) {
      o.put("closedAt", closedAt).put("closeReason", closeReason);
    }
    if (tls != null) {
      o.put("tls", new JsonObject().put("protocol", tls.protocol()).put("cipher", tls.cipher())
          .put("serverName", tls.serverName()).put("peerSubject", tls.peerSubject()));
    }
    if (detail) {
      o.put("latency", latencyJson());
    }
    return o;
  }

  /** Percentiles of the connection's most recent requests (up to 32). */
  private JsonObject latencyJson() {
    int[] sorted = latencies.clone();
    Arrays.sort(sorted);
    JsonObject o = new JsonObject().put("samples", sorted.length);
    if (sorted.length > 0) {
      o.put("p50Ms", pct(sorted, 50)).put("p90Ms", pct(sorted, 90)).put("p99Ms", pct(sorted, 99))
          .put("maxMs", sorted[sorted.length - 1] / 1000.0);
    }
    return o;
  }

  private static double pct(int[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
  }

  /** The value a sort key orders by, read back from the JSON form. */
  @SuppressWarnings({"rawtypes"})
  static Comparable sortValue(JsonObject o, String sort) {
    if (sort.endsWith("Rate")) {
      return o.getJsonObject("rates").getJsonObject(sort.substring(0, sort.length() - 4)).getDouble("10s");
    }
    Object v = o.getValue(sort.equals("age") ? "ageMs" : sort);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    return v == null ? null : v.toString();
  }
}
