package dev.strata.admin;

import dev.strata.config.ListenerConfig;
import dev.strata.config.StrataConfig;
import dev.strata.exchange.ExchangeObserver;
import dev.strata.framing.FramingException;
import dev.strata.stream.CloseReason;
import dev.strata.stream.Connection;
import dev.strata.stream.ConnectionRegistry;
import dev.strata.stream.ListenerStats;
import dev.strata.stream.PendingFrames;
import dev.strata.stream.RegistryListener;
import dev.strata.connector.Connector;
import dev.strata.connector.Connectors;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What the admin server knows beyond the registry's counters: per-listener request counts, latency
 * histograms and rates, per-connection rates, Strata's Micrometer meters, and a few minutes of
 * history. It observes every exchange and every connection, so create it before the node starts:
 *
 * <pre>{@code
 * ConnectionRegistry registry = new ConnectionRegistry();
 * LiveStats stats = LiveStats.create(config, registry, AdminMetrics.registry());
 * Strata strata = Strata.start(vertx, config, registry, stats).await();
 * AdminServer.start(vertx, strata, config.admin(), stats).await();
 * }</pre>
 *
 * <p>Costs: per request one HdrHistogram record, one Micrometer timer record and (after a
 * connection's first request) one slot of a 32-entry ring; nothing per idle connection. Rates come
 * from {@link #tick()}, called once a second by the admin node, which walks the open connections.
 */
public final class LiveStats implements ExchangeObserver, RegistryListener {

  private static final String[] DECODE_ERROR_KINDS = {"too_long", "corrupt", "truncated"};

  private final ConnectionRegistry registry;
  private final Map<String, ListenerLive> listeners = new ConcurrentHashMap<>();
  private final Map<Long, ConnectionLive> connections = new ConcurrentHashMap<>();
  private final History history = new History(History.DEFAULT_POINTS);
  private final Meters meters;
  private long lastTick = System.nanoTime();

  private LiveStats(ConnectionRegistry registry, MeterRegistry meterRegistry) {
    this.registry = registry;
    this.meters = new Meters(meterRegistry);
  }

  /** Observes {@code registry} and registers Strata's meters for every configured listener. */
  public static LiveStats create(StrataConfig config, ConnectionRegistry registry, MeterRegistry meterRegistry) {
    LiveStats stats = new LiveStats(registry, meterRegistry);
    for (ListenerConfig l : config.listeners()) {
      stats.listener(l.name()).timer(l.address());
      if (l.udp()) {
        stats.udpMeters(l.name());
      }
    }
    PendingFrames pending = registry.pendingFrames();
    stats.meters.add(Gauge.builder("strata.pending.frame.bytes", pending, PendingFrames::total)
        .description("Bytes held by the node in unfinished frames").baseUnit("bytes").register(meterRegistry));
    stats.meters.add(Gauge.builder("strata.pending.frame.bytes.limit", pending, PendingFrames::limit)
        .description("limits.pendingFrameBytes").baseUnit("bytes").register(meterRegistry));
    registry.addListener(stats);
    return stats;
  }

  ListenerLive listener(String name) {
    ListenerLive existing = listeners.get(name);
    return existing != null ? existing : listeners.computeIfAbsent(name, this::newListener);
  }

  Collection<ListenerLive> listeners() {
    return listeners.values();
  }

  private ListenerLive newListener(String name) {
    ListenerLive l = new ListenerLive(name, meters.registry(), meters);
    ListenerStats s = registry.stats(name);
    MeterRegistry r = meters.registry();
    meters.add(Gauge.builder("strata.connections.active", s, ListenerStats::current)
        .description("Open connections").tag("listener", name).register(r));
    counter("strata.connections.accepted", "Connections accepted", name, s, ListenerStats::accepted);
    counter("strata.connections.rejected", "Connections refused at maxConnections", name, s, ListenerStats::rejected);
    counter("strata.requests.rate.limited", "Requests refused by rateLimit", name, s, ListenerStats::rateLimited);
    counter("strata.connections.rejected.per.ip", "Connections refused at maxConnectionsPerIp", name, s,
        ListenerStats::rejectedPerIp);
    counter("strata.connections.closed.memory", "Connections closed because limits.pendingFrameBytes ran out", name, s,
        ListenerStats::closedForMemory);
    for (CloseReason reason : CloseReason.values()) {
      meters.add(FunctionCounter.builder("strata.connections.closed", s, st -> st.closed(reason))
          .description("Connections closed, by reason").tag("listener", name)
          .tag("reason", reason.name().toLowerCase(java.util.Locale.ROOT)).register(meters.registry()));
    }
    counter("strata.bytes.in", "Bytes received", name, l.totals[ConnectionLive.BYTES_IN], LongAdder::sum);
    counter("strata.bytes.out", "Bytes sent", name, l.totals[ConnectionLive.BYTES_OUT], LongAdder::sum);
    counter("strata.frames.in", "Frames decoded", name, l.totals[ConnectionLive.FRAMES_IN], LongAdder::sum);
    counter("strata.frames.out", "Frames written", name, l.totals[ConnectionLive.FRAMES_OUT], LongAdder::sum);
    counter("strata.request.errors", "Requests answered with an error", name, l.errors, LongAdder::sum);
    for (String kind : DECODE_ERROR_KINDS) {
      l.decodeErrorCounter(kind);
    }
    return l;
  }

  /** Per udp listener, never per sender: a sender's address as a label would grow without bound. */
  private void udpMeters(String name) {
    ListenerStats s = registry.stats(name);
    meters.add(Gauge.builder("strata.udp.senders", s, ListenerStats::current)
        .description("Senders a udp listener tracks (at most maxSenders)").tag("listener", name)
        .register(meters.registry()));
    counter("strata.udp.datagrams.in", "Datagrams received", name, s, ListenerStats::datagramsIn);
    counter("strata.udp.datagrams.out", "Datagrams sent", name, s, ListenerStats::datagramsOut);
    counter("strata.udp.datagrams.dropped", "Datagrams dropped: their sender had maxInFlight requests unanswered",
        name, s, ListenerStats::datagramsDropped);
    counter("strata.udp.replies.oversized", "Replies larger than maxDatagramBytes (answered with an error)", name, s,
        ListenerStats::repliesOversized);
  }

  private <T> void counter(String meter, String description, String listener, T obj, ToDoubleFunction<T> f) {
    meters.add(FunctionCounter.builder(meter, obj, f).description(description).tag("listener", listener)
        .register(meters.registry()));
  }

  // ---- observing (connection event loops) ----

  @Override
  public void answered(Connection connection, String address, long nanos, boolean failed) {
    listener(connection.listener()).answered(address, nanos, failed);
    live(connection).latency(nanos / 1000);
  }

  @Override
  public Answers answers(Connection connection, String address) {
    ListenerLive listener = listener(connection.listener());
    Timer timer = listener.timer(address);
    return new Answers() {
      // found at the first answer, on the connection's event loop: its recorder is that thread's, and a
      // connection that never answers has no live figures
      private SingleWriterRecorder recorder;
      private ConnectionLive live;

      @Override
      public void answered(long nanos, boolean failed) {
        if (recorder == null) {
          recorder = listener.recorder();
        }
        listener.answered(recorder, timer, nanos, failed);
        if (live == null) {
          live = live(connection);
        }
        live.latency(nanos / 1000);
      }
    };
  }

  @Override
  public void framingError(Connection connection, FramingException error) {
    listener(connection.listener()).decodeError(error.kind());
  }

  @Override
  public void closed(Connection c) {
    ConnectionLive s = connections.remove(c.id());
    long[] delta = s != null ? s.advance(c, 0, 0, false)
        : new long[] {c.bytesIn(), c.bytesOut(), c.framesIn(), c.framesOut()};
    LongAdder[] totals = listener(c.listener()).totals;
    for (int m = 0; m < 4; m++) {
      totals[m].add(delta[m]);
    }
  }

  /** The connection's state, created on first use; never kept for a closed connection. */
  private ConnectionLive live(Connection c) {
    ConnectionLive s = connections.get(c.id());
    if (s == null) {
      s = connections.computeIfAbsent(c.id(), id -> new ConnectionLive());
      if (!c.isOpen()) {
        connections.remove(c.id());
      }
    }
    return s;
  }

  /** The sampler's state of an open connection, or null if it has had no traffic yet. */
  ConnectionLive connection(long id) {
    return connections.get(id);
  }

  int trackedConnections() {
    return connections.size();
  }

  // ---- sampling (once a second, one thread) ----

  /** Samples every open connection and listener; returns the new history point. */
  synchronized JsonObject tick() {
    long now = System.nanoTime();
    double dt = (now - lastTick) / 1e9;
    lastTick = now;
    long nowMs = System.currentTimeMillis();
    Map<String, long[]> deltas = new LinkedHashMap<>();
    for (Connection c : registry.open()) {
      ConnectionLive s = connections.get(c.id());
      if (s == null) {
        if (c.bytesIn() == 0 && c.bytesOut() == 0) {
          continue;
        }
        s = live(c);
      }
      long[] d = s.advance(c, dt, (nowMs - c.openedAt()) / 1000.0, true);
      long[] sum = deltas.computeIfAbsent(c.listener(), k -> new long[4]);
      for (int m = 0; m < 4; m++) {
        sum[m] += d[m];
      }
    }
    JsonObject byListener = new JsonObject();
    Histogram all = new Histogram(2);
    double rps = 0;
    double errps = 0;
    long conns = 0;
    for (ListenerLive l : listeners.values()) {
      l.sample(dt, deltas.getOrDefault(l.name, new long[4]));
      Histogram h = l.lastSecond();
      if (h != null) {
        all.add(h);
      }
      long current = registry.stats(l.name).current();
      rps += l.requestsPerSec;
      errps += l.errorsPerSec;
      conns += current;
      byListener.put(l.name, new JsonObject().put("rps", round(l.requestsPerSec)).put("errps", round(l.errorsPerSec))
          .put("p99Ms", l.lastSecondP99Ms < 0 ? null : l.lastSecondP99Ms).put("connections", current));
    }
    JsonObject point = new JsonObject().put("t", nowMs)
        .put("rps", round(rps)).put("errps", round(errps))
        .put("p99Ms", all.getTotalCount() == 0 ? null : all.getValueAtPercentile(99) / 1000.0)
        .put("connections", conns).put("listeners", byListener);
    history.add(point);
    return point;
  }

  History history() {
    return history;
  }

  /**
   * Registers the meters of the node's connectors: {@code strata_connector_requests_total} by outcome,
   * {@code strata_connector_request_duration_seconds} (count and sum), {@code strata_connector_in_flight},
   * {@code strata_connector_connections_open} and {@code strata_connector_circuit_open}.
   */
  public void observe(Connectors connectors) {
    MeterRegistry r = meters.registry();
    for (Connector c : connectors.all()) {
      for (Connector.Outcome o : Connector.Outcome.values()) {
        meters.add(FunctionCounter.builder("strata.connector.requests", c, x -> x.count(o))
            .description("Requests through a connector, by outcome")
            .tag("connector", c.name()).tag("outcome", o.name().toLowerCase()).register(r));
      }
      meters.add(FunctionTimer.builder("strata.connector.request.duration", c, Connector::answeredWithLatency,
              Connector::totalLatencyNanos, TimeUnit.NANOSECONDS)
          .description("Time from a request to its response (answers from the remote)").tag("connector", c.name()).register(r));
      meters.add(Gauge.builder("strata.connector.in.flight", c, Connector::inFlight)
          .description("Requests sent or waiting, awaiting the remote").tag("connector", c.name()).register(r));
      meters.add(Gauge.builder("strata.connector.connections.open", c, Connector::open)
          .description("Open connections of the pool").tag("connector", c.name()).register(r));
      meters.add(Gauge.builder("strata.connector.circuit.open", c, x -> x.circuit().equals("open") ? 1 : 0)
          .description("1 while the circuit breaker is open").tag("connector", c.name()).register(r));
      meters.add(FunctionCounter.builder("strata.connector.connections.lost", c, Connector::connectionsLost)
          .description("Connections of the pool that went").tag("connector", c.name()).register(r));
    }
  }

  /** Removes Strata's meters from the (shared) Micrometer registry. */
  public void close() {
    registry.removeListener(this);
    meters.removeAll();
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
