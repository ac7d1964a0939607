package dev.strata.admin;

import dev.strata.config.ListenerConfig;
import dev.strata.stream.CloseReason;
import dev.strata.stream.Connection;
import dev.strata.stream.ConnectionRegistry;
import dev.strata.stream.ListenerStats;
import dev.strata.stream.UdpSender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The UDP side of the admin API: a udp listener's totals (in {@code /api/listeners}) and its
 * senders, most recently heard first ({@code /api/listeners/<name>/senders}). A sender is the
 * pseudo-connection of one remote address, so its id also works with {@code /api/connections/<id>}.
 */
final class SenderView {

  static final int DEFAULT_LIMIT = 100;

  private SenderView() {
  }

  /** The {@code udp} block of a udp listener in {@code /api/listeners}. */
  static JsonObject totals(ListenerConfig l, ListenerStats s) {
    return new JsonObject().put("senders", s.current()).put("maxSenders", l.maxSenders())
        .put("maxDatagramBytes", l.maxDatagramBytes())
        .put("datagramsIn", s.datagramsIn()).put("datagramsOut", s.datagramsOut())
        .put("datagramsDropped", s.datagramsDropped()).put("repliesOversized", s.repliesOversized())
        .put("sendersEvicted", s.closed(CloseReason.EVICTED)).put("sendersExpired", s.closed(CloseReason.IDLE));
  }

  /** Up to {@code limit} senders of {@code listener} on this node, most recently heard first. */
  static JsonObject senders(String node, ListenerConfig l, ConnectionRegistry registry, int limit) {
    List<Connection> mine = new ArrayList<>();
    for (Connection c : registry.open()) {
      if (c.sender() != null && c.listener().equals(l.name())) {
        mine.add(c);
      }
    }
    mine.sort(Comparator.comparingLong((Connection c) -> c.sender().lastHeard()).reversed());
    JsonArray out = new JsonArray();
    for (int i = 0; i < Math.min(limit, mine.size()); i++) {
      out.add(json(mine.get(i)));
    }
    return new JsonObject().put("node", node).put("listener", l.name()).put("total", mine.size())
        .put("maxSenders", l.maxSenders()).put("senders", out);
  }

  private static JsonObject json(Connection c) {
    UdpSender s = c.sender();
    return new JsonObject().put("id", c.id()).put("remote", String.valueOf(c.remoteAddress()))
        .put("firstSeen", c.openedAt()).put("lastSeen", s.lastHeard())
        .put("datagramsIn", s.datagramsIn()).put("datagramsOut", s.datagramsOut())
        .put("bytesIn", c.bytesIn()).put("bytesOut", c.bytesOut())
        .put("framesIn", c.framesIn()).put("framesOut", c.framesOut())
        .put("errors", c.frameErrors()).put("dropped", s.dropped()).put("oversized", s.oversized())
        .put("inFlight", c.inFlight());
  }
}
